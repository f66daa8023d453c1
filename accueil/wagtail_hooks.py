"""The Wagtail admin of the hall: each mairie's organisers manage their own services, opening hours and
counters of the waiting queues, and their co-working spaces (with the days an Occupai room is lent).
Every listing and every object view is scoped to the user's mairie (another mairie's object: 404), and
every choice in a form (mairie, service, Occupai room) is cut to it too."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from cms import roles
from cms.admin_home import LINE_HOOK, Line
from cms.admin_scoping import (
    MairieDataViewSet,
    MairiePermissionPolicy,
    MairieScopedSnippetViewSet,
    OwnMairieForm,
)

from .coworking.models import WEEKDAY_NAMES
from .models import Ambassador, Counter, CoworkingSpace, OpeningHours, Service


class MairieChoicesForm(OwnMairieForm):
    """Cuts the mairie, service and Occupai room choices to the user's mairie; a co-working space's
    opening days are checkboxes (stored as digits, "01234" = Monday to Friday)."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if "weekdays" in self.fields:
            model_field = self.fields["weekdays"]
            self.fields["weekdays"] = forms.MultipleChoiceField(
                label=model_field.label, help_text=model_field.help_text, required=False,
                choices=[(str(day), name) for day, name in enumerate(WEEKDAY_NAMES)],
                widget=forms.CheckboxSelectMultiple)
            self.initial["weekdays"] = list(self.instance.weekdays or "")
        mairie_id = self.own_mairie_id
        if mairie_id is None:
            return
        if "service" in self.fields:
            self.fields["service"].queryset = Service.objects.filter(mairie_id=mairie_id)
        if "occupai_space" in self.fields:
            field = self.fields["occupai_space"]
            field.queryset = field.queryset.filter(mairie_id=mairie_id)

    def clean_weekdays(self):
        return "".join(sorted(set(self.cleaned_data.get("weekdays") or [])))

    def clean(self):
        cleaned = super().clean()
        service, mairie = cleaned.get("service"), cleaned.get("mairie")
        if service is not None and mairie is not None and service.mairie_id != mairie.pk:
            self.add_error("service", _("Choisissez un service de cette mairie."))
        space, mairie = cleaned.get("occupai_space"), cleaned.get("mairie")
        if space is not None and mairie is not None and space.mairie_id != mairie.pk:
            self.add_error("occupai_space", _("Choisissez une salle de cette mairie."))
        return cleaned


class ServiceViewSet(MairieScopedSnippetViewSet):
    model = Service
    icon = "group"
    menu_label = _("Services d'accueil")
    list_display = ["name", "mairie", "letter", "active"]
    list_filter = ["mairie", "active"]
    search_fields = ["name"]
    edit_handler = ObjectList([
        FieldPanel("mairie"), FieldPanel("name"), FieldPanel("slug"),
        FieldRowPanel([FieldPanel("letter"), FieldPanel("position"), FieldPanel("default_minutes")]),
        FieldPanel("description"), FieldPanel("active"),
    ], base_form_class=MairieChoicesForm)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("mairie")


class OpeningHoursViewSet(MairieScopedSnippetViewSet):
    model = OpeningHours
    icon = "time"
    menu_label = _("Horaires des services")
    mairie_lookup = "service__mairie_id"
    list_display = ["service", "weekday", "opens", "closes"]
    list_filter = ["service", "weekday"]
    edit_handler = ObjectList([FieldPanel("service"), FieldPanel("weekday"),
                               FieldRowPanel([FieldPanel("opens"), FieldPanel("closes")])],
                              base_form_class=MairieChoicesForm)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("service")


class CounterViewSet(MairieScopedSnippetViewSet):
    model = Counter
    icon = "tick"
    menu_label = _("Guichets")
    list_display = ["number", "service", "mairie", "is_open"]
    list_filter = ["mairie", "service"]
    edit_handler = ObjectList([FieldPanel("mairie"), FieldPanel("service"), FieldPanel("number"),
                               FieldPanel("is_open")], base_form_class=MairieChoicesForm)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("mairie", "service")


class CoworkingSpaceViewSet(MairieScopedSnippetViewSet):
    model = CoworkingSpace
    icon = "desktop"
    menu_label = _("Espaces de coworking")
    list_display = ["name", "mairie", "capacity", "active"]
    list_filter = ["mairie", "active"]
    search_fields = ["name"]
    edit_handler = ObjectList([
        FieldPanel("mairie"), FieldPanel("name"), FieldPanel("description"), FieldPanel("location"),
        FieldRowPanel([FieldPanel("capacity"), FieldPanel("active")]),
        MultiFieldPanel([FieldPanel("equipment"), FieldPanel("accessibility_notes")], heading=_("Accueil")),
        MultiFieldPanel([FieldPanel("weekdays"),
                         FieldRowPanel([FieldPanel("morning_opens"), FieldPanel("morning_closes")]),
                         FieldRowPanel([FieldPanel("afternoon_opens"), FieldPanel("afternoon_closes")])],
                        heading=_("Ouverture")),
        MultiFieldPanel([FieldPanel("occupai_space"), InlinePanel("days", label=_("Jours de coworking"))],
                        heading=_("Une salle d'Occupai prêtée certains jours")),
    ], base_form_class=MairieChoicesForm)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("mairie")


class AccueilGroup(SnippetViewSetGroup):
    items = (ServiceViewSet, OpeningHoursViewSet, CounterViewSet, CoworkingSpaceViewSet)
    menu_icon = "group"
    menu_label = _("Accueil")
    menu_name = "accueil"
    menu_order = 310


for _model, _lookup in ((Service, "mairie_id"), (OpeningHours, "service__mairie_id"), (Counter, "mairie_id"),
                        (CoworkingSpace, "mairie_id")):
    register_permission_policy(_model, MairiePermissionPolicy(_model, _lookup))
register_snippet(AccueilGroup)


class AmbassadorViewSet(MairieDataViewSet):
    """The mairie's ambassadors and applications, to filter and export (decisions are taken on the
    applications page, through the services). Never their help requests: those are their two people's."""

    model = Ambassador
    icon = "group"
    menu_label = _("Ambassadeur·rices")
    related = ("quartier",)
    list_display = ["public_name", "status", "quartier", "applied_at", "decided_at"]
    list_filter = ["status", "quartier"]
    search_fields = ["public_name", "languages", "help_with"]
    list_export = ["pk", "public_name", "status", "quartier.name", "languages", "help_with", "applied_at",
                   "decided_at"]
    export_headings = {"pk": _("Numéro"), "quartier.name": _("Quartier")}
    inspect_view_fields = ["public_name", "status", "quartier", "languages", "help_with", "motivation", "applied_at",
                           "decided_at"]


@hooks.register("register_admin_viewset")
def register_ambassador_viewset():
    return AmbassadorViewSet("accueil_ambassadors")


@hooks.register(LINE_HOOK)
def organiser_home_line():
    """The organisers' panel on the admin's home (cms.admin_home): applications to decide."""
    return Line(key="accueil:ambassador-applications", role=roles.ORGANISERS, order=60,
                count=lambda user, mairie: Ambassador.objects.filter(mairie=mairie,
                                                                     status=Ambassador.Status.APPLIED).count(),
                label=lambda n: ngettext("%(n)d candidature d'ambassadeur·rice à étudier",
                                         "%(n)d candidatures d'ambassadeur·rices à étudier", n) % {"n": n},
                url=lambda user, mairie, n: reverse("accueil:ambassador-applications"),
                allowed=lambda user, mairie: roles.is_organiser_of(user, mairie))
