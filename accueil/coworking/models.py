"""Co-working spaces of a mairie and their bookings by half-day.

The database keeps the invariants: a booking holds one desk of a space for one half-day, and no two
live bookings hold the same desk (a partial unique constraint, on SQLite and PostgreSQL alike), so a
space never takes more bookings than it has desks; a booker holds at most one desk per half-day."""

import secrets
from datetime import datetime, time

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from cms.models import Mairie

WEEKDAY_NAMES = (_("lundi"), _("mardi"), _("mercredi"), _("jeudi"), _("vendredi"), _("samedi"), _("dimanche"))


def new_key() -> str:
    return secrets.token_urlsafe(24)


class Half(models.TextChoices):
    MORNING = "am", _("matin")
    AFTERNOON = "pm", _("après-midi")


class CoworkingSpace(ClusterableModel):
    """Desks lent by the mairie. Open on its weekdays (`weekdays`, "01234" = Monday to Friday), each
    day in two halves whose hours it gives; or, when it lends an Occupai space (« la salle des fêtes
    deux jours par mois »), only on its chosen days (`days`), and never while an Occupai event is
    scheduled there (asked through cms.occupancy)."""

    mairie = models.ForeignKey(Mairie, on_delete=models.CASCADE, related_name="coworking_spaces",
                               verbose_name=_("mairie"))
    name = models.CharField(_("nom"), max_length=120)
    description = models.TextField(_("présentation"), blank=True)
    location = models.CharField(_("accès"), max_length=200, blank=True,
                                help_text=_("Où se trouve l'espace, par exemple « 2e étage, salle 204 »."))
    capacity = models.PositiveSmallIntegerField(_("nombre de postes"), validators=[MinValueValidator(1)])
    equipment = models.TextField(_("équipements"), blank=True, help_text=_("Un équipement par ligne."))
    accessibility_notes = models.TextField(
        _("accessibilité"), blank=True, help_text=_("Accès en fauteuil, boucle magnétique, toilettes adaptées…"))
    weekdays = models.CharField(
        _("jours d'ouverture"), max_length=7, blank=True, default="01234",
        validators=[RegexValidator(r"^[0-6]*$", _("Des chiffres de 0 (lundi) à 6 (dimanche)."))],
        help_text=_("Les jours de la semaine où l'espace est ouvert. Ignorés quand l'espace prête une salle "
                    "Occupai : il n'ouvre alors que les jours choisis."))
    morning_opens = models.TimeField(_("matin : ouverture"), default=time(9))
    morning_closes = models.TimeField(_("matin : fermeture"), default=time(12, 30))
    afternoon_opens = models.TimeField(_("après-midi : ouverture"), default=time(13, 30))
    afternoon_closes = models.TimeField(_("après-midi : fermeture"), default=time(18))
    occupai_space = models.ForeignKey(
        "occupai.Space", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("salle Occupai prêtée"),
        help_text=_("Une salle d'Occupai ouverte au coworking certains jours seulement (les jours ci-dessous) ; "
                    "une réservation est refusée quand un événement y est programmé."))
    active = models.BooleanField(_("ouvert aux réservations"), default=True)

    class Meta:
        ordering = ["mairie", "name"]
        verbose_name = _("espace de coworking")
        verbose_name_plural = _("espaces de coworking")
        constraints = [
            models.UniqueConstraint(fields=["mairie", "name"], name="accueil_coworking_unique_name"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="accueil_coworking_capacity"),
            models.CheckConstraint(condition=Q(morning_opens__lt=F("morning_closes"))
                                   & Q(morning_closes__lte=F("afternoon_opens"))
                                   & Q(afternoon_opens__lt=F("afternoon_closes")),
                                   name="accueil_coworking_halves_in_order"),
        ]

    def __str__(self):
        return self.name

    @property
    def equipment_list(self):
        return [line.strip(" -•\t") for line in self.equipment.splitlines() if line.strip(" -•\t")]

    @property
    def lends_occupai_space(self) -> bool:
        return self.occupai_space_id is not None

    def hours_of(self, half: str) -> tuple[time, time]:
        if half == Half.MORNING:
            return self.morning_opens, self.morning_closes
        return self.afternoon_opens, self.afternoon_closes

    def bounds(self, day, half: str) -> tuple[datetime, datetime]:
        """The half-day as aware datetimes (Europe/Paris)."""
        opens, closes = self.hours_of(half)
        tz = timezone.get_default_timezone()
        return (timezone.make_aware(datetime.combine(day, opens), tz),
                timezone.make_aware(datetime.combine(day, closes), tz))

    @property
    def weekday_names(self):
        return [WEEKDAY_NAMES[int(d)] for d in sorted(set(self.weekdays))]


class CoworkingDay(models.Model):
    """A day on which a space that lends an Occupai room is open to co-working (both halves)."""

    space = ParentalKey(CoworkingSpace, on_delete=models.CASCADE, related_name="days", verbose_name=_("espace"))
    date = models.DateField(_("jour"))

    class Meta:
        ordering = ["space", "date"]
        verbose_name = _("jour de coworking")
        verbose_name_plural = _("jours de coworking")
        constraints = [models.UniqueConstraint(fields=["space", "date"], name="accueil_coworking_one_day")]

    def __str__(self):
        return str(self.date)


class Invitation(models.Model):
    """A public actor (an association, a company of the social economy...) invited by an organiser of the
    mairie to book its co-working desks without an account, through a private link (`key`). The calendar
    feed has a key of its own (`feed_key`), so that a shared calendar does not open the booking page.
    Personal data (the name and address): never on a public page, the public API or search."""

    mairie = models.ForeignKey(Mairie, on_delete=models.CASCADE, related_name="coworking_invitations",
                               verbose_name=_("mairie"))
    email = models.EmailField(_("e-mail"))
    name = models.CharField(_("nom"), max_length=120)
    organisation = models.CharField(_("structure"), max_length=160, blank=True)
    key = models.CharField(max_length=64, unique=True, default=new_key, editable=False)
    feed_key = models.CharField(max_length=64, unique=True, default=new_key, editable=False)
    valid_until = models.DateField(_("valable jusqu'au"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("invité·e par"))
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitation au coworking")
        verbose_name_plural = _("invitations au coworking")

    def __str__(self):
        return self.name

    def is_valid_on(self, day) -> bool:
        return self.revoked_at is None and day <= self.valid_until


class CalendarFeed(models.Model):
    """The private key of a user's co-working calendar feed (made on first use)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coworking_feed")
    key = models.CharField(max_length=64, unique=True, default=new_key, editable=False)


LIVE = Q(cancelled_at__isnull=True)


class Booking(models.Model):
    """One desk of a space for one half-day, held by an agent (of any mairie) or an invitee. Cancelling
    sets `cancelled_at`: the desk is free again (the unique constraints hold only live bookings)."""

    space = models.ForeignKey(CoworkingSpace, on_delete=models.CASCADE, related_name="bookings",
                              verbose_name=_("espace"))
    date = models.DateField(_("jour"))
    half = models.CharField(_("demi-journée"), max_length=2, choices=Half.choices)
    desk = models.PositiveSmallIntegerField(_("poste"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="coworking_bookings", verbose_name=_("agent"))
    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="bookings", verbose_name=_("invitation"))
    created_at = models.DateTimeField(_("réservé le"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)

    class Meta:
        ordering = ["date", "half", "space", "desk"]
        verbose_name = _("réservation de coworking")
        verbose_name_plural = _("réservations de coworking")
        constraints = [
            models.UniqueConstraint(fields=["space", "date", "half", "desk"], condition=LIVE,
                                    name="accueil_coworking_one_booking_per_desk"),
            models.UniqueConstraint(fields=["user", "date", "half"], condition=LIVE & Q(user__isnull=False),
                                    name="accueil_coworking_one_desk_per_agent"),
            models.UniqueConstraint(fields=["invitation", "date", "half"], condition=LIVE & Q(invitation__isnull=False),
                                    name="accueil_coworking_one_desk_per_invitee"),
            models.CheckConstraint(condition=Q(user__isnull=True) ^ Q(invitation__isnull=True),
                                   name="accueil_coworking_one_booker"),
            models.CheckConstraint(condition=Q(desk__gte=1), name="accueil_coworking_desk"),
            models.CheckConstraint(condition=Q(half__in=["am", "pm"]), name="accueil_coworking_half"),
        ]
        indexes = [models.Index(fields=["space", "date"], name="accueil_coworking_day")]

    def __str__(self):
        return f"{self.space} {self.date} {self.get_half_display()}"

    @property
    def is_live(self) -> bool:
        return self.cancelled_at is None

    def bounds(self):
        return self.space.bounds(self.date, self.half)
