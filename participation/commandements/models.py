"""Les 19 commandements: the charter page, its commandements, the published wordings (with
their provenance), the amendments residents and agents propose, and the mairie's reports.

A commandement is referred to by its number (1 to 19), stable across revisions: amendments,
wordings and reports all cite "commandement n° N" of a charter, never a row id, since Wagtail
rewrites the child rows each time a revision is published.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from cms.routing import CachedRestrictionsMixin
from cms.subpages import RouteTableMixin
from participation.models import Participatory
from participation.rules import SupportRule

from . import rules
from .forms import CharterPageForm, CommitmentReportAdminForm
from .panels import AdoptedAmendmentsPanel

# Fields the participation engine keeps exact with F() updates: a revision's stale copy of
# them must never overwrite the live values when that revision is published or copied.
ENGINE_FIELDS = ("supports_count", "comments_count", "reports_count", "is_hidden", "hidden_reason")


class CharterPage(CachedRestrictionsMixin, RouteTableMixin, Participatory, Page):
    """A mairie's charter: an intro, then 19 numbered pairs of commitments.

    It is participatory itself: signing the charter ("je m'engage") is an engine support on the
    page (no window, no budget, one per account by the engine's unique constraint).
    """

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    consultation_opens_at = models.DateTimeField(
        _("ouverture de la consultation"), null=True, blank=True,
        help_text=_("Pendant la consultation, habitant·es et agents proposent des amendements et les soutiennent."))
    consultation_closes_at = models.DateTimeField(_("clôture de la consultation"), null=True, blank=True)

    content_panels = Page.content_panels + [
        AdoptedAmendmentsPanel(heading=_("Amendements adoptés")),
        FieldPanel("intro"),
        MultiFieldPanel([
            HelpPanel(content=_("Laissez vide pour ne pas ouvrir de consultation.")),
            FieldRowPanel([FieldPanel("consultation_opens_at"), FieldPanel("consultation_closes_at")]),
        ], heading=_("Consultation")),
        InlinePanel("commandements", heading=_("Les commandements"), label=_("Commandement"),
                    help_text=_("Exactement 19 pour publier, numérotés de 1 à 19. Un brouillon peut en "
                                "compter moins.")),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    api_fields = [APIField("intro"), APIField("consultation_opens_at"), APIField("consultation_closes_at"),
                  APIField("commandements")]

    base_form_class = CharterPageForm
    parent_page_types = ["cms.HomePage"]
    subpage_types = []
    max_count_per_parent = 1
    exclude_fields_in_copy = list(ENGINE_FIELDS)
    preview_modes = [("", _("La charte")), ("affiche", _("Affiche A3")), ("ecran", _("Écran du hall"))]
    route_table = "participation.commandements.routes.CHARTER_ROUTES"
    preview_routes = {"affiche": "affiche/", "ecran": "ecran/"}

    class Meta:
        verbose_name = _("charte des 19 commandements")
        verbose_name_plural = _("chartes des 19 commandements")

    # --- ownership -----------------------------------------------------------------------

    def _mairie_from_tree(self):
        from cms.models import Mairie

        parent = self.get_parent() if self.path else None
        if parent is None:
            return None
        return Mairie.objects.filter(site__root_page__in=[parent, *parent.get_ancestors()]).first()

    def _assign_mairie(self):
        # The mairie is where the page sits (under a mairie's home page), never a form field.
        mairie = self._mairie_from_tree()
        if mairie is not None:
            self.mairie = mairie

    def full_clean(self, *args, **kwargs):
        self._assign_mairie()
        super().full_clean(*args, **kwargs)

    def save(self, *args, **kwargs):
        if kwargs.get("update_fields") is None:  # a full save: created, copied or moved
            self._assign_mairie()
        return super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        opens, closes = self.consultation_opens_at, self.consultation_closes_at
        if (opens is None) != (closes is None):
            raise ValidationError({"consultation_closes_at" if opens else "consultation_opens_at": _(
                "Une consultation a une date d'ouverture et une date de clôture : indiquez les deux, ou aucune.")})
        if opens and closes and closes <= opens:
            raise ValidationError({"consultation_closes_at": _(
                "La clôture doit venir après l'ouverture de la consultation.")})

    # --- revisions: keep the engine's counters and the publishing rule -------------------------

    def with_content_json(self, content):
        obj = super().with_content_json(content)
        for name in ENGINE_FIELDS:
            setattr(obj, name, getattr(self, name))
        obj.mairie_id = self.mairie_id or obj.mairie_id
        return obj

    def publish(self, revision, *args, **kwargs):
        """Publishing a revision (workflow approval, scheduled publishing, bulk actions, code)
        checks the 19 here; the admin's edit view, which publishes without this method, is
        guarded by CharterPageForm before anything is saved."""
        draft = revision.as_object()
        problems = rules.numbering_problems([c.number for c in draft.commandements.all()], publishing=True)
        if problems:
            raise ValidationError(problems)
        return super().publish(revision, *args, **kwargs)

    # --- reading -------------------------------------------------------------------------

    def ordered_commandements(self):
        """The commandements in number order; works on a preview's unsaved children too."""
        return sorted(self.commandements.all(), key=lambda c: (c.number or 0, c.pk or 0))

    def commandement(self, number, *, for_edit=False):
        """Commandement n° number. for_edit=True returns the object held in the page's
        in-memory child list, so that a change to it goes into the next save_revision()."""
        children = self.commandements.get_object_list() if for_edit else self.commandements.all()
        return next((c for c in children if c.number == number), None)

    def consultation_state(self, now=None) -> str:
        """"none" (no window set), "upcoming", "open" or "closed"."""
        opens, closes = self.consultation_opens_at, self.consultation_closes_at
        if opens is None or closes is None:
            return "none"
        now = now or timezone.now()
        if now < opens:
            return "upcoming"
        if now >= closes:
            return "closed"
        return "open"

    @property
    def consultation_is_open(self) -> bool:
        return self.consultation_state() == "open"

    def path_on_site(self) -> str:
        parts = self.get_url_parts()
        return parts[2] if parts else "/"

    def subpage_path(self, name, *args) -> str:
        return self.path_on_site() + self.reverse_subpage(name, args=list(args))

    def get_absolute_url(self):
        return self.path_on_site()

    def search_text(self) -> str:
        return strip_tags(self.intro or "")

    # --- participation -------------------------------------------------------------------

    def support_rule(self) -> SupportRule:
        return SupportRule(mairie=self.mairie, withdrawable=True)

    def is_public(self) -> bool:
        return self.live and not self.is_hidden

    @property
    def signatures_count(self) -> int:
        return self.supports_count


class Commandement(models.Model):
    """One numbered pair: what the mairie commits to, what the resident commits to."""

    page = ParentalKey(CharterPage, on_delete=models.CASCADE, related_name="commandements")
    # The range (1 to 19) is checked with the count by rules.numbering_problems, so that the
    # editor reads one message naming the count rather than an error on a 20th child.
    number = models.PositiveSmallIntegerField(
        _("numéro"), validators=[MinValueValidator(1)],
        help_text=_("De 1 à 19. Les amendements citent ce numéro : ne le changez pas à la légère."))
    title = models.CharField(_("titre court"), max_length=rules.TITLE_MAX_LENGTH)
    mairie_commitment = models.TextField(_("engagement de la mairie"), max_length=rules.COMMITMENT_MAX_LENGTH)
    resident_commitment = models.TextField(_("engagement de l'habitant·e"),
                                           max_length=rules.COMMITMENT_MAX_LENGTH)
    pictogram = models.ForeignKey("wagtailimages.Image", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("pictogramme"))
    pictogram_alt = models.CharField(
        _("texte alternatif du pictogramme"), max_length=200, blank=True,
        help_text=_("Ce que montre le pictogramme, pour qui ne le voit pas. Laissez vide s'il est décoratif."))

    panels = [
        FieldRowPanel([FieldPanel("number"), FieldPanel("title")]),
        FieldPanel("mairie_commitment"),
        FieldPanel("resident_commitment"),
        FieldRowPanel([FieldPanel("pictogram"), FieldPanel("pictogram_alt")]),
    ]
    api_fields = [APIField("number"), APIField("title"), APIField("mairie_commitment"),
                  APIField("resident_commitment"), APIField("pictogram_alt")]

    class Meta:
        ordering = ["number", "pk"]
        verbose_name = _("commandement")
        verbose_name_plural = _("commandements")

    def __str__(self):
        return f"{self.number}. {self.title}"

    def wording(self) -> tuple[str, str, str]:
        return (self.title, self.mairie_commitment, self.resident_commitment)


class CharterVersion(models.Model):
    """One publication of a charter that changed at least one wording (version 1 is the first)."""

    charter = models.ForeignKey(CharterPage, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    published_at = models.DateTimeField(_("publiée le"), default=timezone.now)

    class Meta:
        ordering = ["charter", "number"]
        constraints = [models.UniqueConstraint(fields=["charter", "number"], name="charter_version_once")]
        verbose_name = _("version de la charte")
        verbose_name_plural = _("versions de la charte")

    def __str__(self):
        return f"{self.charter} v{self.number}"


class CommandementWording(models.Model):
    """A wording of commandement n° N as it was published: the history, with its provenance
    (the amendments adopted into it point here)."""

    charter = models.ForeignKey(CharterPage, on_delete=models.CASCADE, related_name="wordings")
    version = models.ForeignKey(CharterVersion, on_delete=models.CASCADE, related_name="wordings")
    number = models.PositiveSmallIntegerField(_("numéro"))
    title = models.CharField(_("titre court"), max_length=rules.TITLE_MAX_LENGTH)
    mairie_commitment = models.TextField(_("engagement de la mairie"))
    resident_commitment = models.TextField(_("engagement de l'habitant·e"))
    published_at = models.DateTimeField(_("publiée le"), default=timezone.now)

    class Meta:
        ordering = ["charter", "number", "version__number"]
        constraints = [models.UniqueConstraint(fields=["version", "number"], name="wording_once_per_version")]
        indexes = [models.Index(fields=["charter", "number"])]
        verbose_name = _("formulation publiée")
        verbose_name_plural = _("formulations publiées")

    def __str__(self):
        return f"{self.number}. {self.title} (v{self.version.number})"

    def wording(self) -> tuple[str, str, str]:
        return (self.title, self.mairie_commitment, self.resident_commitment)


class Amendment(Participatory):
    """A proposed new wording of one commandement (one side, both, or a whole replacement)."""

    class Kind(models.TextChoices):
        WORDING = "wording", _("Nouvelle formulation")
        REPLACEMENT = "replacement", _("Commandement de remplacement")

    class Status(models.TextChoices):
        OPEN = "open", _("En consultation")
        WITHDRAWN = "withdrawn", _("Retiré par son auteur·rice")
        ADOPTED = "adopted", _("Adopté")
        REJECTED = "rejected", _("Non retenu")
        SUPERSEDED = "superseded", _("Clos : sa formulation a été adoptée")

    class AuthorKind(models.TextChoices):
        RESIDENT = "resident", _("Habitant·e")
        AGENT = "agent", _("Agent de la mairie")

    charter = models.ForeignKey(CharterPage, on_delete=models.CASCADE, related_name="amendments",
                                verbose_name=_("charte"))
    number = models.PositiveSmallIntegerField(_("commandement n°"))
    kind = models.CharField(_("nature"), max_length=20, choices=Kind.choices, default=Kind.WORDING)
    proposed_title = models.CharField(_("titre proposé"), max_length=rules.TITLE_MAX_LENGTH, blank=True)
    proposed_mairie_commitment = models.TextField(_("engagement de la mairie proposé"), blank=True,
                                                  max_length=rules.COMMITMENT_MAX_LENGTH)
    proposed_resident_commitment = models.TextField(_("engagement de l'habitant·e proposé"), blank=True,
                                                    max_length=rules.COMMITMENT_MAX_LENGTH)
    rationale = models.TextField(_("pourquoi"), max_length=rules.RATIONALE_MAX_LENGTH)
    author_kind = models.CharField(_("proposé par"), max_length=10, choices=AuthorKind.choices,
                                   default=AuthorKind.RESIDENT)
    based_on = models.ForeignKey(CommandementWording, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("formulation amendée"))
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.OPEN,
                              db_index=True)
    decision_reason = models.TextField(_("motif de la décision"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)
    adopted_revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.SET_NULL, null=True,
                                         blank=True, related_name="+")
    wording = models.ForeignKey(CommandementWording, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="amendments", verbose_name=_("publié dans"))

    class Meta:
        ordering = ["number", "-supports_count", "created_at", "pk"]
        indexes = [models.Index(fields=["charter", "number", "status"])]
        verbose_name = _("amendement")
        verbose_name_plural = _("amendements")

    def __str__(self):
        return _("Amendement n° %(id)s au commandement %(number)s") % {"id": self.pk, "number": self.number}

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    @property
    def is_published(self):
        return self.wording_id is not None

    @property
    def public_author_label(self):
        """Who wrote it, as the public sees it: a name or « un·e habitant·e du quartier », and
        whether they are a resident or an agent (the charter is written by both)."""
        return f"{self.public_author_name} · {self.get_author_kind_display()}"

    def proposed_wording(self, current) -> tuple[str, str, str]:
        """The commandement as it would read with this amendment, given its current wording."""
        title, mairie_side, resident_side = current
        return (self.proposed_title or title, self.proposed_mairie_commitment or mairie_side,
                self.proposed_resident_commitment or resident_side)

    def get_absolute_url(self):
        return self.charter.subpage_path("amendment", self.pk)

    def support_rule(self) -> SupportRule:
        charter = self.charter
        if self.status != self.Status.OPEN:
            return SupportRule.closed(_("Cet amendement n'est plus en consultation."))
        if charter.consultation_opens_at is None or charter.consultation_closes_at is None:
            return SupportRule.closed(_("Aucune consultation n'est ouverte sur cette charte."))
        return SupportRule(opens_at=charter.consultation_opens_at, closes_at=charter.consultation_closes_at,
                           mairie=charter.mairie, withdrawable=True)

    def is_public(self) -> bool:
        return not self.is_hidden and self.charter.live


class CommitmentReport(models.Model):
    """A short report by the mairie on how it keeps its side of commandement n° N."""

    charter = models.ForeignKey(CharterPage, on_delete=models.CASCADE, related_name="commitment_reports",
                                verbose_name=_("charte"))
    number = models.PositiveSmallIntegerField(
        _("commandement n°"), validators=[MinValueValidator(1), MaxValueValidator(rules.COMMANDEMENTS_COUNT)])
    date = models.DateField(_("date"), default=timezone.localdate)
    text = models.TextField(_("ce que la mairie a fait"), max_length=rules.REPORT_MAX_LENGTH)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", editable=False)

    base_form_class = CommitmentReportAdminForm
    panels = [FieldPanel("charter"), FieldRowPanel([FieldPanel("number"), FieldPanel("date")]), FieldPanel("text")]

    class Meta:
        ordering = ["number", "-date", "-pk"]
        verbose_name = _("compte rendu d'engagement")
        verbose_name_plural = _("comptes rendus d'engagement")

    def __str__(self):
        return _("Commandement %(number)s, %(date)s") % {"number": self.number, "date": self.date}

    def clean(self):
        super().clean()
        if self.charter_id and self.number and not self.charter.commandements.filter(number=self.number).exists():
            raise ValidationError({"number": _("La charte n'a pas de commandement n° %(n)d.") % {"n": self.number}})
