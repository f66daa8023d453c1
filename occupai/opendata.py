"""Occupai's open data (cms.opendata): the results of the calls whose programme is published.

One row per public proposal of such a call: its supports (the engine's count), its selection
status, the public reason of a « non retenue », and, for a selected one, its event (space, start,
end). Who proposed it is named only when it is an association or a collective (its public name);
a resident is never named, anonymous or not."""

from django.utils.translation import gettext_lazy as _

from cms.charts import bar_chart
from cms.opendata import Column, Dataset

from .models import Proposal
from .selectors import calls_for_mairie, programme_is_public, public_proposals

COLUMNS = [
    Column("call_id", _("Identifiant de l'appel à projets"), "integer"),
    Column("call_title", _("Titre de l'appel à projets")),
    Column("voting_closed_at", _("Clôture du vote"), "datetime"),
    Column("results_at", _("Publication du programme"), "datetime"),
    Column("proposal_id", _("Identifiant de la proposition"), "integer"),
    Column("proposal_title", _("Titre de la proposition")),
    Column("kind", _("Type d'événement (code)")),
    Column("kind_label", _("Type d'événement")),
    Column("proposer_type", _("Qui propose : resident, association ou collective")),
    Column("proposer", _("Nom de l'association ou du collectif (vide pour un·e habitant·e)")),
    Column("quartier", _("Quartier")),
    Column("supports", _("Nombre de soutiens reçus"), "integer"),
    Column("status", _("Statut : selected (retenue), not_selected (non retenue), accepted (publiée)")),
    Column("status_label", _("Statut")),
    Column("decision_reason", _("Motif public d'une proposition non retenue")),
    Column("event_space", _("Espace de l'événement programmé")),
    Column("event_starts_at", _("Début de l'événement"), "datetime"),
    Column("event_ends_at", _("Fin de l'événement"), "datetime"),
    Column("url", _("Adresse de la proposition")),
]


def closed_calls(mairie):
    """The mairie's live calls whose programme is published: their results are final and public."""
    return [call for call in calls_for_mairie(mairie) if programme_is_public(call)]


def result_rows(mairie):
    root = mairie.root_url
    for call in closed_calls(mairie):
        proposals = (public_proposals(call).select_related("quartier").prefetch_related(None)
                     .order_by("-supports_count", "title", "pk"))
        for proposal in proposals:
            proposal.call = call
            selected = proposal.status == Proposal.Status.SELECTED
            event = getattr(proposal, "event", None) if selected else None
            organisation = proposal.proposer_type != Proposal.ProposerType.RESIDENT
            yield {
                "call_id": call.pk, "call_title": call.title, "voting_closed_at": call.voting_closes_at,
                "results_at": call.results_at, "proposal_id": proposal.pk, "proposal_title": proposal.title,
                "kind": proposal.kind, "kind_label": proposal.get_kind_display(),
                "proposer_type": proposal.proposer_type,
                "proposer": proposal.proposer_name if organisation else "",
                "quartier": proposal.quartier.name if proposal.quartier_id else "",
                "supports": proposal.supports_count, "status": proposal.status,
                "status_label": proposal.get_status_display(),
                "decision_reason": proposal.status_reason if proposal.status == Proposal.Status.NOT_SELECTED else "",
                "event_space": event.space.name if event else "",
                "event_starts_at": event.starts_at if event else None,
                "event_ends_at": event.ends_at if event else None,
                "url": root + proposal.get_absolute_url(),
            }


def result_charts(rows):
    """A closed call's supports per proposal, one chart per call, in the rows' order."""
    calls = {}
    for row in rows:
        calls.setdefault((row["call_id"], row["call_title"]), []).append(row)
    for (call_id, title), proposals in calls.items():
        top = proposals[0]["supports"] if proposals else 0
        yield bar_chart(
            chart_id=f"occupai-call-{call_id}",
            title=str(_("Soutiens par proposition : %(call)s") % {"call": title}),
            description=str(_("Nombre de soutiens reçus par chacune des %(count)s propositions publiées de l'appel "
                              "« %(call)s », de la plus soutenue à la moins soutenue (la première en a reçu "
                              "%(top)s).") % {"count": len(proposals), "call": title, "top": top}),
            items=[(f"{row['proposal_title']} ({row['status_label']})", row["supports"]) for row in proposals],
            label_header=str(_("Proposition (statut)")), value_header=str(_("Soutiens")))


DATASETS = [
    Dataset(key="occupai-resultats", order=20, title=_("Occupai : résultats des appels à projets clos"),
            description=_("Pour chaque appel dont le programme est publié : les propositions publiées, leurs "
                          "soutiens, leur sélection et, pour celles retenues, l'événement programmé (espace, "
                          "début, fin)."),
            columns=COLUMNS, rows=result_rows, updated=("results_at",), charts=result_charts),
]
