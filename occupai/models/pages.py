from datetime import datetime, time, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page, PagePermissionTester
from wagtail.search import index

from cms.routing import CachedRestrictionsMixin
from cms.subpages import RouteTableMixin

from ..phases import Phase, phase_at


def mairie_of_page(page):
    """The mairie whose site contains this page (its home page is an ancestor)."""
    from cms.models import Mairie

    if not page.path:
        return None
    return Mairie.objects.filter(site__root_page__in=page.get_ancestors(inclusive=True)).first()


def site_path(page):
    """A page's path on its own site ("/occupai/ete/"), whatever the site answering now."""
    parts = page.get_url_parts()
    return parts[2] if parts else ""


def day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def _when(value):
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


class MairieSitePage(models.Model):
    """An Occupai page knows the mairie whose site holds it (kept when the page is moved outside
    any site) and its paths on that site."""

    mairie = models.ForeignKey("cms.Mairie", on_delete=models.SET_NULL, null=True, editable=False,
                               related_name="+", verbose_name=_("mairie"))

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.mairie = mairie_of_page(self) or self.mairie
        return super().save(*args, **kwargs)

    @property
    def site_path(self):
        """The page's path on its mairie's site (no host), or "" when not routable."""
        return site_path(self)

    def subpath(self, name, *args):
        return self.site_path + self.reverse_subpage(name, args=args)


class IndexPermissionTester(PagePermissionTester):
    """The mairie's organisers hold page permissions on its Occupai index to run the calls under it
    (cms.mairie_groups); the index itself is deleted, moved, unpublished or made private only by
    whoever may edit the page above it (the mairie's editors), so that the section stays."""

    def _may_edit_parent(self):
        parent = self.page.get_parent()
        return self.user.is_superuser or (parent is not None and parent.permissions_for_user(self.user).can_edit())

    def can_delete(self, ignore_bulk=False):
        return super().can_delete(ignore_bulk) and self._may_edit_parent()

    def can_unpublish(self):
        return super().can_unpublish() and self._may_edit_parent()

    def can_set_view_restrictions(self):
        return super().can_set_view_restrictions() and self._may_edit_parent()


class OccupaiIndexPage(MairieSitePage, CachedRestrictionsMixin, RouteTableMixin, Page):
    """A mairie's Occupai: its calls for projects, its agenda and the residents' proposals."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    api_fields = [APIField("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["occupai.CallPage"]
    max_count_per_parent = 1
    template = "occupai/index_page.html"
    route_table = "occupai.routes.INDEX_ROUTES"

    class Meta:
        verbose_name = _("Occupai : accueil")

    def permissions_for_user(self, user):
        return IndexPermissionTester(user, self)

    @property
    def agenda_ics_path(self):
        """The mairie-wide iCalendar feed (served by occupai.urls: Wagtail paths have no dots)."""
        return self.site_path + "agenda.ics"

    def get_context(self, request, *args, **kwargs):
        from .. import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.index_context(request, self))
        return context


class CallPageForm(WagtailAdminPageForm):
    """Offers only the spaces of the call's own mairie."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .spaces import Space

        mairie = self.instance.mairie
        if mairie is None and self.parent_page is not None:
            mairie = mairie_of_page(self.parent_page)
        if "spaces" in self.fields and mairie is not None:
            self.fields["spaces"].queryset = Space.objects.filter(mairie=mairie)


class CallPage(MairieSitePage, CachedRestrictionsMixin, RouteTableMixin, Page):
    """A call for projects: residents propose events for the mairie's spaces, vote, and the
    organisers select and schedule the programme. Its phase is computed from its dates."""

    intro = models.CharField(_("chapeau"), max_length=300, blank=True)
    description = RichTextField(_("description"), blank=True)
    spaces = ParentalManyToManyField("occupai.Space", related_name="calls", verbose_name=_("espaces proposés"))
    event_starts_on = models.DateField(_("premier jour des événements"))
    event_ends_on = models.DateField(_("dernier jour des événements"))
    submission_opens_at = models.DateTimeField(_("ouverture des propositions"))
    submission_closes_at = models.DateTimeField(_("clôture des propositions"))
    voting_opens_at = models.DateTimeField(_("ouverture du vote"))
    voting_closes_at = models.DateTimeField(_("clôture du vote"))
    results_at = models.DateTimeField(_("publication du programme"))
    vote_budget = models.PositiveSmallIntegerField(
        _("soutiens par habitant·e"), default=3, validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("Combien de propositions chaque habitant·e peut soutenir."))
    selection_count = models.PositiveSmallIntegerField(
        _("nombre d'événements à retenir"), default=8, validators=[MinValueValidator(1), MaxValueValidator(200)])
    show_counts_during_voting = models.BooleanField(
        _("afficher les soutiens pendant le vote"), default=True,
        help_text=_("Décochez pour ne révéler le nombre de soutiens qu'à la clôture du vote."))
    eligibility = models.TextField(
        _("qui peut participer"), blank=True,
        help_text=_("Par exemple : « Habitant·es, associations et collectifs du 19e ; événements gratuits. »"))

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("description"),
        FieldPanel("eligibility"),
        MultiFieldPanel([
            FieldPanel("spaces", widget=forms.CheckboxSelectMultiple),
            FieldRowPanel([FieldPanel("event_starts_on"), FieldPanel("event_ends_on")]),
        ], heading=_("Espaces et période des événements")),
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("submission_opens_at"), FieldPanel("submission_closes_at")]),
            FieldRowPanel([FieldPanel("voting_opens_at"), FieldPanel("voting_closes_at")]),
            FieldPanel("results_at"),
        ], heading=_("Calendrier")),
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("vote_budget"), FieldPanel("selection_count")]),
            FieldPanel("show_counts_during_voting"),
        ], heading=_("Réglages du vote")),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("description")]
    api_fields = [
        APIField("intro"), APIField("description"), APIField("eligibility"),
        APIField("event_starts_on"), APIField("event_ends_on"),
        APIField("submission_opens_at"), APIField("submission_closes_at"),
        APIField("voting_opens_at"), APIField("voting_closes_at"), APIField("results_at"),
        APIField("vote_budget"), APIField("selection_count"), APIField("show_counts_during_voting"),
        APIField("phase_key"),
    ]
    base_form_class = CallPageForm
    parent_page_types = ["occupai.OccupaiIndexPage"]
    subpage_types = []
    template = "occupai/call_page.html"
    route_table = "occupai.routes.CALL_ROUTES"

    class Meta:
        verbose_name = _("Occupai : appel à projets")
        verbose_name_plural = _("Occupai : appels à projets")

    # --- dates and phases -------------------------------------------------------------------

    @property
    def event_starts_at(self):
        return day_start(self.event_starts_on) if self.event_starts_on else None

    @property
    def event_ends_at(self):
        """The end of the last day (exclusive), in the mairie's time zone."""
        return day_start(self.event_ends_on + timedelta(days=1)) if self.event_ends_on else None

    def phase_state(self, now=None):
        return phase_at(self, now or timezone.now())

    @cached_property
    def state(self):
        """The phase for this request (cached on the instance: one clock read per page)."""
        return self.phase_state()

    @property
    def phase(self) -> Phase:
        return self.state.phase

    @property
    def phase_key(self):
        return str(self.phase_state().phase)

    def submission_open(self, now=None):
        now = now or timezone.now()
        return self.submission_opens_at <= now < self.submission_closes_at

    def voting_open(self, now=None):
        now = now or timezone.now()
        return self.voting_opens_at <= now < self.voting_closes_at

    def voting_closed(self, now=None):
        return (now or timezone.now()) >= self.voting_closes_at

    def results_published(self, now=None):
        return (now or timezone.now()) >= self.results_at

    def clean(self):
        super().clean()
        errors = {}
        if self.event_starts_on and self.event_ends_on and self.event_ends_on < self.event_starts_on:
            errors["event_ends_on"] = _("Le dernier jour doit être le premier jour ou après.")
        chain = [
            ("submission_opens_at", "submission_closes_at", False,
             _("La clôture des propositions doit suivre leur ouverture (%(date)s).")),
            ("submission_closes_at", "voting_opens_at", True,
             _("Le vote ne peut ouvrir qu'après la clôture des propositions (%(date)s).")),
            ("voting_opens_at", "voting_closes_at", False,
             _("La clôture du vote doit suivre son ouverture (%(date)s).")),
            ("voting_closes_at", "results_at", True,
             _("Le programme ne peut être publié qu'après la clôture du vote (%(date)s).")),
        ]
        for before, after, may_equal, message in chain:
            first, second = getattr(self, before), getattr(self, after)
            if first and second and (second < first or (second == first and not may_equal)):
                errors.setdefault(after, message % {"date": _when(first)})
        if self.results_at and self.event_starts_on and self.results_at > self.event_starts_at:
            errors.setdefault("results_at", _("Le programme doit être publié avant le premier jour des "
                                              "événements (%(date)s).") % {"date": _when(self.event_starts_at)})
        if errors:
            raise ValidationError(errors)

    # --- urls ---------------------------------------------------------------------------------

    def index_page(self):
        """The Occupai index above this call, for breadcrumbs (kept with the page cache)."""
        from cms.cache import remember

        return remember(f"occupai:call-index:{self.pk}", self.get_parent)

    @property
    def programme_ics_path(self):
        """The call's iCalendar feed (served by occupai.urls: Wagtail paths have no dots)."""
        return self.site_path + "programme.ics"

    def event_ics_path(self, proposal_pk):
        return f"{self.site_path}programme/{proposal_pk}.ics"

    def get_context(self, request, *args, **kwargs):
        from .. import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.call_context(request, self))
        return context
