"""Reads of the co-working: when a space is open, its free desks per half-day, a booker's bookings."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cms.occupancy import occupied

from .models import LIVE, Booking, CalendarFeed, CoworkingSpace, Half, Invitation

HORIZON_DAYS = 90  # how far ahead a desk may be booked
OCCUPAI_SPACE = "occupai.space"  # the kind Occupai answers for in cms.occupancy


def spaces_for(mairie):
    return CoworkingSpace.objects.filter(mairie=mairie, active=True).prefetch_related("days")


def is_open_on(space: CoworkingSpace, day: date) -> bool:
    """On its weekdays; a space lending an Occupai room, on its chosen days only."""
    if space.lends_occupai_space:
        return any(d.date == day for d in space.days.all())
    return str(day.weekday()) in space.weekdays


def occupied_by(space: CoworkingSpace, day: date, half: str) -> str | None:
    """The Occupai event that holds the lent room over this half-day, or None."""
    if not space.lends_occupai_space:
        return None
    return occupied(OCCUPAI_SPACE, space.occupai_space_id, *space.bounds(day, half), besides="accueil")


def opening_text(space: CoworkingSpace) -> str:
    hours = _("matin %(mo)s–%(mc)s, après-midi %(ao)s–%(ac)s") % {
        "mo": time_format(space.morning_opens, "H:i"), "mc": time_format(space.morning_closes, "H:i"),
        "ao": time_format(space.afternoon_opens, "H:i"), "ac": time_format(space.afternoon_closes, "H:i")}
    if space.lends_occupai_space:
        today = timezone.localdate()
        days = [d.date.strftime("%d/%m/%Y") for d in space.days.all() if d.date >= today][:6]
        if not days:
            return _("Aucun jour de coworking n'est prévu pour l'instant (%(hours)s).") % {"hours": hours}
        return _("Ouvert au coworking les %(days)s (%(hours)s).") % {"days": ", ".join(days), "hours": hours}
    if not space.weekdays:
        return _("Aucun jour d'ouverture n'est indiqué.")
    return _("Ouvert le %(days)s (%(hours)s).") % {"days": ", ".join(str(d) for d in space.weekday_names),
                                                   "hours": hours}


def half_is_over(space: CoworkingSpace, day: date, half: str, now=None) -> bool:
    return space.bounds(day, half)[1] <= (now or timezone.now())


@dataclass
class Slot:
    date: date
    half: str
    half_label: str
    open: bool
    free: int
    occupied_by: str | None  # an Occupai event's title

    @property
    def bookable(self) -> bool:
        return self.open and self.free > 0 and not self.occupied_by


def availability(space: CoworkingSpace, *, start: date | None = None, days: int = 14, now=None) -> list[Slot]:
    """Each half-day from `start` (today) for `days` days: open or not, and its free desks."""
    now = now or timezone.now()
    start = start or timezone.localdate(now)
    end = start + timedelta(days=days)
    taken = {(row["date"], row["half"]): row["n"] for row in Booking.objects.filter(
        LIVE, space=space, date__gte=start, date__lt=end).values("date", "half").annotate(n=Count("pk"))}
    slots = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        for half in Half:
            is_open = is_open_on(space, day) and not half_is_over(space, day, half, now)
            slots.append(Slot(date=day, half=half.value, half_label=str(half.label), open=is_open,
                              free=max(0, space.capacity - taken.get((day, half.value), 0)) if is_open else 0,
                              occupied_by=occupied_by(space, day, half) if is_open else None))
    return slots


def bookings_of(*, user=None, invitation=None, upcoming_from: date | None = None):
    qs = Booking.objects.filter(LIVE).select_related("space__mairie").order_by("date", "half", "pk")
    qs = qs.filter(user=user) if invitation is None else qs.filter(invitation=invitation)
    return qs.filter(date__gte=upcoming_from) if upcoming_from else qs


def invitation_by_key(key: str) -> Invitation | None:
    if not key or len(key) > 64:
        return None
    return Invitation.objects.select_related("mairie").filter(key=key).first()


def feed_owner(key: str):
    """(user, invitation) whose calendar feed this private key opens, or None."""
    if not key or len(key) > 64:
        return None
    feed = CalendarFeed.objects.select_related("user").filter(key=key).first()
    if feed is not None:
        return feed.user, None
    invitation = Invitation.objects.filter(feed_key=key, revoked_at__isnull=True).first()
    return (None, invitation) if invitation is not None else None


def feed_key_for(user) -> str:
    return CalendarFeed.objects.get_or_create(user=user)[0].key


def invitations_of(mairie):
    return Invitation.objects.filter(mairie=mairie).annotate(
        live_bookings=Count("bookings", filter=Q(bookings__cancelled_at__isnull=True)))


def occupai_room_booked(occupai_space_id: int, starts, ends) -> str | None:
    """The co-working desks booked in a lent Occupai room over [starts, ends), described, or None: asked
    through cms.occupancy by Occupai before it schedules an event in that room."""
    tz = timezone.get_default_timezone()
    first, last = timezone.localtime(starts, tz).date(), timezone.localtime(ends, tz).date()
    booked = {}
    for booking in (Booking.objects.filter(LIVE, space__occupai_space_id=occupai_space_id, date__range=(first, last))
                    .select_related("space").order_by("date", "half")):
        opens, closes = booking.bounds()
        if opens < ends and closes > starts:
            booked.setdefault((booking.date, booking.half), []).append(booking)
    if not booked:
        return None
    (day, half), bookings = next(iter(booked.items()))
    return ngettext("coworking : %(n)d poste réservé le %(day)s, %(half)s",
                    "coworking : %(n)d postes réservés le %(day)s, %(half)s", len(bookings)) % {
        "n": len(bookings), "day": day.strftime("%d/%m/%Y"), "half": Half(half).label}
