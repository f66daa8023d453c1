"""The Service lab's open data (cms.opendata): the monthly draws with their verifiable records
(docs/draw.md), and how many complaints each public recurring issue received each month.

Counts only: no complaint text, summary, channel or contact is exported. A draw is public from its
opening (its frozen list is published then), so every draw is listed with its status."""

import json

from django.db.models import Count, Max
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cms.charts import grid_chart
from cms.opendata import Column, Dataset

from . import drawing
from .models import Complaint
from .selectors import draws_for, public_issues

DRAW_COLUMNS = [
    Column("draw_id", _("Identifiant du tirage"), "integer"),
    Column("month", _("Mois du tirage (AAAA-MM)")),
    Column("sequence", _("Rang dans le mois (1, puis 2 pour un nouveau tirage…)"), "integer"),
    Column("status", _("Statut : frozen (liste publiée, en attente), drawn (tiré), void (clôturé sans tirage)")),
    Column("status_label", _("Statut")),
    Column("procedure", _("Procédure de tirage (voir la page du tirage)")),
    Column("record", _("La liste gelée, exactement les octets publiés (JSON canonique)")),
    Column("list_hash", _("Empreinte SHA-256 de la liste")),
    Column("eligible_issues", _("Nombre de sujets dans la liste"), "integer"),
    Column("total_weight", _("Somme des poids (courriers + « moi aussi »)"), "integer"),
    Column("entropy_source", _("Source du hasard, annoncée à l'ouverture")),
    Column("entropy_available_at", _("Moment où la valeur du hasard devient publique"), "datetime"),
    Column("opened_at", _("Ouverture (liste gelée)"), "datetime"),
    Column("entropy_value", _("Valeur du hasard saisie au tirage")),
    Column("seed", _("Graine : SHA-256 de l'empreinte suivie de la valeur")),
    Column("r", _("Graine modulo la somme des poids"), "integer"),
    Column("winner_issue_id", _("Identifiant du sujet tiré"), "integer"),
    Column("winner_title", _("Sujet tiré")),
    Column("drawn_at", _("Date du tirage"), "datetime"),
    Column("redraw_of", _("Tirage remplacé (pour un nouveau tirage)"), "integer"),
    Column("redraw_kind", _("Nature du nouveau tirage : incident ou void_winner")),
    Column("redraw_reason", _("Motif public du nouveau tirage")),
    Column("closed_reason", _("Motif public de la clôture sans tirage")),
    Column("closed_at", _("Date de la clôture"), "datetime"),
    Column("url", _("Adresse de la page du tirage")),
    Column("record_url", _("Adresse de la liste publiée (liste.json)")),
]

COMPLAINT_COLUMNS = [
    Column("issue_id", _("Identifiant du sujet récurrent"), "integer"),
    Column("issue_title", _("Sujet récurrent")),
    Column("month", _("Mois de réception (AAAA-MM)")),
    Column("complaints", _("Nombre de courriers reçus ce mois-là sur ce sujet"), "integer"),
    Column("last_received_on", _("Réception du dernier courrier du mois"), "date"),
]


def draw_rows(mairie):
    root = mairie.root_url
    for draw in draws_for(mairie).order_by("month", "sequence"):
        record = json.loads(draw.record_json)
        weights = [issue["weight"] for issue in record.get("issues", [])]
        r = None
        if draw.is_drawn and draw.seed and weights:
            r = drawing.pick_index(draw.seed, weights)[1]
        yield {
            "draw_id": draw.pk, "month": draw.month_label, "sequence": draw.sequence, "status": draw.status,
            "status_label": draw.get_status_display(), "procedure": record.get("procedure", drawing.PROCEDURE),
            "record": draw.record_json, "list_hash": draw.list_hash, "eligible_issues": len(weights),
            "total_weight": sum(weights), "entropy_source": draw.entropy_source,
            "entropy_available_at": draw.entropy_available_at, "opened_at": draw.opened_at,
            "entropy_value": draw.entropy_value, "seed": draw.seed, "r": r, "winner_issue_id": draw.winner_id,
            "winner_title": draw.winner.title if draw.winner_id else "", "drawn_at": draw.drawn_at,
            "redraw_of": draw.redraw_of_id, "redraw_kind": draw.redraw_kind, "redraw_reason": draw.redraw_reason,
            "closed_reason": draw.closed_reason, "closed_at": draw.closed_at,
            "url": root + draw.get_absolute_url(), "record_url": root + reverse("hackathon:draw-record", args=[draw.pk]),
        }


def complaint_rows(mairie):
    issues = {issue.pk: issue for issue in public_issues(mairie).prefetch_related(None)}
    counts = (Complaint.objects.filter(mairie=mairie, issue_id__in=list(issues))
              .annotate(month=TruncMonth("received_on")).values("issue_id", "month")
              .annotate(complaints=Count("pk"), last=Max("received_on")).order_by("month", "issue_id"))
    for row in counts:
        yield {"issue_id": row["issue_id"], "issue_title": issues[row["issue_id"]].title,
               "month": row["month"].strftime("%Y-%m"), "complaints": row["complaints"],
               "last_received_on": row["last"]}


def complaint_charts(rows):
    """Complaints per recurring issue (by total, largest first) and month."""
    months = sorted({row["month"] for row in rows})
    titles = {}
    for row in rows:
        titles.setdefault(row["issue_id"], row["issue_title"])
    repeated = {title for title in titles.values() if list(titles.values()).count(title) > 1}
    labels = {pk: f"{title} (n° {pk})" if title in repeated else title for pk, title in titles.items()}
    totals, values = {}, {}
    for row in rows:
        label = labels[row["issue_id"]]
        totals[label] = totals.get(label, 0) + row["complaints"]
        values[(label, row["month"])] = row["complaints"]
    issues = sorted(totals, key=lambda label: (-totals[label], label))
    yield grid_chart(
        chart_id="service-lab-complaints",
        title=str(_("Les courriers par sujet récurrent et par mois")),
        description=str(_("Nombre de courriers reçus chaque mois sur chacun des %(issues)s sujets récurrents "
                          "publics : %(total)s courriers en tout.") % {"issues": len(issues),
                                                                       "total": sum(totals.values())}),
        rows=issues, columns=months, values=values, corner=str(_("Sujet récurrent")))


DATASETS = [
    Dataset(key="tirages-au-sort", order=40, title=_("Service lab : les tirages au sort et leurs preuves"),
            description=_("Chaque tirage au sort mensuel d'un sujet récurrent : la liste gelée et son empreinte, "
                          "la source du hasard annoncée, la valeur, la graine et le résultat, de quoi le refaire "
                          "soi-même (procédure publiée sur chaque page de tirage)."),
            columns=DRAW_COLUMNS, rows=draw_rows, updated=("opened_at", "drawn_at", "closed_at")),
    Dataset(key="courriers-par-sujet", order=41, title=_("Service lab : les courriers par sujet et par mois"),
            description=_("Combien de courriers chaque sujet récurrent public a reçus, mois par mois : des "
                          "nombres seulement, jamais le contenu d'un courrier ni son auteur·rice."),
            columns=COMPLAINT_COLUMNS, rows=complaint_rows, updated=("last_received_on",), charts=complaint_charts),
]
