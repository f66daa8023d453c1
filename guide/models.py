"""Le guide du routard (page types: the guide of a mairie, its life situations, their démarches),
the mairie's services that residents deal with, and le carnet du citoyen (a resident's dossier for
one démarche: the documents to bring, who has seen it, with which service it is shared).

Interface strings go through gettext; page content is plain Wagtail content, so that translated
copies of the pages (Wagtail i18n, not switched on yet) can be added without changing these models.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.routing import CachedRestrictionsMixin
from cms.storage import PrivateStorage
from cms.subpages import RouteTableMixin

from . import blocks


def mairie_of_page(page):
    """The mairie whose site contains this page (its home page is an ancestor)."""
    from cms.models import Mairie

    if not page.path:
        return None
    return Mairie.objects.filter(site__root_page__in=page.get_ancestors(inclusive=True)).first()


class GuideSitePage(models.Model):
    """A guide page knows the mairie whose site holds it (kept if it is moved outside any site)."""

    mairie = models.ForeignKey("cms.Mairie", on_delete=models.SET_NULL, null=True, editable=False,
                               related_name="+", verbose_name=_("mairie"))

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.mairie = mairie_of_page(self) or self.mairie
        return super().save(*args, **kwargs)

    @property
    def site_path(self):
        parts = self.get_url_parts()
        return parts[2] if parts and parts[2] else ""


class GuideIndexPage(GuideSitePage, CachedRestrictionsMixin, RouteTableMixin, Page):
    """A mairie's « guide du routard du maquis administratif »: its life situations, and its printable
    booklet (`livret/?lang=`, guide/booklet.py)."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    api_fields = [APIField("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["guide.LifeSituationPage"]
    max_count_per_parent = 1
    template = "guide/index_page.html"
    route_table = "guide.routes.INDEX_ROUTES"

    class Meta:
        verbose_name = _("Guide du routard : accueil")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from cms.i18n import children_in_language

        from .booklet import booklet_links

        # In a translated guide, its situations not translated yet too (in French).
        context["situations"] = children_in_language(self, LifeSituationPage.objects.live().public()).specific()
        context["booklets"] = booklet_links(request, self)
        return context


class LifeSituationPage(GuideSitePage, CachedRestrictionsMixin, Page):
    """A life situation (« Avoir un enfant », « Faire des travaux »...): its démarches, tips, memos
    and post-its. Printed, the page gives its part of the guide (the stylesheet's @media print); the
    guide's booklet (a PDF per language) is the index page's `livret/` route."""

    intro = models.CharField(_("chapeau"), max_length=300, blank=True)
    body = RichTextField(_("présentation"), blank=True)
    notes = StreamField(blocks.notes_stream(), blank=True, use_json_field=True, verbose_name=_("astuces et mémos"))
    postits = StreamField(blocks.postits_stream(), blank=True, use_json_field=True, verbose_name=_("post-its"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body"), FieldPanel("notes"),
                                            FieldPanel("postits")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body"),
                                          index.SearchField("notes")]
    api_fields = [APIField("intro"), APIField("body"), APIField("notes"), APIField("postits")]
    parent_page_types = ["guide.GuideIndexPage"]
    subpage_types = ["guide.DemarchePage"]
    template = "guide/situation_page.html"

    class Meta:
        verbose_name = _("situation de vie")
        verbose_name_plural = _("situations de vie")

    def demarches(self):
        from cms.i18n import children_in_language

        return (children_in_language(self, DemarchePage.objects.live().public()).order_by("path").specific()
                .select_related("service"))

    def get_context(self, request, *args, **kwargs):
        from .booklet import booklet_links

        context = super().get_context(request, *args, **kwargs)
        context["demarches"] = list(self.demarches())
        context["booklets"] = booklet_links(request, self.get_parent().specific)
        return context


class DemarchePage(GuideSitePage, CachedRestrictionsMixin, Page):
    """A démarche: what it is, who may ask, where and when, the documents (the carnet's
    checklist), cost, delays, the service and its contact, steps, tips, memos and post-its."""

    intro = models.CharField(_("chapeau"), max_length=300, blank=True)
    what = RichTextField(_("de quoi s'agit-il ?"), blank=True)
    who = RichTextField(_("qui peut la demander ?"), blank=True)
    where_when = RichTextField(_("où et quand ?"), blank=True)
    documents = StreamField(blocks.documents_stream(), blank=True, use_json_field=True,
                            verbose_name=_("documents à apporter"))
    cost = models.CharField(_("coût"), max_length=200, blank=True)
    delay = models.CharField(_("délai"), max_length=200, blank=True)
    service = models.ForeignKey("guide.Service", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="demarches", verbose_name=_("service"))
    steps = StreamField(blocks.steps_stream(), blank=True, use_json_field=True, verbose_name=_("étapes"))
    notes = StreamField(blocks.notes_stream(), blank=True, use_json_field=True, verbose_name=_("astuces et mémos"))
    postits = StreamField(blocks.postits_stream(), blank=True, use_json_field=True, verbose_name=_("post-its"))

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel([FieldPanel("what"), FieldPanel("who"), FieldPanel("where_when")], heading=_("L'essentiel")),
        FieldPanel("documents"),
        MultiFieldPanel([FieldPanel("cost"), FieldPanel("delay"), FieldPanel("service")],
                        heading=_("Coût, délai, service")),
        FieldPanel("steps"), FieldPanel("notes"), FieldPanel("postits"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("what"),
                                          index.SearchField("who"), index.SearchField("documents")]
    api_fields = [APIField("intro"), APIField("what"), APIField("who"), APIField("where_when"),
                  APIField("documents"), APIField("cost"), APIField("delay"), APIField("steps"),
                  APIField("notes"), APIField("postits")]
    parent_page_types = ["guide.LifeSituationPage"]
    subpage_types: list[str] = []
    template = "guide/demarche_page.html"

    class Meta:
        verbose_name = _("démarche")
        verbose_name_plural = _("démarches")

    def document_list(self) -> list[dict]:
        """The documents as plain dicts (name, detail, optional): the carnet's checklist."""
        return [{"name": block.value["name"], "detail": block.value.get("detail") or "",
                 "optional": bool(block.value.get("optional"))} for block in self.documents]


class Service(models.Model):
    """A service of the mairie a resident deals with (état civil, affaires générales, CASVP, pôle
    famille...): named by démarches, chosen by residents who share a carnet with it. Its agents are
    the only staff who read the carnets shared with it."""

    mairie = models.ForeignKey("cms.Mairie", on_delete=models.CASCADE, related_name="+", verbose_name=_("mairie"))
    name = models.CharField(_("nom"), max_length=120)
    slug = models.SlugField(_("identifiant"), max_length=60)
    description = models.TextField(_("description"), blank=True)
    place = models.CharField(_("où"), max_length=200, blank=True, help_text=_("Bâtiment, étage, guichet."))
    hours = models.TextField(_("horaires"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    email = models.EmailField(_("adresse e-mail"), blank=True)
    agents = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="guide_services",
                                    verbose_name=_("agents du service"),
                                    help_text=_("Ils lisent les carnets que les habitant·es partagent avec ce service."))

    panels = [FieldPanel("mairie"), FieldPanel("name"), FieldPanel("slug"), FieldPanel("description"),
              FieldPanel("place"), FieldPanel("hours"), FieldPanel("phone"), FieldPanel("email"),
              FieldPanel("agents")]

    class Meta:
        ordering = ["mairie", "name"]
        constraints = [models.UniqueConstraint(fields=["mairie", "slug"], name="guide_service_slug_per_mairie")]
        verbose_name = _("service de la mairie")
        verbose_name_plural = _("services de la mairie")

    def __str__(self):
        return self.name


class Carnet(models.Model):
    """Le carnet du citoyen: one resident's dossier for one démarche. Personal data: only its owner
    and the agents of the services it is shared with (and not revoked) read it; never public, never
    indexed. No document is uploaded unless the owner chooses to attach one to an item (a scan or a
    photo, in private storage, gone with the item, the carnet or the account)."""

    class Status(models.TextChoices):
        OPEN = "open", _("en cours")
        CLOSED = "closed", _("terminé")

    # None: opened at the counter for a resident without an account (guide.services.carnet_open_without_account);
    # the person reads it, revokes a sharing or attaches it to their account with its claim code (its hash here).
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="carnets")
    holder_label = models.CharField(_("prénom ou initiales"), max_length=40, blank=True)
    claim_code_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    mairie = models.ForeignKey("cms.Mairie", on_delete=models.CASCADE, related_name="+")
    demarche = models.ForeignKey(DemarchePage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    title = models.CharField(_("démarche"), max_length=255)  # kept if the page goes
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.OPEN)
    next_appointment = models.DateTimeField(_("prochain rendez-vous"), null=True, blank=True)
    appointment_place = models.CharField(_("lieu du rendez-vous"), max_length=200, blank=True)
    agent_note = models.TextField(_("note de l'agent"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "closed_at"])]
        constraints = [models.CheckConstraint(condition=Q(owner__isnull=False) | ~Q(claim_code_hash=""),
                                              name="guide_carnet_owner_or_claim_code")]
        verbose_name = _("carnet du citoyen")
        verbose_name_plural = _("carnets du citoyen")

    def __str__(self):
        return self.title

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    @property
    def without_account(self):
        """Opened at the counter for someone without an account, not attached to one yet."""
        return self.owner_id is None

    @property
    def holder_name(self):
        """Who the carnet is for, as agents and the sheet show it: the account's public name, or the first
        name or initials the person gave at the counter (never more)."""
        if self.owner_id is not None:
            return self.owner.public_name
        return self.holder_label or _("Personne sans compte")

    def missing_items(self):
        return [item for item in self.items.all() if item.state == CarnetItem.State.TO_BRING]


def document_storage():
    """Where the documents residents attach to their carnets live: PRIVATE_MEDIA_ROOT/carnets/,
    which no web server exposes; sent only by guide.views.carnet_document_file and the API, after
    their permission check."""
    return _document_storage


_document_storage = PrivateStorage()


class CarnetItem(models.Model):
    """One document of a carnet's checklist: à apporter, apporté (said by the resident or seen by an
    agent), vérifié (by an agent of a service the carnet is shared with). Its owner may attach one
    file (a PDF or a picture of the document, `document`): only if they choose to."""

    class State(models.TextChoices):
        TO_BRING = "to_bring", _("à apporter")
        BROUGHT = "brought", _("apporté")
        VERIFIED = "verified", _("vérifié")

    carnet = models.ForeignKey(Carnet, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("document"), max_length=200)
    detail = models.TextField(_("précisions"), blank=True)
    optional = models.BooleanField(default=False)
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.TO_BRING)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    document = models.FileField(_("document joint"), storage=document_storage, blank=True, max_length=255)
    document_name = models.CharField(_("nom du document joint"), max_length=150, blank=True)
    document_type = models.CharField(max_length=40, blank=True)
    document_size = models.PositiveIntegerField(null=True, blank=True)
    document_added_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("document du carnet")

    def __str__(self):
        return self.name


class CarnetShare(models.Model):
    """The resident's consent that the agents of one service read (and update) the carnet: when,
    recorded by whom (the resident online, or the agent at the counter), and its revocation. A
    revoked sharing is kept (the consent's history) and never used again; at most one active
    sharing per carnet and service, said by the database."""

    carnet = models.ForeignKey(Carnet, on_delete=models.CASCADE, related_name="shares")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="shares")
    granted_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+")
    at_counter = models.BooleanField(default=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["granted_at", "id"]
        constraints = [models.UniqueConstraint(fields=["carnet", "service"], condition=Q(revoked_at__isnull=True),
                                               name="guide_carnet_share_active_once")]
        verbose_name = _("partage de carnet")

    @property
    def is_active(self):
        return self.revoked_at is None
