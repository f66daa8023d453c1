"""The Wagtail admin: quartiers as snippets, the audit log and the reports as read-only listings, each
mairie's staff seeing their own only."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from cms import roles
from cms.admin_home import LINE_HOOK, Line, site_url
from cms.admin_scoping import MairieDataViewSet, MairieScopedSnippetViewSet

from .models import AuditEntry, Quartier, Report
from .selectors import reports_in_mairie


class QuartierViewSet(MairieScopedSnippetViewSet):
    model = Quartier
    icon = "site"
    menu_label = _("Quartiers")
    list_display = ["name", "mairie", "slug"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("mairie")


register_snippet(QuartierViewSet)


class AuditEntryViewSet(MairieDataViewSet):
    """The mairie's audit log (every moderation act and decision), to search and export."""

    model = AuditEntry
    icon = "history"
    menu_label = _("Journal d'audit")
    related = ("actor", "content_type")
    list_display = ["created_at", "action", "label", "content_type", "object_id", "actor"]
    list_filter = ["action", "public", "content_type"]
    search_fields = ["action", "label", "reason"]
    list_export = ["pk", "created_at", "action", "label", "reason", "content_type.model", "object_id", "actor",
                   "public"]
    export_headings = {"pk": _("Numéro"), "content_type.model": _("Type d'objet"), "object_id": _("Objet"),
                       "actor": _("Auteur·rice de l'acte"), "created_at": _("Date")}
    inspect_view_fields = ["created_at", "action", "label", "reason", "content_type", "object_id", "actor", "public"]


class ReportViewSet(MairieDataViewSet):
    """Every report on the mairie's content (moderation happens at /moderation/), to filter and export."""

    model = Report
    icon = "warning"
    menu_label = _("Signalements")
    related = ("content_type",)
    list_display = ["created_at", "reason", "note", "content_type", "object_id", "resolved_at"]
    list_filter = ["reason", "content_type"]
    search_fields = ["note"]
    list_export = ["pk", "created_at", "reason", "note", "content_type.model", "object_id", "resolved_at"]
    export_headings = {"pk": _("Numéro"), "content_type.model": _("Type d'objet"), "object_id": _("Objet"),
                       "created_at": _("Date")}
    inspect_view_fields = ["created_at", "reason", "note", "content_type", "object_id", "resolved_at"]

    def in_mairie(self, queryset, mairie_id):
        return reports_in_mairie(queryset, mairie_id)


@hooks.register("register_admin_viewset")
def register_audit_viewset():
    return AuditEntryViewSet("participation_audit")


@hooks.register("register_admin_viewset")
def register_report_viewset():
    return ReportViewSet("participation_reports")


@hooks.register(LINE_HOOK)
def organiser_home_line():
    """The organisers' panel on the admin's home (cms.admin_home): reports waiting at /moderation/."""
    return Line(key="participation:reports-open", role=roles.ORGANISERS, order=40,
                count=lambda user, mairie: reports_in_mairie(Report.objects.filter(resolved_at__isnull=True),
                                                             mairie.pk).count(),
                label=lambda n: ngettext("%(n)d signalement en attente de modération",
                                         "%(n)d signalements en attente de modération", n) % {"n": n},
                url=lambda user, mairie, n: site_url(mairie, reverse("moderation")),
                allowed=lambda user, mairie: roles.is_organiser_of(user, mairie)
                and user.has_perm("participation.view_report"))
