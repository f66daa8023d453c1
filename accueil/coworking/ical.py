"""A booker's co-working calendar (private feed): one VEVENT per booking of the last 30 days and ahead;
a cancelled one stays, as CANCELLED, so that calendar apps remove it."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Event as VEvent

from cms.ical import new_calendar

from .models import Booking

PRODID = "-//Mairie de demain//Coworking//FR"
PAST_DAYS = 30


def booking_component(booking: Booking, *, stamp):
    space = booking.space
    starts, ends = booking.bounds()
    component = VEvent()
    component.add("uid", f"accueil-coworking-{booking.pk}@{space.mairie.slug}.mairie-de-demain")
    component.add("dtstamp", stamp)
    component.add("created", booking.created_at)
    component.add("sequence", 1 if booking.cancelled_at else 0)
    component.add("dtstart", starts)
    component.add("dtend", ends)
    component.add("summary", _("Coworking : %(space)s") % {"space": space.name})
    component.add("description", _("Poste %(desk)d · %(half)s") % {"desk": booking.desk,
                                                                   "half": booking.get_half_display()})
    component.add("location", ", ".join(p for p in [space.name, space.location, space.mairie.name,
                                                     space.mairie.address] if p))
    component.add("status", "CANCELLED" if booking.cancelled_at else "CONFIRMED")
    component.add("transp", "OPAQUE")
    return component


def booker_calendar(*, user=None, invitation=None):
    since = timezone.localdate() - timedelta(days=PAST_DAYS)
    bookings = Booking.objects.filter(date__gte=since).select_related("space__mairie").order_by("date", "half")
    bookings = bookings.filter(user=user) if invitation is None else bookings.filter(invitation=invitation)
    calendar = new_calendar(prodid=PRODID, name=_("Mes réservations de coworking"))
    stamp = timezone.now()
    for booking in bookings:
        calendar.add_component(booking_component(booking, stamp=stamp))
    return calendar
