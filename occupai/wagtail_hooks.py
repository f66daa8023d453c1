"""The Wagtail admin: each mairie's organisers manage their own spaces (snippets) and list, filter and
export the proposals of their calls."""

import datetime

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.panels import ObjectList
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import DeleteView

from cms import roles
from cms.admin_home import LINE_HOOK, Line
from cms.admin_scoping import (
    MairieDataViewSet,
    MairiePermissionPolicy,
    MairieScopedSnippetViewSet,
    OwnMairieForm,
)

from .models import CallPage, Event, OccupaiIndexPage, Proposal, Space


class SpaceDeleteView(DeleteView):
    """A space with events in a programme stays (events point at it, PROTECT): say so."""

    def form_valid(self, form):
        booked = Event.objects.filter(space=self.object).count()
        if booked:
            messages.error(self.request, ngettext(
                "« %(space)s » accueille %(n)d événement programmé : déprogrammez-le avant de supprimer l'espace.",
                "« %(space)s » accueille %(n)d événements programmés : déprogrammez-les avant de supprimer l'espace.",
                booked) % {"space": self.object.name, "n": booked})
            return redirect(self.get_success_url())
        return super().form_valid(form)


class SpaceViewSet(MairieScopedSnippetViewSet):
    model = Space
    icon = "home"
    menu_label = _("Espaces Occupai")
    list_display = ["name", "mairie", "capacity", "setting_label"]
    list_filter = ["mairie", "is_indoor"]
    search_fields = ["name"]
    add_to_admin_menu = True
    menu_order = 300
    delete_view_class = SpaceDeleteView

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("mairie")

    edit_handler = ObjectList(Space.panels, base_form_class=OwnMairieForm)


register_permission_policy(Space, MairiePermissionPolicy(Space))
register_snippet(SpaceViewSet)


class ProposalViewSet(MairieDataViewSet):
    """The organisers' listing of every proposal of their mairie's calls, to filter and export."""

    model = Proposal
    icon = "form"
    menu_label = _("Propositions Occupai")
    related = ("call", "quartier")
    hidden = {"status": Proposal.Status.DRAFT}
    list_display = ["title", "call", "status", "supports_count", "submitted_at"]
    list_filter = ["status", "kind", "call", "proposer_type"]
    search_fields = ["title", "description", "proposer_name"]
    list_export = ["pk", "call.title", "title", "kind", "proposer_type", "proposer_name", "quartier.name",
                   "expected_audience", "status", "status_reason", "supports_count", "comments_count",
                   "submitted_at", "decided_at"]
    export_headings = {"pk": _("Numéro"), "call.title": _("Appel"), "quartier.name": _("Quartier")}
    inspect_view_fields = ["call", "title", "description", "kind", "proposer_type", "proposer_name",
                           "expected_audience", "needs_details", "accessibility", "status", "status_reason",
                           "supports_count", "comments_count", "submitted_at", "decided_at"]


@hooks.register("register_admin_viewset")
def register_proposal_viewset():
    return ProposalViewSet("occupai_proposals")


# --- the organisers' panel on the admin's home (cms.admin_home) -------------------------------

CLOSING_SOON = datetime.timedelta(days=7)


def _calls_closing(user, mairie):
    """Live calls of the mairie whose proposals or vote close within the week."""
    now = timezone.now()
    soon = (now, now + CLOSING_SOON)
    return CallPage.objects.live().filter(mairie=mairie).filter(
        Q(submission_closes_at__range=soon) | Q(voting_closes_at__range=soon)).count()


def _index_url(user, mairie, value):
    index_id = OccupaiIndexPage.objects.filter(mairie=mairie).values_list("pk", flat=True).first()
    return reverse("wagtailadmin_explore", args=[index_id]) if index_id else reverse("wagtailadmin_home")


@hooks.register(LINE_HOOK)
def organiser_home_lines():
    return [
        Line(key="occupai:proposals-submitted", role=roles.ORGANISERS, order=10,
             count=lambda user, mairie: Proposal.objects.filter(call__mairie=mairie,
                                                                status=Proposal.Status.SUBMITTED).count(),
             label=lambda n: ngettext("%(n)d proposition Occupai à valider ou refuser",
                                      "%(n)d propositions Occupai à valider ou refuser", n) % {"n": n},
             url=lambda user, mairie, n: reverse("occupai_proposals:index") + "?status=submitted",
             allowed=lambda user, mairie: user.has_perm("occupai.view_proposal")),
        Line(key="occupai:calls-closing", role=roles.ORGANISERS, order=30,
             count=_calls_closing,
             label=lambda n: ngettext("%(n)d appel à projets qui clôt cette semaine (dépôt ou vote)",
                                      "%(n)d appels à projets qui clôturent cette semaine (dépôt ou vote)", n)
             % {"n": n},
             url=_index_url, allowed=lambda user, mairie: roles.is_organiser_of(user, mairie)),
    ]
