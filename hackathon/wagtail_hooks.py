"""The Wagtail admin: the service lab's data as read-only listings to filter and export, each
mairie's staff seeing their own only. The complaints listing is the only one with personal
columns (the letter's subject and the contact), for the agents and organisers of its mairie."""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks

from cms import roles
from cms.admin_home import LINE_HOOK, Line, site_url
from cms.admin_scoping import MairieDataViewSet

from . import permissions
from .models import Complaint, Draw, Letter, Outcome


class ComplaintViewSet(MairieDataViewSet):
    model = Complaint
    icon = "mail"
    menu_label = _("Courriers")
    related = ("issue", "quartier", "personal")
    list_display = ["received_on", "channel", "public_summary", "issue", "quartier"]
    list_filter = ["channel", "issue", "quartier"]
    search_fields = ["public_summary"]
    list_export = ["pk", "received_on", "channel", "quartier.name", "issue.title", "public_summary",
                   "personal.subject", "personal.contact_name", "personal.contact_email",
                   "personal.contact_phone", "personal.postal_address", "personal_data_purged_at"]
    export_headings = {"pk": _("Numéro"), "quartier.name": _("Quartier"), "issue.title": _("Sujet récurrent"),
                       "personal.subject": _("Objet du courrier"), "personal.contact_name": _("Nom"),
                       "personal.contact_email": _("E-mail"), "personal.contact_phone": _("Téléphone"),
                       "personal.postal_address": _("Adresse postale")}
    inspect_view_fields = ["received_on", "channel", "quartier", "issue", "public_summary", "summary_approved_at",
                           "grouped_at", "personal_data_purged_at"]


class DrawViewSet(MairieDataViewSet):
    model = Draw
    icon = "pick"
    menu_label = _("Tirages au sort")
    related = ("winner",)
    list_display = ["month", "sequence", "status", "winner", "drawn_at"]
    list_filter = ["status", "redraw_kind"]
    search_fields = ["entropy_source", "redraw_reason", "closed_reason"]
    list_export = ["pk", "month", "sequence", "status", "list_hash", "entropy_source", "entropy_available_at",
                   "entropy_value", "seed", "winner.title", "drawn_at", "redraw_kind", "redraw_reason",
                   "closed_reason"]
    export_headings = {"pk": _("Numéro"), "winner.title": _("Sujet tiré")}
    inspect_view_fields = ["month", "sequence", "status", "list_hash", "entropy_source", "entropy_available_at",
                           "entropy_value", "seed", "winner", "drawn_at", "redraw_kind", "redraw_reason",
                           "closed_reason", "record_json"]


class OutcomeViewSet(MairieDataViewSet):
    model = Outcome
    icon = "tasks"
    menu_label = _("Suites des hackathons")
    related = ("session", "issue")
    list_display = ["issue", "session", "status", "carried_by", "due_on", "published_at"]
    list_filter = ["status"]
    search_fields = ["decision", "carried_by"]
    list_export = ["pk", "issue.title", "session.title", "session.starts_at", "decision", "carried_by", "due_on",
                   "status", "published_at", "updated_at"]
    export_headings = {"pk": _("Numéro"), "issue.title": _("Sujet"), "session.title": _("Hackathon"),
                       "session.starts_at": _("Date du hackathon")}
    inspect_view_fields = ["issue", "session", "decision", "carried_by", "due_on", "status", "published_at",
                           "updated_at"]


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [ComplaintViewSet("hackathon_complaints"), DrawViewSet("hackathon_draws"),
            OutcomeViewSet("hackathon_outcomes")]


# --- the organisers' and agents' panels on the admin's home (cms.admin_home) -------------------

STALE_OUTCOME = datetime.timedelta(days=30)


def _next_draw(user, mairie):
    """The draw waiting to be run (else the latest one) as {"pk", "month", "status", "entropy_at"}, or None."""
    draw = (Draw.objects.filter(mairie=mairie, status=Draw.Status.FROZEN).order_by("month", "sequence").first()
            or Draw.objects.filter(mairie=mairie).order_by("-month", "-sequence").first())
    if draw is None:
        return None
    return {"pk": draw.pk, "month": draw.month, "status": draw.status, "entropy_at": draw.entropy_available_at}


def _draw_label(value):
    if value is None:
        return _("Aucun tirage au sort ouvert : ouvrez celui du mois")
    text = _("Tirage au sort de %(month)s : %(state)s") % {
        "month": formats.date_format(value["month"], "F Y"), "state": Draw.Status(value["status"]).label.lower()}
    if value["status"] == Draw.Status.FROZEN:
        text += " " + _("(hasard connu à partir du %(date)s)") % {
            "date": formats.date_format(timezone.localtime(value["entropy_at"]), "DATETIME_FORMAT")}
    return text


def _draw_url(user, mairie, value):
    return site_url(mairie, reverse("hackathon:draw", args=[value["pk"]]) if value else reverse("hackathon:organiser"))


def _outcomes_to_update(user, mairie):
    """Outcomes not yet carried out whose due date has passed or that no one updated for a month."""
    return Outcome.objects.filter(mairie=mairie).exclude(status=Outcome.Status.IMPLEMENTED).filter(
        Q(due_on__lt=timezone.localdate()) | Q(updated_at__lt=timezone.now() - STALE_OUTCOME)).count()


def _staff_of(user, mairie):
    return permissions.user_can_list_complaints(user, mairie)


@hooks.register(LINE_HOOK)
def home_lines():
    return [
        Line(key="hackathon:next-draw", role=roles.ORGANISERS, order=50, count=_next_draw, label=_draw_label,
             url=_draw_url, allowed=lambda user, mairie: permissions.user_can_open_draw(user, mairie)),
        Line(key="hackathon:outcomes-to-update", role=roles.ORGANISERS, order=60, count=_outcomes_to_update,
             label=lambda n: ngettext("%(n)d suite de hackathon à mettre à jour (échéance passée ou sans nouvelles "
                                      "depuis un mois)",
                                      "%(n)d suites de hackathon à mettre à jour (échéance passée ou sans nouvelles "
                                      "depuis un mois)", n) % {"n": n},
             url=lambda user, mairie, n: reverse("hackathon_outcomes:index"),
             allowed=lambda user, mairie: permissions.user_can_manage_outcome(user, mairie)
             and user.has_perm("hackathon.view_outcome")),
        Line(key="hackathon:summaries-to-approve", role=roles.AGENTS, order=10,
             count=lambda user, mairie: Complaint.objects.filter(mairie=mairie, summary_approved_at__isnull=True).count(),
             label=lambda n: ngettext("%(n)d courrier à finir de numériser (résumé public à valider)",
                                      "%(n)d courriers à finir de numériser (résumé public à valider)", n) % {"n": n},
             url=lambda user, mairie, n: site_url(mairie, reverse("hackathon:complaints")), allowed=_staff_of),
        Line(key="hackathon:complaints-ungrouped", role=roles.AGENTS, order=20,
             count=lambda user, mairie: Complaint.objects.filter(mairie=mairie, issue__isnull=True).count(),
             label=lambda n: ngettext("%(n)d courrier sans sujet récurrent", "%(n)d courriers sans sujet récurrent",
                                      n) % {"n": n},
             url=lambda user, mairie, n: site_url(mairie, reverse("hackathon:complaints") + "?regroupe=non"),
             allowed=_staff_of),
        Line(key="hackathon:letters-to-send", role=roles.AGENTS, order=30,
             count=lambda user, mairie: Letter.objects.filter(mairie=mairie, sent_at__isnull=True,
                                                              withdrawn_at__isnull=True).count(),
             label=lambda n: ngettext("%(n)d lettre à imprimer et envoyer", "%(n)d lettres à imprimer et envoyer",
                                      n) % {"n": n},
             url=lambda user, mairie, n: site_url(mairie, reverse("hackathon:letters")),
             allowed=lambda user, mairie: permissions.user_can_handle_letters(user, mairie)),
    ]
