"""Les ambassadeurs: residents who volunteer as relays for their neighbours.

A resident applies to be an ambassador of a mairie and its organisers accept (or not). An accepted
ambassador's profile (a public name, a quartier, the languages spoken, what they help with) is listed
publicly, never with a contact detail. A neighbour asks for help through the platform; the two write to
each other in the request's thread without seeing each other's contact details, unless both agree. The
neighbour may record their consent that the ambassador opens a carnet or takes a queue ticket on their
behalf; each consent is dated, revocable, and each use of it is logged in the engine's audit trail."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cms.models import Mairie


class Ambassador(models.Model):
    class Status(models.TextChoices):
        APPLIED = "applied", _("candidature à étudier")
        ACCEPTED = "accepted", _("ambassadeur·rice")
        DECLINED = "declined", _("candidature non retenue")
        STOPPED = "stopped", _("a cessé")

    mairie = models.ForeignKey(Mairie, on_delete=models.CASCADE, related_name="ambassadors", verbose_name=_("mairie"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ambassador_roles",
                             verbose_name=_("compte"))
    public_name = models.CharField(_("nom public"), max_length=60,
                                   help_text=_("Un prénom ou un surnom, affiché sur le profil public."))
    quartier = models.ForeignKey("participation.Quartier", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("quartier"))
    languages = models.CharField(_("langues parlées"), max_length=200,
                                 help_text=_("Séparées par des virgules, par exemple « français, arabe, wolof »."))
    help_with = models.TextField(_("ce pour quoi j'aide"), max_length=1000)
    motivation = models.TextField(_("motivation"), max_length=2000, blank=True,
                                  help_text=_("Lue par les organisateur·rices seulement."))
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.APPLIED)
    applied_at = models.DateTimeField(_("candidature"), auto_now_add=True)
    decided_at = models.DateTimeField(_("décision"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("décidé par"))

    class Meta:
        ordering = ["mairie", "public_name", "pk"]
        verbose_name = _("ambassadeur·rice")
        verbose_name_plural = _("ambassadeur·rices")
        constraints = [models.UniqueConstraint(fields=["mairie", "user"], name="accueil_ambassador_once_per_mairie")]
        indexes = [models.Index(fields=["mairie", "status"])]

    def __str__(self):
        return self.public_name

    @property
    def is_active(self):
        return self.status == self.Status.ACCEPTED

    def language_list(self) -> list[str]:
        return [part.strip() for part in self.languages.split(",") if part.strip()]


OPEN = Q(closed_at__isnull=True)


class HelpRequest(models.Model):
    """A neighbour's request to one ambassador. Private to the two of them: never public, never indexed,
    never in an organiser's listing. Each side's `*_shares_contact` says they agree to show their email
    to the other; it is shown only when both agree."""

    ambassador = models.ForeignKey(Ambassador, on_delete=models.CASCADE, related_name="requests")
    neighbour = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="help_requests")
    subject = models.CharField(_("objet"), max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    neighbour_shares_contact = models.BooleanField(default=False)
    ambassador_shares_contact = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("demande d'aide")
        verbose_name_plural = _("demandes d'aide")
        indexes = [models.Index(fields=["neighbour", "closed_at"]), models.Index(fields=["ambassador", "closed_at"])]

    def __str__(self):
        return self.subject

    @property
    def is_open(self):
        return self.closed_at is None

    @property
    def contacts_visible(self):
        return self.neighbour_shares_contact and self.ambassador_shares_contact


class HelpMessage(models.Model):
    """One message of a request's thread, by the neighbour, the ambassador, or the platform itself
    (`author` None: « carnet ouvert », « ticket pris »...)."""

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+")
    body = models.TextField(max_length=4000)
    link = models.CharField(max_length=300, blank=True)  # a page of the platform the message points to
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.body[:60]


class HelpConsent(models.Model):
    """The neighbour's consent that the ambassador does one kind of act for them (`kind`: an act
    registered in cms.on_behalf, « carnet » or « ticket »): when given, and when withdrawn. A withdrawn
    consent is kept (the consent's history) and never used again; at most one live consent per request
    and kind, said by the database."""

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(max_length=20)
    given_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["given_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["request", "kind"], condition=Q(withdrawn_at__isnull=True),
                                               name="accueil_help_consent_live_once")]

    def __str__(self):
        return self.kind
