"""Open Bricolage editions, their workshops, the agents' registrations and their feedback.

Privacy by construction: an edition and its workshops are the public programme (titles,
descriptions, date, place, the bricolage shown); who leads a workshop, who registered and what
they wrote are for agents only, and never reach a public page, the public API or the search.
Seats and waiting lists use the shared mechanism (participation.waitlist): a workshop's seats
(`WORKSHOP_SEATS`), and the seats of the day for those who come without a workshop (`DAY_SEATS`).
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from participation.waitlist import Waitlist


class OpenBricolageEdition(models.Model):
    """One yearly day: where and when, and the seats for those who come without a workshop."""

    mairie = models.ForeignKey("cms.Mairie", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("mairie qui accueille"))
    title = models.CharField(_("titre"), max_length=160)
    date = models.DateField(_("date"))
    place = models.CharField(_("lieu"), max_length=200)
    description = models.TextField(_("présentation"), max_length=4000)
    capacity = models.PositiveSmallIntegerField(_("places pour la journée"), validators=[MinValueValidator(1)],
                                                help_text=_("Pour les agents qui viennent sans choisir d'atelier."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("créée par"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(capacity__gte=1), name="openbricolage_capacity")]
        verbose_name = _("édition d'Open Bricolage")
        verbose_name_plural = _("éditions d'Open Bricolage")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("bricolages:openbricolage-edition", args=[self.pk])


class Workshop(models.Model):
    """A workshop of the day, led by the agent who made the bricolage it shows."""

    edition = models.ForeignKey(OpenBricolageEdition, on_delete=models.CASCADE, related_name="workshops",
                                verbose_name=_("édition"))
    title = models.CharField(_("titre"), max_length=160)
    description = models.TextField(_("description"), max_length=3000)
    starts_at = models.TimeField(_("heure de début"))
    capacity = models.PositiveSmallIntegerField(_("places"), validators=[MinValueValidator(1)])
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("animé par"))
    bricolage = models.ForeignKey("bricolages.BricolagePage", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("bricolage présenté"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(capacity__gte=1), name="openbricolage_workshop_capacity")]
        verbose_name = _("atelier d'Open Bricolage")
        verbose_name_plural = _("ateliers d'Open Bricolage")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.edition.get_absolute_url() + f"#atelier-{self.pk}"


class Registration(models.Model):
    """An agent's registration to an edition: to one of its workshops, or to the day without one.
    One per agent and edition; a seat (confirmed) or the waiting list."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Inscription confirmée")
        WAITING = "waiting", _("Liste d'attente")
        CANCELLED = "cancelled", _("Annulée")

    HOLDING = (Status.CONFIRMED, Status.WAITING)

    edition = models.ForeignKey(OpenBricolageEdition, on_delete=models.CASCADE, related_name="registrations",
                                verbose_name=_("édition"))
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="registrations", verbose_name=_("atelier"))
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="openbricolage",
                              verbose_name=_("agent"))
    first_time = models.BooleanField(_("n'a jamais utilisé le wiki"), default=False)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices)
    created_at = models.DateTimeField(_("inscription du"), auto_now_add=True)  # the place in the queue
    promoted_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)  # the reminder the day before, sent once

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["edition", "agent"], name="openbricolage_register_once")]
        verbose_name = _("inscription à Open Bricolage")
        verbose_name_plural = _("inscriptions à Open Bricolage")

    def __str__(self):
        return f"{self.agent} → {self.edition}"

    def get_absolute_url(self):
        return self.edition.get_absolute_url() + "#inscription"


@dataclass(frozen=True)
class DayWaitlist(Waitlist):
    """The day's seats: only the registrations without a workshop count (a workshop has its own)."""

    def rows(self, day):
        return super().rows(day).filter(workshop__isnull=True)

    def waiting_ahead(self, day_id, queued_at, pk):
        return super().waiting_ahead(day_id, queued_at, pk).filter(workshop__isnull=True)

    def count_subquery(self, status):
        return Coalesce(Subquery(
            self.model.objects.filter(edition=OuterRef("pk"), workshop__isnull=True, status=status).order_by()
            .values("edition").annotate(n=Count("pk")).values("n")), 0)


WORKSHOP_SEATS = Waitlist(model=Registration, day_field="workshop")
DAY_SEATS = DayWaitlist(model=Registration, day_field="edition")


def seats_for(registration):
    return DAY_SEATS if registration.workshop_id is None else WORKSHOP_SEATS


class EditionFeedback(models.Model):
    """After the day, what an agent who came thought of it: a rating and a text, shown to agents."""

    edition = models.ForeignKey(OpenBricolageEdition, on_delete=models.CASCADE, related_name="feedback",
                                verbose_name=_("édition"))
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                              verbose_name=_("agent"))
    rating = models.PositiveSmallIntegerField(_("note"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    text = models.TextField(_("retour"), max_length=3000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "agent"], name="openbricolage_feedback_once"),
            models.CheckConstraint(condition=Q(rating__gte=1) & Q(rating__lte=5), name="openbricolage_feedback_rating"),
        ]
        verbose_name = _("retour sur Open Bricolage")
        verbose_name_plural = _("retours sur Open Bricolage")

    def __str__(self):
        return f"{self.edition}: {self.rating}/5"
