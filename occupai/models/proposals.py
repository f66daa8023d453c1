import posixpath
import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cms.storage import PrivateStorage
from participation.models import Participatory
from participation.rules import SupportRule

from ..permissions import user_can_moderate_call
from ..phases import Phase

PHOTO_FOLDER = "occupai/propositions/"
PHOTO_EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif", "WEBP": ".webp"}


class ProposalPhotoStorage(PrivateStorage):
    """Proposal photos under PRIVATE_MEDIA_ROOT/occupai/propositions/ (owner-only, no web server
    serves them); their URL is occupai.views.proposal_image's, which asks who may see the proposal."""

    def url(self, name):
        return reverse("occupai-proposal-image", args=[posixpath.basename(name)])


_photo_storage = ProposalPhotoStorage()


def photo_storage():
    return _photo_storage


def photo_upload_to(instance, filename):
    """A random name: the uploader's file name (often a date, a place, a name) is not kept."""
    ext = posixpath.splitext(filename)[1].lower()
    return f"{PHOTO_FOLDER}{uuid.uuid4().hex}{ext if ext in PHOTO_EXTENSIONS.values() else ''}"


def call_support_rule(call) -> SupportRule:
    """The vote of one call: a budget per resident of its mairie, in its voting window. A call may
    hide the counts while the vote is open (so that early counts do not steer it), except from its
    organisers: the templates, serializers and API of Occupai all ask this rule."""

    def counts_visible(user) -> bool:
        return call.show_counts_during_voting or call.phase != Phase.VOTING or user_can_moderate_call(user, call)

    return SupportRule(context=f"occupai.call:{call.pk}", budget=call.vote_budget, opens_at=call.voting_opens_at,
                       closes_at=call.voting_closes_at, mairie=call.mairie, withdrawable=True,
                       counts_visible=counts_visible)


class Proposal(Participatory):
    """An event a resident, an association or a collective proposes for a call.

    Drafts are private; a submitted proposal waits for the organisers (pre-moderation) and only
    shows publicly once accepted. After the vote it is selected (and scheduled: see Event) or
    not selected, with a reason."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SUBMITTED = "submitted", _("En attente de validation")
        ACCEPTED = "accepted", _("Publiée")
        REJECTED = "rejected", _("Refusée")
        SELECTED = "selected", _("Retenue")
        NOT_SELECTED = "not_selected", _("Non retenue")

    class Kind(models.TextChoices):
        CONCERT = "concert", _("Concert, spectacle")
        EXHIBITION = "exhibition", _("Exposition")
        WORKSHOP = "workshop", _("Atelier")
        MEAL = "meal", _("Repas")
        SPORT = "sport", _("Sport, danse")
        DEBATE = "debate", _("Débat, rencontre")
        OTHER = "other", _("Autre")

    class ProposerType(models.TextChoices):
        RESIDENT = "resident", _("Habitant·e")
        ASSOCIATION = "association", _("Association")
        COLLECTIVE = "collective", _("Collectif")

    class Need(models.TextChoices):
        SOUND = "sound", _("Sonorisation")
        POWER = "power", _("Électricité")
        LIGHTING = "lighting", _("Éclairage")
        TABLES = "tables", _("Tables et chaises")
        STAGE = "stage", _("Scène, estrade")
        PROJECTOR = "projector", _("Écran, vidéoprojecteur")
        WATER = "water", _("Point d'eau")
        KITCHEN = "kitchen", _("Cuisine, réfrigérateur")
        SECURITY = "security", _("Sécurité, service d'ordre")
        STORAGE = "storage", _("Rangement du matériel")

    PUBLIC_STATUSES = (Status.ACCEPTED, Status.SELECTED, Status.NOT_SELECTED)
    EDITABLE_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.ACCEPTED, Status.REJECTED)

    call = models.ForeignKey("occupai.CallPage", on_delete=models.CASCADE, related_name="proposals",
                             verbose_name=_("appel à projets"))
    title = models.CharField(_("titre"), max_length=120)
    description = models.TextField(_("description"), max_length=5000)
    kind = models.CharField(_("type d'événement"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    proposer_type = models.CharField(_("qui propose"), max_length=20, choices=ProposerType.choices,
                                     default=ProposerType.RESIDENT)
    proposer_name = models.CharField(
        _("nom affiché"), max_length=120, blank=True,
        help_text=_("Le nom de votre association ou de votre collectif (facultatif pour un·e habitant·e)."))
    preferred_spaces = models.ManyToManyField("occupai.Space", blank=True, related_name="+",
                                              verbose_name=_("espaces souhaités"))
    expected_audience = models.PositiveIntegerField(
        _("public attendu (personnes)"), validators=[MinValueValidator(1), MaxValueValidator(10000)])
    needs = models.JSONField(_("besoins"), default=list, blank=True)
    needs_details = models.TextField(_("précisions sur les besoins"), max_length=2000, blank=True)
    accessibility = models.TextField(
        _("accessibilité"), max_length=2000, blank=True,
        help_text=_("Comment l'événement accueille tout le monde : accès en fauteuil, langue des signes, "
                    "espace calme, gratuité…"))
    image = models.ImageField(_("image"), storage=photo_storage, upload_to=photo_upload_to, blank=True)
    image_alt = models.CharField(_("description de l'image"), max_length=200, blank=True,
                                 help_text=_("Ce que montre l'image, pour les personnes qui ne la voient pas."))
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    status_reason = models.TextField(_("motif"), blank=True)
    submitted_at = models.DateTimeField(_("déposée le"), null=True, blank=True)
    decided_at = models.DateTimeField(_("décision le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["call", "status"])]
        verbose_name = _("proposition")
        verbose_name_plural = _("propositions")

    def __str__(self):
        return self.title

    def support_rule(self) -> SupportRule:
        return call_support_rule(self.call)

    def is_public(self) -> bool:
        return not self.is_hidden and self.status in self.PUBLIC_STATUSES and self.call.live

    def get_absolute_url(self):
        return self.call.subpath("proposal", self.pk)

    @property
    def shown_name(self):
        """Who proposes, as the public sees it."""
        if self.proposer_type != self.ProposerType.RESIDENT and self.proposer_name:
            return self.proposer_name
        if self.author_anonymous:
            return self.public_author_name
        return self.proposer_name or self.public_author_name

    @property
    def needs_labels(self):
        labels = dict(self.Need.choices)
        return [labels[key] for key in self.needs if key in labels]

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT


class ProposalSlot(models.Model):
    """A time slot the proposer would like, within the call's event period."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")),
                                              name="occupai_slot_ends_after_start")]
        verbose_name = _("créneau souhaité")
        verbose_name_plural = _("créneaux souhaités")


class Event(models.Model):
    """A selected proposal, scheduled in a space at a time: one line of the programme and one
    VEVENT of the calendar feeds (its UID never changes; SEQUENCE grows at each reschedule).

    No two events share a space at overlapping times: services.proposal_schedule checks it with
    the space's row locked, and on PostgreSQL an exclusion constraint (migration 0002) says so too."""

    call = models.ForeignKey("occupai.CallPage", on_delete=models.CASCADE, related_name="events",
                             verbose_name=_("appel à projets"))
    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="event",
                                    verbose_name=_("proposition"))
    space = models.ForeignKey("occupai.Space", on_delete=models.PROTECT, related_name="events",
                              verbose_name=_("espace"))
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "space__name", "id"]
        indexes = [models.Index(fields=["space", "starts_at"])]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")),
                                              name="occupai_event_ends_after_start")]
        verbose_name = _("événement")
        verbose_name_plural = _("événements")

    def __str__(self):
        return self.proposal.title

    def get_absolute_url(self):
        return self.call.subpath("event", self.proposal_id)

    @property
    def ics_path(self):
        return self.call.event_ics_path(self.proposal_id)

    def uid(self):
        """Stable for the event's whole life: derived from the proposal, never from its time or place."""
        return f"occupai-proposal-{self.proposal_id}@{self.call.mairie.slug}.mairie-de-demain"
