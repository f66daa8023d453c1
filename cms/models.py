"""Core models: users, mairies (one per Wagtail Site) and the core pages."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import AbstractGroupApprovalTask, Page, Site
from wagtail.search import index

from .routing import CachedRestrictionsMixin, CachedRoutesMixin


class Mairie(models.Model):
    """A mairie d'arrondissement. One per Wagtail Site: its hostname is the mairie's address.

    Every participatory object belongs to one mairie; `cms.mairies` scopes queries to it.
    """

    site = models.OneToOneField(Site, on_delete=models.CASCADE, related_name="mairie", verbose_name=_("site"))
    name = models.CharField(_("nom"), max_length=120)
    short_name = models.CharField(_("nom court"), max_length=40, help_text=_("Par exemple « 19e »."))
    slug = models.SlugField(_("identifiant"), unique=True, max_length=40)
    arrondissement = models.PositiveSmallIntegerField(_("arrondissement"), unique=True)
    address = models.CharField(_("adresse"), max_length=200, blank=True)
    contact_email = models.EmailField(_("e-mail de contact"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    opening_hours = models.TextField(
        _("horaires d'ouverture"), blank=True, max_length=1000,
        help_text=_("Une ligne par jour ou par période, par exemple « Lundi au vendredi : 8 h 30 – 17 h »."))
    pages_reviewed = models.BooleanField(
        _("relecture des pages"), default=False,
        help_text=_("Une page écrite par un·e éditeur·rice est publiée après l'accord d'un·e autre éditeur·rice "
                    "de la mairie (Wagtail : « Soumettre à Relecture · » suivi de la mairie)."))

    class Meta:
        ordering = ["arrondissement"]
        verbose_name = _("mairie")
        verbose_name_plural = _("mairies")

    def __str__(self):
        return self.name

    @property
    def root_url(self):
        return self.site.root_url


class User(AbstractUser):
    """A person on the platform. Residents belong to the mairie they signed up on; agents,
    editors and organisers to the mairie they work for. Roles are groups (see cms.roles)."""

    email = models.EmailField(_("adresse e-mail"), unique=True, blank=False)
    display_name = models.CharField(_("nom affiché"), max_length=80, blank=True)
    mairie = models.ForeignKey(
        Mairie, on_delete=models.PROTECT, null=True, blank=True, related_name="users", verbose_name=_("mairie")
    )
    email_confirmed = models.BooleanField(_("e-mail confirmé"), default=False)

    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("utilisateur·rice")
        verbose_name_plural = _("utilisateur·rices")

    def __str__(self):
        return self.public_name

    def save(self, *args, **kwargs):
        """A new password revokes the account's API tokens, whichever door set it (the reset link,
        Wagtail's account page, `changepassword`): every one of them saves the user after
        set_password(). Other sessions end by Django's session hash, which the password is part of."""
        password_changed = self._password is not None and self.pk is not None
        super().save(*args, **kwargs)
        if password_changed:
            from .services import user_tokens_revoke

            user_tokens_revoke(user=self)

    @property
    def public_name(self):
        return self.display_name or self.get_full_name() or self.username

    @cached_property
    def role_names(self):
        """The names of the user's groups. Asked on almost every request, so written as one plain
        query: building it with the ORM cost more than running it."""
        from django.db import connection

        group, link = self.groups.model._meta, self.groups.through._meta
        quote = connection.ops.quote_name
        sql = (f"SELECT g.{quote(group.get_field('name').column)} FROM {quote(group.db_table)} g "  # noqa: S608
               f"JOIN {quote(link.db_table)} l ON l.{quote(link.get_field('group').column)} = g.{quote(group.pk.column)} "
               f"WHERE l.{quote(link.get_field('user').column)} = %s")
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.pk])
            return frozenset(row[0] for row in cursor.fetchall())


class HomePage(CachedRoutesMixin, CachedRestrictionsMixin, Page):
    """A mairie's home: presents the platform's sections. Routes its descendants from a cached
    table (cms.routing)."""

    intro = RichTextField(_("introduction"), blank=True)
    body = StreamField(
        [
            ("heading", blocks.CharBlock(label=_("Intertitre"), form_classname="title")),
            ("paragraph", blocks.RichTextBlock(label=_("Paragraphe"))),
        ],
        blank=True,
        use_json_field=True,
        verbose_name=_("contenu"),
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    api_fields = [APIField("intro"), APIField("body")]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("page d'accueil")

    def get_context(self, request, *args, **kwargs):
        from cms.sections import sections_for

        context = super().get_context(request, *args, **kwargs)
        context["sections"] = sections_for(request, self)
        return context


class StandardPage(CachedRestrictionsMixin, Page):
    """A plain page with a StreamField body (the privacy page, the about page...)."""

    intro = models.CharField(_("chapeau"), max_length=300, blank=True)
    body = StreamField(
        [
            ("heading", blocks.CharBlock(label=_("Intertitre"), form_classname="title")),
            ("paragraph", blocks.RichTextBlock(label=_("Paragraphe"))),
            ("image", ImageChooserBlock(label=_("Image"))),
            (
                "quote",
                blocks.StructBlock(
                    [("text", blocks.TextBlock(label=_("Citation"))), ("who", blocks.CharBlock(label=_("Qui"), required=False))],
                    label=_("Citation"),
                ),
            ),
        ],
        blank=True,
        use_json_field=True,
        verbose_name=_("contenu"),
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    api_fields = [APIField("intro"), APIField("body")]

    class Meta:
        verbose_name = _("page standard")


class SecondEditorApprovalTask(AbstractGroupApprovalTask):
    """A page's review in a mairie that asks for one (Mairie.pages_reviewed, cms.moderation): the
    members of the task's groups (the mairie's editors) may approve or send back a page, except the
    one who submitted it. Approving the workflow's last task publishes the page."""

    def _submitted_by(self, obj, user):
        state = getattr(obj, "current_workflow_state", None)
        return state is not None and state.requested_by_id == user.pk

    def get_actions(self, obj, user):
        if self._submitted_by(obj, user):
            return []
        return super().get_actions(obj, user)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        return super().get_task_states_user_can_moderate(user, **kwargs).exclude(
            workflow_state__requested_by=user)

    @classmethod
    def get_description(cls):
        return _("Un·e autre éditeur·rice de la mairie que celui ou celle qui a soumis la page l'approuve")

    class Meta:
        verbose_name = _("relecture par un·e second·e éditeur·rice")
        verbose_name_plural = _("relectures par un·e second·e éditeur·rice")
