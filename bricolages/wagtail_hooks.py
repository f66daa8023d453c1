"""The agents' panel on the admin's home (cms.admin_home): new experience feedback on the
bricolages the agent wrote. The wiki itself is edited through its own views, not in the admin.
The explorations' days and applications of the organiser's mairie are read-only listings to
filter and export (cms.admin_scoping)."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks

from cms import roles
from cms.admin_home import LINE_HOOK, Line
from cms.admin_scoping import MairieDataViewSet

from . import permissions
from .models import ExplorationApplication, ExplorationDay, Feedback, OpenBricolageEdition, Registration

RECENT_FEEDBACK = datetime.timedelta(days=30)


def _feedback_on_mine(user, mairie):
    """(feedback by others on the user's bricolages in the last 30 days, the latest one's bricolage or None)."""
    recent = (Feedback.objects.filter(bricolage__author=user, updated_at__gte=timezone.now() - RECENT_FEEDBACK)
              .exclude(author=user).order_by("-updated_at"))
    latest = recent.values_list("bricolage_id", flat=True).first()
    return recent.count(), latest


@hooks.register(LINE_HOOK)
def agent_home_line():
    return Line(key="bricolages:feedback-on-mine", role=roles.AGENTS, order=40, per_user=True,
                count=_feedback_on_mine,
                label=lambda value: ngettext("%(n)d retour d'expérience sur vos bricolages ce mois-ci",
                                             "%(n)d retours d'expérience sur vos bricolages ce mois-ci", value[0])
                % {"n": value[0]},
                url=lambda user, mairie, value: (reverse("bricolages:detail", args=[value[1]]) + "#retours"
                                                 if value[1] else reverse("bricolages:list")),
                allowed=lambda user, mairie: permissions.user_can_view_bricolages(user))


# --- explorations: the host mairie's days and applications, to list and export ----------------


class ExplorationDayViewSet(MairieDataViewSet):
    model = ExplorationDay
    icon = "date"
    menu_label = _("Journées d'exploration")
    related = ("mairie",)
    list_display = ["date", "service", "place", "capacity"]
    list_filter = ["date"]
    search_fields = ["service", "place"]
    list_export = ["pk", "date", "service", "place", "capacity", "what_you_will_see", "contact", "created_at"]
    export_headings = {"pk": _("Numéro")}
    inspect_view_fields = ["date", "service", "place", "capacity", "what_you_will_see", "contact", "created_at"]


class ExplorationApplicationViewSet(MairieDataViewSet):
    """Applications to the mairie's days, with the visitors' goals. Logbooks are not here: they are
    their authors' (and the host's, in the agents' space, once shared)."""

    model = ExplorationApplication
    icon = "user"
    menu_label = _("Candidatures aux explorations")
    mairie_lookup = "day__mairie_id"
    related = ("day", "agent", "agent__mairie")
    list_display = ["day", "agent", "status", "accepted_at", "created_at"]
    list_filter = ["status"]
    search_fields = ["goals"]
    list_export = ["pk", "day.date", "day.service", "agent.public_name", "agent.mairie.short_name", "goals", "status",
                   "accepted_at", "logbook_shared_at", "created_at"]
    export_headings = {"pk": _("Numéro"), "day.date": _("Date"), "day.service": _("Service d'accueil"),
                       "agent.public_name": _("Agent"), "agent.mairie.short_name": _("Mairie de l'agent")}
    inspect_view_fields = ["day", "agent", "goals", "status", "accepted_at", "logbook_shared_at", "created_at"]


# --- Open Bricolage: the editions the organiser's mairie hosts and their registrations -------------


class OpenBricolageEditionViewSet(MairieDataViewSet):
    model = OpenBricolageEdition
    icon = "date"
    menu_label = _("Éditions d'Open Bricolage")
    related = ("mairie",)
    list_display = ["date", "title", "place", "capacity"]
    list_filter = ["date"]
    search_fields = ["title", "place"]
    list_export = ["pk", "date", "title", "place", "capacity", "description", "created_at"]
    export_headings = {"pk": _("Numéro")}
    inspect_view_fields = ["date", "title", "place", "capacity", "description", "created_at"]


class OpenBricolageRegistrationViewSet(MairieDataViewSet):
    """Registrations to the editions the mairie hosts, with the first-time flag the organisers count."""

    model = Registration
    icon = "user"
    menu_label = _("Inscriptions à Open Bricolage")
    mairie_lookup = "edition__mairie_id"
    related = ("edition", "workshop", "agent", "agent__mairie")
    list_display = ["edition", "workshop", "agent", "first_time", "status", "created_at"]
    list_filter = ["status", "first_time"]
    search_fields = ["agent__display_name", "workshop__title"]
    list_export = ["pk", "edition.date", "edition.title", "workshop.title", "agent.public_name",
                   "agent.mairie.short_name", "first_time", "status", "created_at"]
    export_headings = {"pk": _("Numéro"), "edition.date": _("Date"), "edition.title": _("Édition"),
                       "workshop.title": _("Atelier"), "agent.public_name": _("Agent"),
                       "agent.mairie.short_name": _("Mairie de l'agent")}
    inspect_view_fields = ["edition", "workshop", "agent", "first_time", "status", "created_at"]


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [ExplorationDayViewSet("bricolages_exploration_days"),
            ExplorationApplicationViewSet("bricolages_exploration_applications"),
            OpenBricolageEditionViewSet("bricolages_openbricolage_editions"),
            OpenBricolageRegistrationViewSet("bricolages_openbricolage_registrations")]
