"""The hall's waiting queues: services with their opening hours and counters, and the tickets.

The database keeps the invariants: one number per service and day, at most one ticket called at a
counter, and a ticket's contact details (phone, email) present only while it is open."""

import secrets
from datetime import time

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cms.models import Mairie


class Service(models.Model):
    """A service of the mairie that receives residents in the hall (état civil, affaires générales, CASVP...).
    `letter` prefixes its tickets' numbers ("E012")."""

    mairie = models.ForeignKey(Mairie, on_delete=models.CASCADE, related_name="accueil_services",
                               verbose_name=_("mairie"))
    name = models.CharField(_("nom"), max_length=120)
    slug = models.SlugField(_("identifiant"), max_length=60)
    letter = models.CharField(_("lettre des tickets"), max_length=1,
                              help_text=_("Une lettre majuscule, au début de chaque numéro (« E012 »)."))
    description = models.CharField(_("description"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    active = models.BooleanField(_("actif"), default=True)
    default_minutes = models.PositiveSmallIntegerField(
        _("durée d'un passage (minutes)"), default=6,
        help_text=_("La durée de départ de l'estimation, avant que des passages aient été mesurés."))

    class Meta:
        ordering = ["mairie", "position", "name"]
        verbose_name = _("service d'accueil")
        verbose_name_plural = _("services d'accueil")
        constraints = [
            models.UniqueConstraint(fields=["mairie", "slug"], name="accueil_service_unique_slug"),
            models.UniqueConstraint(fields=["mairie", "letter"], name="accueil_service_unique_letter"),
            models.CheckConstraint(condition=Q(default_minutes__gte=1), name="accueil_service_default_minutes"),
        ]

    def __str__(self):
        return self.name


class OpeningHours(models.Model):
    """One opening period of a service on a weekday (0 = Monday). A day may have several periods."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="hours", verbose_name=_("service"))
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=[
        (0, _("lundi")), (1, _("mardi")), (2, _("mercredi")), (3, _("jeudi")), (4, _("vendredi")),
        (5, _("samedi")), (6, _("dimanche"))])
    opens = models.TimeField(_("ouverture"))
    closes = models.TimeField(_("fermeture"))

    class Meta:
        ordering = ["service", "weekday", "opens"]
        verbose_name = _("horaire")
        verbose_name_plural = _("horaires")
        constraints = [
            models.CheckConstraint(condition=Q(opens__lt=models.F("closes")), name="accueil_hours_opens_before_closes"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="accueil_hours_weekday"),
        ]

    def covers(self, moment: time) -> bool:
        return self.opens <= moment < self.closes


class Counter(models.Model):
    """A counter (guichet) of a service. Its number is what the hall screen shows ("guichet 3")."""

    mairie = models.ForeignKey(Mairie, on_delete=models.CASCADE, related_name="accueil_counters",
                               verbose_name=_("mairie"))
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="counters",
                                verbose_name=_("service"))
    number = models.PositiveSmallIntegerField(_("numéro"))
    is_open = models.BooleanField(_("ouvert"), default=True)

    class Meta:
        ordering = ["mairie", "number"]
        verbose_name = _("guichet")
        verbose_name_plural = _("guichets")
        constraints = [models.UniqueConstraint(fields=["mairie", "number"], name="accueil_counter_unique_number")]

    def __str__(self):
        return _("Guichet %(n)d") % {"n": self.number}


class Channel(models.TextChoices):
    RECEPTION = "reception", _("à l'accueil")
    KIOSK = "kiosk", _("à la borne")
    ONLINE = "online", _("en ligne")


class State(models.TextChoices):
    WAITING = "waiting", _("en attente")
    CALLED = "called", _("appelé")
    SERVED = "served", _("servi")
    ABSENT = "absent", _("absent")
    TRANSFERRED = "transferred", _("transféré")
    CANCELLED = "cancelled", _("annulé")


OPEN_STATES = (State.WAITING, State.CALLED)


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Ticket(models.Model):
    """A place in a service's queue for one day. `token` is the private key of the ticket's own page
    (no account needed); `phone` and `email` serve only to notify and are erased when it closes
    (a check constraint says so). The notified_* flags are set by a conditional update before sending,
    so that a notification goes out at most once."""

    mairie = models.ForeignKey(Mairie, on_delete=models.CASCADE, related_name="accueil_tickets",
                               verbose_name=_("mairie"))
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="tickets", verbose_name=_("service"))
    day = models.DateField(_("jour"))
    seq = models.PositiveIntegerField(_("rang du jour"))
    number = models.CharField(_("numéro"), max_length=8)
    channel = models.CharField(_("pris"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    state = models.CharField(_("état"), max_length=12, choices=State.choices, default=State.WAITING)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    counter = models.ForeignKey(Counter, on_delete=models.SET_NULL, null=True, blank=True, related_name="tickets",
                                verbose_name=_("guichet"))
    queued_at = models.DateTimeField(_("en file depuis"), db_index=True,
                                     help_text=_("Son rang dans la file : un ticket transféré garde le sien."))
    created_at = models.DateTimeField(_("pris le"), auto_now_add=True)
    called_at = models.DateTimeField(_("appelé le"), null=True, blank=True)
    announced_at = models.DateTimeField(_("annoncé le"), null=True, blank=True)
    closed_at = models.DateTimeField(_("clos le"), null=True, blank=True)
    transferred_to = models.OneToOneField("self", on_delete=models.SET_NULL, null=True, blank=True,
                                          related_name="transferred_from", verbose_name=_("transféré vers"))
    # Personal data: only while the ticket is open.
    phone = models.CharField(_("téléphone"), max_length=16, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    lead_minutes = models.PositiveSmallIntegerField(_("prévenir (minutes avant)"), default=15)
    notified_soon_at = models.DateTimeField(null=True, blank=True, editable=False)
    notified_called_at = models.DateTimeField(null=True, blank=True, editable=False)
    notify_error = models.CharField(max_length=200, blank=True, editable=False)

    class Meta:
        ordering = ["queued_at", "pk"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        constraints = [
            models.UniqueConstraint(fields=["service", "day", "seq"], name="accueil_ticket_one_number_a_day"),
            models.UniqueConstraint(fields=["counter"], condition=Q(state="called"),
                                    name="accueil_ticket_one_called_per_counter"),
            models.CheckConstraint(condition=Q(state__in=["waiting", "called"]) | (Q(phone="") & Q(email="")),
                                   name="accueil_ticket_contact_only_while_open"),
            models.CheckConstraint(condition=~Q(state="called") | Q(counter__isnull=False),
                                   name="accueil_ticket_called_at_a_counter"),
        ]
        indexes = [models.Index(fields=["service", "state", "queued_at"], name="accueil_ticket_queue")]

    def __str__(self):
        return self.number

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


from .ambassadeurs.models import Ambassador, HelpConsent, HelpMessage, HelpRequest  # noqa: E402,F401 - this app's too
from .coworking.models import (  # noqa: E402,F401 - the co-working models belong to this app
    Booking,
    CalendarFeed,
    CoworkingDay,
    CoworkingSpace,
    Half,
    Invitation,
)
