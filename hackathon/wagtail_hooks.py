"""The Wagtail admin: the service lab's data as read-only listings to filter and export, each
mairie's staff seeing their own only. The complaints listing is the only one with personal
columns (the letter's subject and the contact), for the agents and organisers of its mairie."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from cms.admin_scoping import MairieDataViewSet

from .models import Complaint, Draw, Outcome


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
