"""The agents' wiki of DIY tools.

A bricolage is a Wagtail page (`BricolagePage`) so that revisions, images and the page tree come
with it; its pages live under one `BricolageIndexPage` placed directly under Wagtail's root, beside
the mairies' home pages and inside no Site: Wagtail never routes them, lists them in a sitemap or
in the public pages API. They are served by this app's own URLs under /bricolages/, on any
mairie's host, to agents only.

What is one version of the content (title, texts, steps, tags, tools, attachments) is saved in
each Wagtail revision; what belongs to the bricolage as a whole (author, mairie, "variant of",
the engine's counters, moderation) is kept across revisions (see `with_content_json`).
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import get_all_child_relations
from taggit.models import ItemBase, TagBase, TaggedItemBase
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Orderable, Page, Site

from cms import storage as cms_storage
from cms.subpages import RouteTableMixin
from participation.models import Participatory

from . import conf

# --- storage of attachments: private, served only through a permission-checked view -----------


class PrivateStorage(cms_storage.PrivateStorage):
    """Files under PRIVATE_MEDIA_ROOT, which no web server exposes; owner-only (0600 in 0700 folders)."""

    @cached_property
    def base_location(self):
        return str(conf.private_root())

    @cached_property
    def location(self):
        return str(Path(self.base_location).resolve())


_private_storage = PrivateStorage()


def private_storage():
    return _private_storage


def attachment_upload_to(instance, filename):
    return f"bricolages/{uuid.uuid4().hex}/{filename}"


# --- the tree: one index page, outside every Site ----------------------------------------------


class AgentsOnlyPage(Page):
    """Pages of this wiki are never served by Wagtail's router nor listed in a sitemap."""

    class Meta:
        abstract = True

    def get_sitemap_urls(self, request=None):
        return []

    def _url_parts_for(self, request, path):
        site = Site.find_for_request(request) if request is not None else None
        if site is None:
            site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
        if site is None:
            return None
        return (site.id, site.root_url, path)


class BricolageIndexPage(AgentsOnlyPage):
    """The parent of every bricolage, shared by all the mairies."""

    intro = models.TextField(_("introduction"), blank=True)

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["bricolages.BricolagePage"]
    max_count = 1

    class Meta:
        verbose_name = _("index des bricolages")

    def get_url_parts(self, request=None):
        return self._url_parts_for(request, reverse("bricolages:list"))

    def serve(self, request, *args, **kwargs):
        return redirect("bricolages:list")


# --- tags and tools --------------------------------------------------------------------------


class TaggedBricolage(TaggedItemBase):
    content_object = ParentalKey("bricolages.BricolagePage", on_delete=models.CASCADE, related_name="tagged_items")


class Tool(TagBase):
    """A tool or material used by bricolages (« Tableur », « Plastifieuse »...): the list filters on it."""

    class Meta:
        verbose_name = _("outil")
        verbose_name_plural = _("outils")
        ordering = ["name"]


class BricolageTool(ItemBase):
    tag = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="bricolage_items")
    content_object = ParentalKey("bricolages.BricolagePage", on_delete=models.CASCADE, related_name="tool_items")


# --- the bricolage ---------------------------------------------------------------------------


class StepBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Ce qu'il faut faire"))
    image = ImageChooserBlock(label=_("Image"), required=False)
    alt = blocks.CharBlock(label=_("Texte alternatif de l'image"), required=False, max_length=250,
                           help_text=_("Décrivez l'image pour les personnes qui ne la voient pas."))

    class Meta:
        label = _("Étape")
        icon = "list-ol"


class Licence(models.TextChoices):
    CC_BY_SA = "cc-by-sa-4.0", _("Creative Commons BY-SA 4.0")
    EUPL = "eupl-1.2", _("EUPL 1.2 (pour les macros et les scripts)")


LICENCE_SUMMARIES = {
    Licence.CC_BY_SA: _("Libre de réutiliser et d'adapter, en citant l'auteur·rice ; "
                        "vos améliorations sont partagées sous la même licence."),
    Licence.EUPL: _("Licence libre européenne : réutilisation libre, les versions modifiées "
                    "restent libres et sont partagées en retour."),
}

# Fields owned by the bricolage as a whole, not by one version: restoring an old revision keeps
# their current values, and a full save never overwrites the engine's counters.
WHOLE_BRICOLAGE_FIELDS = ("mairie_id", "quartier_id", "author_id", "author_anonymous", "variant_of_id", "born_from_id",
                          "supports_count", "comments_count", "reports_count", "is_hidden", "hidden_reason",
                          "created_at")
ENGINE_COUNTERS = ("supports_count", "comments_count", "reports_count")


class BricolagePage(RouteTableMixin, Participatory, AgentsOnlyPage):
    """One DIY tool: the problem it solves, a step-by-step guide, its files; a wiki page."""

    problem = models.TextField(_("le problème résolu"), max_length=2000)
    summary = models.TextField(_("en bref"), max_length=600)
    materials = models.TextField(_("outils et matériel"), blank=True, max_length=3000,
                                 help_text=_("Logiciels, fournitures, quantités : tout ce qu'il faut réunir."))
    tools = ClusterTaggableManager(through=BricolageTool, blank=True, verbose_name=_("outils utilisés"),
                                   related_name="tool_bricolages")
    tags = ClusterTaggableManager(through=TaggedBricolage, blank=True, verbose_name=_("étiquettes"),
                                  related_name="tag_bricolages")
    steps = StreamField([("step", StepBlock())], blank=True, use_json_field=True, verbose_name=_("étapes"))
    licence = models.CharField(_("licence"), max_length=20, choices=Licence.choices, default=Licence.CC_BY_SA)
    variant_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="variants", verbose_name=_("variante de"))
    born_from = models.ForeignKey("bricolages.ExplorationSummary", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="inspired_bricolages", verbose_name=_("né d'une exploration"))

    parent_page_types = ["bricolages.BricolageIndexPage"]
    subpage_types = []
    route_table = "bricolages.routes.PAGE_ROUTES"  # the admin preview only
    # Not in Wagtail's own (admin) search index: the platform's search gets bricolages, for agents
    # only, through bricolages.search; one index less where they could leak.
    search_fields = []

    class Meta:
        verbose_name = _("bricolage")
        verbose_name_plural = _("bricolages")

    def __str__(self):
        return self.title

    # --- the engine's hooks
    def is_public(self) -> bool:
        """"Public" to the engine means visible in the agents' space: live and not hidden."""
        return self.live and not self.is_hidden

    def get_absolute_url(self):
        return reverse("bricolages:detail", args=[self.pk])

    # --- Wagtail
    def get_url_parts(self, request=None):
        return self._url_parts_for(request, self.get_absolute_url())

    def serve(self, request, *args, **kwargs):
        return redirect(self.get_absolute_url())

    def with_content_json(self, content):
        obj = super().with_content_json(content)
        for name in WHOLE_BRICOLAGE_FIELDS:
            setattr(obj, name, getattr(self, name))
        return obj

    def save(self, *args, **kwargs):
        # The engine moves its counters with F() updates; a full save of a page (publishing a
        # revision) must not write back the values it read earlier.
        if self.pk and not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                *(f.name for f in self._meta.concrete_fields if not f.primary_key and f.name not in ENGINE_COUNTERS),
                # modelcluster commits the child relations (steps' files, tags, tools) only when named.
                *(rel.get_accessor_name() for rel in get_all_child_relations(self)),
            ]
        return super().save(*args, **kwargs)

    @property
    def licence_summary(self):
        return LICENCE_SUMMARIES.get(self.licence, "")

    @property
    def step_list(self):
        """The steps as plain dicts: text, image (or None), alt."""
        return [{"text": block.value["text"], "image": block.value["image"], "alt": block.value["alt"]}
                for block in self.steps if block.block_type == "step"]


class BricolageAttachment(Orderable):
    """A file that comes with a bricolage (a spreadsheet template, a PDF to print).

    Part of each revision, so restoring a version restores its files; the stored files are never
    deleted, they belong to the history."""

    page = ParentalKey(BricolagePage, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("fichier"), storage=private_storage, upload_to=attachment_upload_to, max_length=255)
    title = models.CharField(_("nom"), max_length=200)
    size = models.PositiveIntegerField(_("taille (octets)"), default=0)
    mime_type = models.CharField(_("type"), max_length=120, default="application/octet-stream")

    class Meta(Orderable.Meta):
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("bricolages:attachment", args=[self.page_id, self.pk])


# --- the wiki's history ----------------------------------------------------------------------


class BricolageChange(models.Model):
    """Who saved a revision of a bricolage, from which mairie, and why (the change note)."""

    class Kind(models.TextChoices):
        CREATED = "created", _("création")
        EDITED = "edited", _("modification")
        RESTORED = "restored", _("restauration")

    bricolage = models.ForeignKey(BricolagePage, on_delete=models.CASCADE, related_name="changes")
    revision = models.OneToOneField("wagtailcore.Revision", on_delete=models.CASCADE, related_name="bricolage_change")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    mairie = models.ForeignKey("cms.Mairie", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.EDITED)
    note = models.CharField(_("note de modification"), max_length=300)
    restored_from = models.ForeignKey("wagtailcore.Revision", on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("modification d'un bricolage")
        verbose_name_plural = _("modifications des bricolages")

    def __str__(self):
        return self.note


# --- ratings and feedback --------------------------------------------------------------------


class Rating(models.Model):
    """1 to 5 stars from one agent on one bricolage (not their own). Not a support: the engine's
    supports are votes; a rating is a judgement, averaged."""

    bricolage = models.ForeignKey(BricolagePage, on_delete=models.CASCADE, related_name="ratings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bricolage_ratings")
    stars = models.PositiveSmallIntegerField(_("note"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bricolage", "user"], name="bricolage_rating_once"),
            models.CheckConstraint(condition=models.Q(stars__gte=1, stars__lte=5), name="bricolage_rating_1_to_5"),
        ]
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self):
        return f"{self.stars}/5"


class Feedback(models.Model):
    """A "retour d'expérience": an agent deployed the bricolage in their mairie; how it went."""

    class Outcome(models.TextChoices):
        WORKED = "worked", _("Ça marche, on l'utilise")
        PARTLY = "partly", _("Ça marche en partie, on l'utilise en l'adaptant")
        FAILED = "failed", _("Ça n'a pas marché, on l'a abandonné")

    IN_USE = (Outcome.WORKED, Outcome.PARTLY)

    bricolage = models.ForeignKey(BricolagePage, on_delete=models.CASCADE, related_name="feedback")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bricolage_feedback")
    mairie = models.ForeignKey("cms.Mairie", on_delete=models.PROTECT, related_name="+", verbose_name=_("mairie"))
    outcome = models.CharField(_("résultat"), max_length=10, choices=Outcome.choices)
    note = models.TextField(_("votre retour"), max_length=3000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["bricolage", "author"], name="bricolage_feedback_once")]
        verbose_name = _("retour d'expérience")
        verbose_name_plural = _("retours d'expérience")

    def __str__(self):
        return f"{self.bricolage_id}: {self.get_outcome_display()}"

    @property
    def in_use(self):
        return self.outcome in self.IN_USE


from .explorations.models import (  # noqa: E402,F401 - the explorations' models belong to this app
    SEATS,
    ExplorationApplication,
    ExplorationDay,
    ExplorationSummary,
    LogbookEntry,
)
from .openbricolage.models import (  # noqa: E402,F401 - Open Bricolage's models belong to this app
    EditionFeedback,
    OpenBricolageEdition,
    Registration,
    Workshop,
)
