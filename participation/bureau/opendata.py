"""The Bureau's open data (cms.opendata): its public projects, and the decisions taken on them with
their public reasons (the timeline's transitions). No author is named: not the resident who
proposed, not the organiser who decided."""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from cms.charts import grid_chart
from cms.opendata import Column, Dataset
from participation.models import AuditEntry

from .models import Project, Status
from .selectors import index_path, public_projects

NO_QUARTIER = _("Sans quartier")

PROJECT_COLUMNS = [
    Column("project_id", _("Identifiant du projet"), "integer"),
    Column("title", _("Titre")),
    Column("summary", _("Le projet en une phrase")),
    Column("quartier", _("Quartier")),
    Column("status", _("Statut : under_review, incubated, launched, declined")),
    Column("status_label", _("Statut")),
    Column("supports", _("Nombre de soutiens"), "integer"),
    Column("tags", _("Mots-clés, séparés par « ; »")),
    Column("published_at", _("Publication du projet"), "datetime"),
    Column("updated_at", _("Dernière modification du projet"), "datetime"),
    Column("url", _("Adresse du projet")),
]

DECISION_COLUMNS = [
    Column("decision_id", _("Identifiant de la décision"), "integer"),
    Column("project_id", _("Identifiant du projet"), "integer"),
    Column("project_title", _("Titre du projet")),
    Column("quartier", _("Quartier")),
    Column("decided_at", _("Date de la décision"), "datetime"),
    Column("from_status", _("Statut avant la décision (code)")),
    Column("to_status", _("Statut décidé (code)")),
    Column("to_status_label", _("Statut décidé")),
    Column("reason", _("Motif public de la décision")),
    Column("project_url", _("Adresse du projet")),
]


def _projects(mairie):
    return list(public_projects(mairie).order_by("pk"))


def _url(mairie, project):
    return f"{mairie.root_url}{index_path(mairie)}projets/{project.pk}/"


def project_rows(mairie):
    for project in _projects(mairie):
        yield {
            "project_id": project.pk, "title": project.title, "summary": project.summary,
            "quartier": project.quartier.name if project.quartier_id else "", "status": project.status,
            "status_label": project.get_status_display(), "supports": project.supports_count,
            "tags": "; ".join(sorted(tag.name for tag in project.tags.all())),
            "published_at": project.published_at, "updated_at": project.updated_at, "url": _url(mairie, project),
        }


def decision_rows(mairie):
    """Every transition an organiser decided on a public project, oldest first."""
    projects = {str(project.pk): project for project in _projects(mairie)}
    entries = (AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Project),
                                         object_id__in=list(projects), action="transition", public=True)
               .order_by("created_at", "pk"))
    for entry in entries:
        project = projects[entry.object_id]
        to_status = entry.data.get("to", "")
        yield {
            "decision_id": entry.pk, "project_id": project.pk, "project_title": project.title,
            "quartier": project.quartier.name if project.quartier_id else "", "decided_at": entry.created_at,
            "from_status": entry.data.get("from", ""), "to_status": to_status,
            "to_status_label": Status(to_status).label if to_status in Status.values else entry.label,
            "reason": entry.reason, "project_url": _url(mairie, project),
        }


def pipeline_charts(rows):
    """Public projects by quartier and status (the pipeline's order)."""
    statuses = [s for s in Status if any(row["status"] == s.value for row in rows)]
    quartiers = sorted({row["quartier"] for row in rows if row["quartier"]})
    if any(not row["quartier"] for row in rows):
        quartiers.append(str(NO_QUARTIER))
    values = {}
    for row in rows:
        key = (row["quartier"] or str(NO_QUARTIER), str(Status(row["status"]).label))
        values[key] = values.get(key, 0) + 1
    yield grid_chart(
        chart_id="bureau-pipeline",
        title=str(_("Les projets du Bureau par quartier et par statut")),
        description=str(_("Nombre de projets publics du Bureau dans chaque quartier, à chaque étape : %(total)s "
                          "projets en tout.") % {"total": len(rows)}),
        rows=quartiers, columns=[str(s.label) for s in statuses], values=values, corner=str(_("Quartier")))


DATASETS = [
    Dataset(key="bureau-projets", order=30, title=_("Bureau : les projets publics"),
            description=_("Les projets de quartier accompagnés par le Bureau de l'intelligence citoyenne : "
                          "quartier, étape où ils en sont, soutiens."),
            columns=PROJECT_COLUMNS, rows=project_rows, updated=("updated_at",), charts=pipeline_charts),
    Dataset(key="bureau-decisions", order=31, title=_("Bureau : les décisions et leurs motifs"),
            description=_("Chaque décision prise sur un projet public (étude, incubation, lancement, refus), "
                          "avec sa date et le motif publié avec elle."),
            columns=DECISION_COLUMNS, rows=decision_rows, updated=("decided_at",)),
]
