"""The participation engine's models: written once, used by every participatory app.

Supports, follows, reports, notifications and audit entries point at any participatory object
through a content type and an id. Participatory objects inherit the abstract `Participatory`
base, which carries the counters the engine keeps exact (F() updates inside transactions).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from .notification_kinds import Delivery, Kind
from .rules import SupportRule


class Quartier(models.Model):
    """A neighbourhood of a mairie (the 19e: Villette, Pont-de-Flandre, Amérique, Combat)."""

    mairie = models.ForeignKey("cms.Mairie", on_delete=models.CASCADE, related_name="quartiers",
                               verbose_name=_("mairie"))
    name = models.CharField(_("nom"), max_length=80)
    slug = models.SlugField(_("identifiant"), max_length=80)

    panels = [FieldPanel("mairie"), FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        ordering = ["mairie", "name"]
        constraints = [models.UniqueConstraint(fields=["mairie", "slug"], name="quartier_unique_slug_per_mairie")]
        verbose_name = _("quartier")
        verbose_name_plural = _("quartiers")

    def __str__(self):
        return self.name



class Participatory(models.Model):
    """Abstract base of every participatory object (a proposal, a project, an amendment...).

    The engine maintains the counters; apps implement support_rule(), get_absolute_url() and,
    if their visibility needs more than "not hidden", is_public().
    """

    mairie = models.ForeignKey("cms.Mairie", on_delete=models.PROTECT, related_name="+", verbose_name=_("mairie"))
    quartier = models.ForeignKey(Quartier, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name=_("quartier"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("auteur·rice"))
    author_anonymous = models.BooleanField(
        _("publier comme « un·e habitant·e du quartier »"), default=False,
        help_text=_("Votre nom reste connu des organisateurs, mais n'est pas affiché publiquement."))
    supports_count = models.PositiveIntegerField(_("soutiens"), default=0, editable=False)
    comments_count = models.PositiveIntegerField(_("commentaires"), default=0, editable=False)
    reports_count = models.PositiveIntegerField(_("signalements"), default=0, editable=False)
    is_hidden = models.BooleanField(_("masqué"), default=False, editable=False)
    hidden_reason = models.TextField(_("motif du masquage"), blank=True, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    # The counters move by plain UPDATEs (participation.services): a page that is participatory is
    # loaded from the database on each request, never kept with the route table (cms.routing).
    cache_in_routes = False

    class Meta:
        abstract = True

    def support_rule(self) -> SupportRule:
        return SupportRule.closed(_("Cet élément ne se soutient pas."))

    def is_public(self) -> bool:
        return not self.is_hidden

    @property
    def public_author_name(self):
        """The author as the public sees them (participation.anonymity decides)."""
        from .anonymity import author_name

        return author_name(self)

    @classmethod
    def participation_key(cls):
        return f"{cls._meta.app_label}.{cls._meta.model_name}"

    @property
    def target_ref(self):
        return f"{self.participation_key()}:{self.pk}"


class TargetMixin(models.Model):
    """A generic pointer to a participatory object."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")

    class Meta:
        abstract = True


class Support(TargetMixin):
    """One user's support (vote) for one object. The unique constraint is the rule."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supports")
    context = models.CharField(max_length=80, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "content_type", "object_id"], name="support_once")]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("soutien")
        verbose_name_plural = _("soutiens")


class SupportAllowance(models.Model):
    """How many supports a user has spent in one context (a call's vote budget).

    Spending is a conditional UPDATE (used < budget), atomic on every database."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    context = models.CharField(max_length=80)
    used = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "context"], name="allowance_once")]


class Follow(TargetMixin):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "content_type", "object_id"], name="follow_once")]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("abonnement")
        verbose_name_plural = _("abonnements")


class Notification(TargetMixin):
    """An on-site notification; the email copy is sent by a background task."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    verb = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    message = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    # How its email goes, from the user's preference for its kind when it was created (immediately,
    # in the daily digest, or never); the senders check the preference again before sending.
    email_delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"]),
                   models.Index(fields=["email_delivery", "emailed_at"], name="notification_email_due")]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self):
        return self.title


class NotificationPreference(models.Model):
    """How a user wants the emails of one kind of notification (participation.notification_kinds);
    a kind without a row follows the default (DEFAULTS). The on-site notification is always made."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notification_preferences")
    kind = models.CharField(_("type de notification"), max_length=20, choices=Kind.choices)
    delivery = models.CharField(_("envoi par e-mail"), max_length=10, choices=Delivery.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")]
        verbose_name = _("préférence de notification")
        verbose_name_plural = _("préférences de notification")

    def __str__(self):
        return f"{self.user_id}:{self.kind}={self.delivery}"


class Report(TargetMixin):
    """An abuse flag on an object or a comment."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam ou publicité")
        OFFENSIVE = "offensive", _("Propos injurieux ou haineux")
        OFF_TOPIC = "off_topic", _("Hors sujet")
        PERSONAL_DATA = "personal_data", _("Données personnelles exposées")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(_("motif"), max_length=20, choices=Reason.choices)
    note = models.CharField(_("précision"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "content_type", "object_id"], name="report_once")]
        indexes = [models.Index(fields=["content_type", "object_id"]), models.Index(fields=["resolved_at"])]
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")


class AuditEntry(models.Model):
    """Who did what, when and why: every moderation act and status decision.

    Public entries (decisions) are shown on the object as its timeline."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    mairie = models.ForeignKey("cms.Mairie", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    action = models.CharField(_("action"), max_length=40)
    label = models.CharField(_("libellé"), max_length=200, blank=True)
    reason = models.TextField(_("motif"), blank=True)
    public = models.BooleanField(default=False)
    # The actor was the anonymous author of the object: shown as « un·e habitant·e du quartier »
    # except to the organisers of its mairie, even if the object changes later (participation.anonymity).
    actor_anonymous = models.BooleanField(default=False)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("entrée du journal")
        verbose_name_plural = _("journal d'audit")

    def __str__(self):
        return f"{self.action} {self.content_type.model}:{self.object_id}"
