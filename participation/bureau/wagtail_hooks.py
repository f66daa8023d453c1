"""The organisers' dashboard in the Wagtail admin: projects by step, decisions through the service;
the listing of every project, to filter and export."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cms import roles
from cms.admin_home import LINE_HOOK, Line
from cms.admin_scoping import MairieDataViewSet
from cms.web import attempt

from . import services
from .forms import DecisionForm
from .models import Project, Status


def dashboard(request):
    user = request.user
    if not roles.is_organiser(user) or user.mairie_id is None and not user.is_superuser:
        raise PermissionDenied
    projects = Project.objects.select_related("author", "mairie").exclude(status=Status.DRAFT)
    if not user.is_superuser:
        projects = projects.filter(mairie_id=user.mairie_id)
    if request.method == "POST":
        project = projects.filter(pk=request.POST.get("project")).first()
        form = DecisionForm(request.POST, project=project) if project else None
        if form is not None and form.is_valid():
            attempt(request, lambda: services.project_transition(
                actor=user, project=project, to_status=form.cleaned_data["status"],
                rationale=form.cleaned_data["rationale"]), success=_("Décision publiée."))
        else:
            messages.error(request, _("Choisissez une étape et écrivez une justification."))
        return redirect("bureau_dashboard")
    columns = []
    for status in (Status.SUBMITTED, Status.UNDER_REVIEW, Status.INCUBATED):
        items = [(p, DecisionForm(project=p, prefix=f"p{p.pk}")) for p in projects.filter(status=status)]
        columns.append((Status(status).label, items))
    return render(request, "bureau/admin_dashboard.html", {"columns": columns, "header_title": _("Bureau")})


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("bureau/", dashboard, name="bureau_dashboard")]


class OrganiserMenuItem(MenuItem):
    def is_shown(self, request):
        return roles.is_organiser(request.user)


@hooks.register("register_admin_menu_item")
def register_menu():
    return OrganiserMenuItem(_("Bureau : décisions"), reverse("bureau_dashboard"), icon_name="tasks", order=210)


@hooks.register("register_admin_menu_item")
def register_moderation_menu():
    return OrganiserMenuItem(_("Modération"), "/moderation/", icon_name="warning", order=220)


class ProjectViewSet(MairieDataViewSet):
    """Every project of the organiser's mairie, drafts aside, to filter and export."""

    model = Project
    icon = "doc-full"
    menu_label = _("Projets du Bureau")
    related = ("quartier",)
    hidden = {"status": Status.DRAFT}
    list_display = ["title", "status", "quartier", "supports_count", "submitted_at"]
    list_filter = ["status", "role", "quartier"]
    search_fields = ["title", "summary", "description", "organisation_name"]
    list_export = ["pk", "title", "summary", "role", "organisation_name", "quartier.name", "status",
                   "supports_count", "comments_count", "submitted_at", "published_at"]
    export_headings = {"pk": _("Numéro"), "quartier.name": _("Quartier")}
    inspect_view_fields = ["title", "summary", "description", "role", "organisation_name", "quartier", "status",
                           "supports_count", "comments_count", "submitted_at", "published_at"]


@hooks.register("register_admin_viewset")
def register_project_viewset():
    return ProjectViewSet("bureau_projects")


@hooks.register(LINE_HOOK)
def organiser_home_line():
    """The organisers' panel on the admin's home (cms.admin_home): projects waiting for a decision."""
    return Line(key="bureau:projects-submitted", role=roles.ORGANISERS, order=20,
                count=lambda user, mairie: Project.objects.filter(mairie=mairie, status=Status.SUBMITTED).count(),
                label=lambda n: ngettext("%(n)d projet du Bureau déposé, à étudier",
                                         "%(n)d projets du Bureau déposés, à étudier", n) % {"n": n},
                url=lambda user, mairie, n: reverse("bureau_dashboard"),
                allowed=lambda user, mairie: roles.is_organiser_of(user, mairie))
