"""The Service lab: complaints, recurring issues, the verifiable monthly draw, hackathon sessions
and their outcomes.

Personal data (a letter's full text, its scan, the author's contact and account) live in
`ComplaintPersonalData`, a separate table that no public serializer, template or search
document touches; the retention purge deletes those rows and keeps the anonymised summary.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from cms import roles
from cms import storage as cms_storage
from cms.errors import Conflict
from participation.models import Participatory, Quartier
from participation.rules import SupportRule
from participation.waitlist import Waitlist


class PrivateStorage(cms_storage.PrivateStorage):
    """Files under settings.PRIVATE_MEDIA_ROOT (read at each use), with no URL at all: scans are
    served only by a permission-checked view, never from a public media path; owner-only (0600)."""

    def url(self, name):
        raise ValueError("Private files have no public URL.")

    def deconstruct(self):
        return ("hackathon.models.PrivateStorage", (), {})


private_storage = PrivateStorage()


def scan_upload_to(instance, filename):
    ext = Path(filename).suffix.lower()[:6] or ".bin"
    return f"complaints/{uuid.uuid4().hex}{ext}"


class RecurringIssue(Participatory):
    """A problem residents write about again and again. Its recurrence is the number of its
    complaints plus the residents who said « moi aussi » (the engine's supports)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Ouvert")
        DRAWN = "drawn", _("Tiré au sort")
        SOLVED = "solved", _("Résolu")
        ARCHIVED = "archived", _("Archivé")

    title = models.CharField(_("titre"), max_length=160)
    description = models.TextField(_("description publique"), blank=True)
    status = models.CharField(_("statut"), max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True)
    complaints_count = models.PositiveIntegerField(_("courriers"), default=0, editable=False)
    tags = TaggableManager(blank=True, verbose_name=_("thèmes"))

    class Meta:
        ordering = ["-complaints_count", "title"]
        verbose_name = _("sujet récurrent")
        verbose_name_plural = _("sujets récurrents")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("hackathon:issue", args=[self.pk])

    @property
    def recurrence(self):
        return self.complaints_count + self.supports_count

    @property
    def me_too_count(self):
        return self.supports_count

    def is_public(self):
        return not self.is_hidden and self.status != self.Status.ARCHIVED

    def support_rule(self):
        def eligible(user):
            if not roles.is_confirmed(user):
                return str(_("Confirmez d'abord votre adresse e-mail pour dire « moi aussi »."))
            return None

        if self.status == self.Status.SOLVED:
            return SupportRule(closed_reason=str(_("Ce sujet est résolu.")), mairie=self.mairie)
        return SupportRule(context="", budget=None, mairie=self.mairie, eligible=eligible, withdrawable=True)



class Complaint(models.Model):
    """A complaint: a paper letter digitised by an agent, or sent online by a resident.

    Only agents and organisers of its mairie read it. The public sees, on its recurring issue,
    the anonymised summary an agent wrote or approved."""

    class Channel(models.TextChoices):
        PAPER = "paper", _("Courrier papier")
        EMAIL = "email", _("E-mail")
        IN_PERSON = "in_person", _("À l'accueil")
        ONLINE = "online", _("En ligne")

    mairie = models.ForeignKey("cms.Mairie", on_delete=models.PROTECT, related_name="+", verbose_name=_("mairie"))
    quartier = models.ForeignKey(Quartier, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name=_("quartier"))
    issue = models.ForeignKey(RecurringIssue, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="complaints", verbose_name=_("sujet récurrent"))
    channel = models.CharField(_("canal"), max_length=12, choices=Channel.choices, default=Channel.PAPER)
    received_on = models.DateField(_("reçu le"))
    public_summary = models.TextField(
        _("résumé public"), blank=True,
        help_text=_("Anonymisé : ni nom, ni adresse, ni détail qui permette de reconnaître la personne."))
    summary_approved_at = models.DateTimeField(_("résumé validé le"), null=True, blank=True)
    summary_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                            blank=True, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("enregistré par"))
    grouped_at = models.DateTimeField(null=True, blank=True)
    personal_data_purged_at = models.DateTimeField(_("données personnelles effacées le"), null=True, blank=True)
    tags = TaggableManager(blank=True, verbose_name=_("thèmes"))
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["mairie", "issue"])]
        verbose_name = _("courrier")
        verbose_name_plural = _("courriers")

    def __str__(self):
        return _("Courrier n° %(n)s") % {"n": self.pk}

    def get_absolute_url(self):
        return reverse("hackathon:complaint", args=[self.pk])

    @property
    def summary_is_public(self):
        return bool(self.summary_approved_at and self.public_summary)


class ComplaintPersonalData(models.Model):
    """Everything personal about a complaint. Agents and organisers of its mairie only; deleted
    (row and scan file) by the retention purge."""

    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, primary_key=True, related_name="personal")
    subject = models.CharField(_("objet"), max_length=200)
    full_text = models.TextField(_("texte complet"), blank=True)
    scan = models.FileField(_("scan"), storage=private_storage, upload_to=scan_upload_to, blank=True, max_length=200)
    scan_content_type = models.CharField(max_length=60, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("compte de l'auteur·rice"))
    contact_name = models.CharField(_("nom"), max_length=160, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    postal_address = models.TextField(_("adresse postale"), blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("données personnelles d'un courrier")
        verbose_name_plural = _("données personnelles des courriers")

    @property
    def email(self):
        return self.contact_email or (self.author.email if self.author_id and self.author.email else "")


class DrawQuerySet(models.QuerySet):
    """Draws are a public record: no bulk update or delete."""

    def update(self, **kwargs):
        raise Conflict(_("Un tirage ne se modifie pas."), code="draw_immutable")

    def delete(self):
        raise Conflict(_("Un tirage ne se supprime pas."), code="draw_immutable")


class Draw(models.Model):
    """A month's draw. Opened (frozen) first: its record (the eligible issues, weights, the named
    entropy source and the moment its value becomes public) and that record's SHA-256 are
    published; then run once with the entropy value, never before that moment.

    One draw per mairie and month (a constraint); a redraw is a new row linked to the draw it
    replaces (sequence 2, 3...), with a public reason and a new future entropy event, the first one
    staying visible. A month has at most one ordinary redraw; further ones only when the drawn
    subject became void. A mairie has at most one frozen draw at a time: a month is run or closed
    as void (with its reason) before the next pool is frozen, so no issue sits in two frozen pools.
    Never edited after it is run or closed, never deleted."""

    class Status(models.TextChoices):
        FROZEN = "frozen", _("Liste publiée, en attente du tirage")
        DRAWN = "drawn", _("Tiré")
        VOID = "void", _("Clôturé sans tirage")

    class RedrawKind(models.TextChoices):
        INCIDENT = "incident", _("Incident (une seule fois par mois)")
        VOID_WINNER = "void_winner", _("Le sujet tiré est devenu caduc")

    FROZEN_FIELDS = ("mairie_id", "month", "sequence", "redraw_of_id", "redraw_reason", "redraw_kind", "record_json",
                     "list_hash", "entropy_source", "entropy_available_at", "opened_at", "opened_by_id")

    mairie = models.ForeignKey("cms.Mairie", on_delete=models.PROTECT, related_name="+", verbose_name=_("mairie"))
    month = models.DateField(_("mois"), help_text=_("Le premier jour du mois."))
    sequence = models.PositiveSmallIntegerField(_("rang"), default=1)
    redraw_of = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="redraw", verbose_name=_("remplace le tirage"))
    redraw_reason = models.TextField(_("motif du nouveau tirage"), blank=True)
    redraw_kind = models.CharField(_("nature du nouveau tirage"), max_length=12, choices=RedrawKind.choices,
                                   blank=True)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.FROZEN)
    record_json = models.TextField(_("liste gelée (JSON canonique)"))
    list_hash = models.CharField(_("empreinte SHA-256 de la liste"), max_length=64)
    entropy_source = models.TextField(_("source du hasard"))
    entropy_available_at = models.DateTimeField(_("valeur connue à partir du"))
    opened_at = models.DateTimeField(_("ouvert le"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    entropy_value = models.TextField(_("valeur du hasard"), blank=True)
    seed = models.CharField(_("graine"), max_length=64, blank=True)
    winner = models.ForeignKey(RecurringIssue, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="wins", verbose_name=_("sujet tiré"))
    drawn_at = models.DateTimeField(_("tiré le"), null=True, blank=True)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    closed_reason = models.TextField(_("motif de la clôture"), blank=True)
    closed_at = models.DateTimeField(_("clôturé le"), null=True, blank=True)

    objects = DrawQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["mairie", "month"], condition=models.Q(redraw_of__isnull=True),
                                    name="hackathon_one_draw_per_mairie_month"),
            models.UniqueConstraint(fields=["mairie", "month", "sequence"], name="hackathon_draw_sequence"),
            models.UniqueConstraint(fields=["mairie", "month"], condition=models.Q(redraw_kind="incident"),
                                    name="hackathon_one_incident_redraw_per_month"),
            models.UniqueConstraint(fields=["mairie"], condition=models.Q(status="frozen"),
                                    name="hackathon_one_frozen_draw_per_mairie"),
            models.CheckConstraint(condition=models.Q(entropy_available_at__gt=models.F("opened_at")),
                                   name="hackathon_draw_entropy_after_opening"),
            models.CheckConstraint(condition=~models.Q(status="drawn")
                                   | models.Q(drawn_at__gte=models.F("entropy_available_at")),
                                   name="hackathon_draw_not_before_entropy"),
            models.CheckConstraint(condition=models.Q(redraw_of__isnull=True, sequence=1, redraw_reason="",
                                                      redraw_kind="")
                                   | (models.Q(redraw_of__isnull=False, sequence__gt=1)
                                      & ~models.Q(redraw_reason="") & ~models.Q(redraw_kind="")),
                                   name="hackathon_redraw_has_reason_and_kind"),
            models.CheckConstraint(condition=~models.Q(status="void") | ~models.Q(closed_reason=""),
                                   name="hackathon_void_draw_has_reason"),
        ]
        verbose_name = _("tirage au sort")
        verbose_name_plural = _("tirages au sort")

    def __str__(self):
        label = self.month.strftime("%Y-%m") if self.month else "?"
        return f"{label} #{self.sequence}" if self.sequence > 1 else label

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = type(self)._base_manager.filter(pk=self.pk).values(*self.FROZEN_FIELDS, "status").first()
            if stored is not None:
                if stored["status"] == self.Status.DRAWN:
                    raise Conflict(_("Ce tirage a eu lieu : il ne se modifie plus."), code="draw_immutable")
                if stored["status"] == self.Status.VOID:
                    raise Conflict(_("Ce tirage est clôturé : il ne se modifie plus."), code="draw_immutable")
                if any(stored[name] != getattr(self, name) for name in self.FROZEN_FIELDS):
                    raise Conflict(_("La liste gelée d'un tirage ne se modifie pas."), code="draw_immutable")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("hackathon:draw", args=[self.pk])

    def delete(self, *args, **kwargs):
        raise Conflict(_("Un tirage ne se supprime pas."), code="draw_immutable")

    @property
    def month_label(self):
        return self.month.strftime("%Y-%m")

    @property
    def is_drawn(self):
        return self.status == self.Status.DRAWN

    @property
    def is_void(self):
        return self.status == self.Status.VOID


class HackathonSession(models.Model):
    """The day in the salle des fêtes that works on a drawn issue."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Programmée")
        CANCELLED = "cancelled", _("Annulée")

    mairie = models.ForeignKey("cms.Mairie", on_delete=models.PROTECT, related_name="+", verbose_name=_("mairie"))
    draw = models.OneToOneField(Draw, on_delete=models.PROTECT, related_name="session", verbose_name=_("tirage"))
    issue = models.ForeignKey(RecurringIssue, on_delete=models.PROTECT, related_name="sessions",
                              verbose_name=_("sujet"))
    title = models.CharField(_("titre"), max_length=160)
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    place = models.CharField(_("lieu"), max_length=200)
    capacity = models.PositiveIntegerField(_("places"))
    programme = models.TextField(_("programme"), blank=True)
    tools = models.TextField(_("outils et matériel"), blank=True)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("journée hackathon")
        verbose_name_plural = _("journées hackathon")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("hackathon:session", args=[self.pk])


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Inscrit·e")
        WAITING = "waiting", _("Liste d'attente")

    session = models.ForeignKey(HackathonSession, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    promoted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="hackathon_register_once")]
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")


# A session's seats and waiting list: the shared mechanism (participation.waitlist).
SEATS = Waitlist(model=Registration, day_field="session")


class Outcome(models.Model):
    """What the hackathon decided, who carries it and by when; followed until implemented.
    Each change is a public entry of the issue's timeline (participation's audit log)."""

    class Status(models.TextChoices):
        DECIDED = "decided", _("Décidé")
        IN_PROGRESS = "in_progress", _("En cours")
        IMPLEMENTED = "implemented", _("Réalisé")

    NEXT = {Status.DECIDED: Status.IN_PROGRESS, Status.IN_PROGRESS: Status.IMPLEMENTED}

    mairie = models.ForeignKey("cms.Mairie", on_delete=models.PROTECT, related_name="+")
    session = models.OneToOneField(HackathonSession, on_delete=models.PROTECT, related_name="outcome")
    issue = models.ForeignKey(RecurringIssue, on_delete=models.PROTECT, related_name="outcomes")
    decision = models.TextField(_("décision"))
    carried_by = models.CharField(_("porté par"), max_length=200)
    due_on = models.DateField(_("échéance"), null=True, blank=True)
    status = models.CharField(_("statut"), max_length=12, choices=Status.choices, default=Status.DECIDED)
    published_at = models.DateTimeField(_("publié le"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at"]
        verbose_name = _("suite donnée")
        verbose_name_plural = _("suites données")

    def __str__(self):
        return self.decision[:80]

    def get_absolute_url(self):
        return reverse("hackathon:session", args=[self.session_id]) + "#suite"


class Letter(models.Model):
    """A paper letter to a complainant with no email: the draw's result or an outcome's change.

    The body holds only the news (no personal data); the address is read from the complaint's
    personal data when the PDF is made, so the purge leaves nothing behind."""

    class Kind(models.TextChoices):
        DRAW = "draw", _("Résultat du tirage")
        CORRECTION = "correction", _("Correction du tirage")
        OUTCOME = "outcome", _("Suite donnée")

    mairie = models.ForeignKey("cms.Mairie", on_delete=models.PROTECT, related_name="+")
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    event_key = models.CharField(max_length=60)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")
    withdrawn_at = models.DateTimeField(_("retirée le"), null=True, blank=True,
                                        help_text=_("Le résultat annoncé a été remplacé : ne pas envoyer."))

    class Meta:
        ordering = ["sent_at", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "event_key"], name="hackathon_letter_once"),
            models.CheckConstraint(condition=models.Q(sent_at__isnull=True) | models.Q(withdrawn_at__isnull=True),
                                   name="hackathon_letter_sent_or_withdrawn"),
        ]
        verbose_name = _("lettre à envoyer")
        verbose_name_plural = _("lettres à envoyer")
