"""Exploration days, the agents' applications to them, their logbooks and shared summaries.

Privacy by construction: a logbook entry belongs to its author; the host service sees the
logbook only once the author shares it (`ExplorationApplication.logbook_shared_at`), and the
other agents see only what the author publishes as an `ExplorationSummary`. The day's contact is
for agents only (the whole space is). Seats and the waiting list use the shared mechanism
(participation.waitlist, `SEATS`), as hackathon days do.
"""

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from participation.waitlist import Waitlist


def logbook_storage():
    """The Bricolages' private storage (bricolages.models): served only through a checked view."""
    from bricolages.models import private_storage

    return private_storage()


def logbook_upload_to(instance, filename):
    return f"explorations/{uuid.uuid4().hex}/{filename}"


class ExplorationDay(models.Model):
    """A day a service of a mairie opens to an agent from elsewhere ("vis ma vie")."""

    mairie = models.ForeignKey("cms.Mairie", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("mairie d'accueil"))
    service = models.CharField(_("service d'accueil"), max_length=160)
    date = models.DateField(_("date"))
    place = models.CharField(_("lieu"), max_length=200)
    capacity = models.PositiveSmallIntegerField(_("places"), validators=[MinValueValidator(1)])
    what_you_will_see = models.TextField(_("ce que vous verrez"), max_length=4000)
    contact = models.CharField(_("contact"), max_length=200,
                               help_text=_("Visible des seuls agents : nom, téléphone ou e-mail de la personne qui accueille."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("proposée par"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(capacity__gte=1), name="exploration_day_capacity")]
        verbose_name = _("journée d'exploration")
        verbose_name_plural = _("journées d'exploration")

    def __str__(self):
        return f"{self.service} ({self.date:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("bricolages:exploration-day", args=[self.pk])


class ExplorationApplication(models.Model):
    """An agent's application to a day, with their goals: a seat (confirmed) or the waiting list;
    the host service then accepts a confirmed application, or declines it (its seat is freed)."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Place réservée")
        WAITING = "waiting", _("Liste d'attente")
        CANCELLED = "cancelled", _("Annulée")
        DECLINED = "declined", _("Refusée par le service")

    HOLDING = (Status.CONFIRMED, Status.WAITING)

    day = models.ForeignKey(ExplorationDay, on_delete=models.CASCADE, related_name="applications",
                            verbose_name=_("journée"))
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="explorations",
                              verbose_name=_("agent"))
    goals = models.TextField(_("objectifs"), max_length=3000)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices)
    created_at = models.DateTimeField(_("candidature du"), auto_now_add=True)  # the place in the queue
    promoted_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    logbook_shared_at = models.DateTimeField(_("carnet partagé avec le service le"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)  # the reminder the day before, sent once
    logbook_reminded_at = models.DateTimeField(null=True, blank=True)  # the logbook reminder after, sent once

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["day", "agent"], name="exploration_apply_once"),
            models.CheckConstraint(condition=models.Q(accepted_at__isnull=True) | models.Q(status="confirmed"),
                                   name="exploration_accepted_is_confirmed"),
        ]
        verbose_name = _("candidature à une exploration")
        verbose_name_plural = _("candidatures aux explorations")

    def __str__(self):
        return f"{self.agent} → {self.day}"

    def get_absolute_url(self):
        return reverse("bricolages:exploration", args=[self.pk])

    @property
    def is_accepted(self):
        return self.accepted_at is not None and self.status == self.Status.CONFIRMED

    @property
    def published_summary(self):
        """The summary the visitor published, or None."""
        try:
            return self.summary
        except ExplorationSummary.DoesNotExist:
            return None


# An exploration day's seats and waiting list: the shared mechanism, as for hackathon days.
SEATS = Waitlist(model=ExplorationApplication, day_field="day")


class LogbookEntry(models.Model):
    """One note of the visitor's logbook, with an optional photo. Private to its author until the
    author shares the logbook with the host service."""

    application = models.ForeignKey(ExplorationApplication, on_delete=models.CASCADE, related_name="logbook",
                                    verbose_name=_("exploration"))
    text = models.TextField(_("texte"), max_length=4000)
    photo = models.FileField(_("photo"), storage=logbook_storage, upload_to=logbook_upload_to, max_length=255,
                             blank=True)
    photo_alt = models.CharField(_("description de la photo"), max_length=250, blank=True)
    photo_type = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("note du carnet de bord")
        verbose_name_plural = _("notes du carnet de bord")

    def __str__(self):
        return self.text[:60]

    def photo_url(self):
        return reverse("bricolages:exploration-photo", args=[self.application_id, self.pk]) if self.photo else ""


class ExplorationSummary(models.Model):
    """What the visitor learned, published to all agents. Bricolages it inspired point to it
    (`BricolagePage.born_from`)."""

    application = models.OneToOneField(ExplorationApplication, on_delete=models.CASCADE, related_name="summary",
                                       verbose_name=_("exploration"))
    title = models.CharField(_("titre"), max_length=160)
    text = models.TextField(_("ce que j'ai appris"), max_length=6000)
    published_at = models.DateTimeField(_("publiée le"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("synthèse d'exploration")
        verbose_name_plural = _("synthèses d'exploration")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("bricolages:exploration-summary", args=[self.pk])
