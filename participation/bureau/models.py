"""The Bureau de l'intelligence citoyenne: residents' hyperlocal projects, incubated by the mairie."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from cms.routing import CachedRestrictionsMixin
from cms.subpages import RouteTableMixin
from participation.models import Participatory
from participation.rules import SupportRule


class Status(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Déposé, en attente de relecture")
    UNDER_REVIEW = "under_review", _("À l'étude")
    INCUBATED = "incubated", _("Incubé")
    LAUNCHED = "launched", _("Lancé")
    DECLINED = "declined", _("Non retenu")


# The pipeline: which status an organiser may move a project to, from each status.
TRANSITIONS = {
    Status.SUBMITTED: (Status.UNDER_REVIEW, Status.DECLINED),
    Status.UNDER_REVIEW: (Status.INCUBATED, Status.DECLINED),
    Status.INCUBATED: (Status.LAUNCHED,),
    Status.LAUNCHED: (),
    Status.DECLINED: (),
    Status.DRAFT: (),
}
SUPPORTABLE = (Status.UNDER_REVIEW, Status.INCUBATED, Status.LAUNCHED)
EDITABLE = (Status.DRAFT, Status.SUBMITTED, Status.UNDER_REVIEW)


class Need(models.TextChoices):
    SPACE = "space", _("Un lieu")
    LEGAL = "legal", _("Un appui juridique")
    TECHNICAL = "technical", _("Un appui technique")
    FUNDING = "funding", _("Un financement")
    CONTACTS = "contacts", _("Des contacts")


class Role(models.TextChoices):
    RESIDENT = "resident", _("Habitant·e")
    ASSOCIATION = "association", _("Association")
    COLLECTIVE = "collective", _("Collectif")


class BureauIndexPage(CachedRestrictionsMixin, RouteTableMixin, Page):
    """The Bureau of one mairie: presents it and lists its projects (routes in routes.py)."""

    intro = RichTextField(_("présentation"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []
    max_count_per_parent = 1
    route_table = "participation.bureau.routes.BUREAU_ROUTES"

    class Meta:
        verbose_name = _("Bureau de l'intelligence citoyenne")


# The Wagtail collection of residents' project photos, private as their projects (cms.images).
IMAGE_COLLECTION = "Projets du Bureau"


class Project(Participatory):
    """A resident's project. Public once an organiser accepts it (submitted → under review)."""

    title = models.CharField(_("titre"), max_length=120)
    summary = models.CharField(_("en une phrase"), max_length=200)
    description = models.TextField(_("description"), max_length=5000)
    needs = models.JSONField(_("besoins"), default=list, blank=True)
    role = models.CharField(_("vous êtes"), max_length=20, choices=Role.choices, default=Role.RESIDENT)
    organisation_name = models.CharField(_("nom de l'association ou du collectif"), max_length=120, blank=True)
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("image"))
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    submitted_at = models.DateTimeField(_("déposé le"), null=True, blank=True)
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True, db_index=True)
    tags = TaggableManager(_("mots-clés"), blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["mairie", "status", "-published_at"], name="bureau_project_list"),
            # The full sort order (ties on a count are common: most projects have few supports),
            # so that a page of 20 is read straight from the index.
            models.Index(fields=["mairie", "-supports_count", "-published_at"], name="bureau_project_supports"),
            models.Index(fields=["mairie", "-comments_count", "-published_at"], name="bureau_project_comments"),
        ]
        verbose_name = _("projet")
        verbose_name_plural = _("projets")

    def __str__(self):
        return self.title

    def is_public(self):
        return self.published_at is not None and not self.is_hidden and self.status != Status.DRAFT

    def support_rule(self):
        if self.status not in SUPPORTABLE:
            return SupportRule.closed(_("Ce projet ne reçoit pas de soutiens dans son état actuel (%(status)s).")
                                      % {"status": self.get_status_display()})
        return SupportRule(mairie=self.mairie)

    def get_absolute_url(self):
        from .selectors import index_path

        return f"{index_path(self.mairie)}projets/{self.pk}/"

    @property
    def needs_labels(self):
        return [Need(n).label for n in self.needs if n in Need.values]

    @property
    def proposer_label(self):
        if self.role != Role.RESIDENT and self.organisation_name:
            return self.organisation_name
        return self.public_author_name

    def editable_by_author(self):
        return self.status in EDITABLE and self.supports_count == 0


class ProjectUpdate(models.Model):
    """News an author posts on their incubated project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey("cms.User", on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("nouvelles"), max_length=3000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("nouvelle du projet")
        verbose_name_plural = _("nouvelles des projets")
