"""Wagtail admin: the mairie's commitment reports as a snippet scoped to the editor's mairie,
the adoption of an amendment in the charter's history, and the listing of every amendment."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from cms import roles
from cms.admin_home import LINE_HOOK, Line, may_edit_pages
from cms.admin_scoping import MairieDataViewSet, MairiePermissionPolicy, MairieScopedSnippetViewSet

from . import rules
from .models import Amendment, CharterPage, CommitmentReport
from .services import ADOPT_LOG_ACTION

register_permission_policy(CommitmentReport, MairiePermissionPolicy(CommitmentReport, "charter__mairie_id"))


class CommitmentReportViewSet(MairieScopedSnippetViewSet):
    model = CommitmentReport
    mairie_lookup = "charter__mairie_id"
    icon = "doc-full"
    menu_label = _("Comptes rendus de la charte")
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["number", "date", "text", "charter"]
    list_filter = ["number"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("charter")


register_snippet(CommitmentReportViewSet)


@hooks.register("after_create_snippet")
def remember_report_author(request, instance):
    if isinstance(instance, CommitmentReport) and instance.created_by_id is None:
        CommitmentReport.objects.filter(pk=instance.pk).update(created_by=request.user)


@hooks.register("register_log_actions")
def register_charter_log_actions(actions):
    @actions.register_action(ADOPT_LOG_ACTION)
    class AmendmentAdopted(LogFormatter):
        label = _("Adoption d'un amendement")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return _("Amendement n° %(id)s adopté dans ce brouillon (commandement %(n)s)") % {
                "id": data.get("amendment", "?"), "n": data.get("number", "?")}


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_an_incomplete_charter(request, action_type, objects, action_view):
    """The page listing's bulk "publish" goes around the edit form: check the 19 here too, and
    come back to the listing with the reason instead of failing in CharterPage.publish."""
    if action_type != "publish":
        return None
    for page in objects:
        if not issubclass(page.specific_class or object, CharterPage):
            continue
        draft = page.specific.get_latest_revision_as_object()
        problems = rules.numbering_problems([c.number for c in draft.commandements.all()], publishing=True)
        if problems:
            messages.error(request, _("« %(title)s » n'est pas publiée : %(reason)s") % {
                "title": page.title, "reason": " ".join(str(p) for p in problems)})
            return redirect(action_view.next_url)
    return None


class AmendmentViewSet(MairieDataViewSet):
    """Every amendment to the editor's mairie's charter, to filter and export."""

    model = Amendment
    icon = "edit"
    menu_label = _("Amendements")
    related = ("charter",)
    list_display = ["number", "kind", "proposed_title", "status", "supports_count", "created_at"]
    list_filter = ["status", "kind", "author_kind", "number"]
    search_fields = ["proposed_title", "proposed_mairie_commitment", "proposed_resident_commitment", "rationale"]
    list_export = ["pk", "charter.title", "number", "kind", "author_kind", "proposed_title",
                   "proposed_mairie_commitment", "proposed_resident_commitment", "rationale", "status",
                   "decision_reason", "supports_count", "comments_count", "created_at", "decided_at"]
    export_headings = {"pk": _("Numéro"), "charter.title": _("Charte")}
    inspect_view_fields = ["charter", "number", "kind", "author_kind", "proposed_title", "proposed_mairie_commitment",
                           "proposed_resident_commitment", "rationale", "status", "decision_reason",
                           "supports_count", "comments_count", "created_at", "decided_at"]


@hooks.register("register_admin_viewset")
def register_amendment_viewset():
    return AmendmentViewSet("commandements_amendments")


# --- the editors' panel on the admin's home (cms.admin_home) ----------------------------------


def _charter_drafts(user, mairie):
    """(number of the mairie's charters with unpublished changes, the first one's id or None)."""
    pks = list(CharterPage.objects.filter(mairie=mairie, has_unpublished_changes=True).order_by("pk")
               .values_list("pk", flat=True))
    return len(pks), (pks[0] if pks else None)


def _charter_url(user, mairie, value):
    charter_id = value[1] or CharterPage.objects.filter(mairie=mairie).values_list("pk", flat=True).first()
    if charter_id is None:
        return reverse("wagtailadmin_explore", args=[mairie.site.root_page_id])
    return reverse("wagtailadmin_pages:edit", args=[charter_id])


@hooks.register(LINE_HOOK)
def editor_home_lines():
    return [
        Line(key="commandements:amendments-open", role=roles.EDITORS, order=10,
             count=lambda user, mairie: Amendment.objects.filter(mairie=mairie, status=Amendment.Status.OPEN).count(),
             label=lambda n: ngettext("%(n)d amendement en consultation, à adopter ou non",
                                      "%(n)d amendements en consultation, à adopter ou non", n) % {"n": n},
             url=lambda user, mairie, n: reverse("commandements_amendments:index") + "?status=open",
             allowed=lambda user, mairie: user.has_perm("commandements.view_amendment")),
        Line(key="commandements:charter-draft", role=roles.EDITORS, order=30,
             count=_charter_drafts,
             label=lambda value: ngettext("%(n)d brouillon de la charte à relire et publier",
                                          "%(n)d brouillons de la charte à relire et publier", value[0])
             % {"n": value[0]},
             url=_charter_url, allowed=may_edit_pages),
    ]
