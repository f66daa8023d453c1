"""Writes of the Bureau: the HTML views, the Wagtail admin dashboard and the API call these."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import roles
from cms.errors import Conflict, NotAllowed
from cms.validation import LINE_BREAK_MESSAGE, has_line_break, required_text
from participation import services as engine
from participation.models import Quartier

from . import permissions
from .models import TRANSITIONS, Need, Project, ProjectUpdate, Role, Status

EDITABLE_FIELDS = ("title", "summary", "description", "needs", "role", "organisation_name", "quartier",
                   "author_anonymous", "image")


def _clean(project):
    errors = {}
    if not (project.title or "").strip():
        errors["title"] = _("Donnez un titre à votre projet.")
    if not (project.summary or "").strip():
        errors["summary"] = _("Résumez votre projet en une phrase.")
    if not (project.description or "").strip():
        errors["description"] = _("Décrivez votre projet.")
    unknown = [n for n in project.needs or [] if n not in Need.values]
    if unknown:
        errors["needs"] = _("Besoin inconnu : %(needs)s.") % {"needs": ", ".join(map(str, unknown))}
    if project.role not in Role.values:
        errors["role"] = _("Choisissez habitant·e, association ou collectif.")
    if project.role != Role.RESIDENT and not (project.organisation_name or "").strip():
        errors["organisation_name"] = _("Indiquez le nom de votre association ou collectif.")
    if project.quartier_id and not Quartier.objects.filter(pk=project.quartier_id, mairie=project.mairie_id).exists():
        errors["quartier"] = _("Ce quartier n'appartient pas à cette mairie.")
    if has_line_break(project.title):
        errors["title"] = LINE_BREAK_MESSAGE
    if errors:
        raise ValidationError(errors)
    project.full_clean(exclude=["mairie", "author", "image", "quartier", "needs"])


@transaction.atomic
def project_create(*, author, mairie, data: dict, tags=(), submit=False) -> Project:
    if not permissions.user_can_submit_project(author, mairie):
        raise NotAllowed(_("Seul·es les habitant·es de cette mairie peuvent y déposer un projet."),
                         code="other_mairie")
    roles.require_confirmed(author)
    project = Project(mairie=mairie, author=author, status=Status.DRAFT,
                      **{k: v for k, v in data.items() if k in EDITABLE_FIELDS})
    _clean(project)
    project.save()
    if tags:
        project.tags.set(_clean_tags(tags))
    engine.follow_add(user=author, target=project)
    if submit:
        project = project_submit(actor=author, project=project)  # the row as it now is (submitted)
    return project


def _clean_tags(tags):
    clean = []
    for tag in tags:
        tag = str(tag).strip()[:50]
        if tag and tag.lower() not in {t.lower() for t in clean}:
            clean.append(tag)
    if len(clean) > 8:
        raise ValidationError({"tags": _("Huit mots-clés au plus.")})
    return clean


@transaction.atomic
def project_update(*, actor, project: Project, data: dict, tags=None) -> Project:
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not permissions.user_can_edit_project(actor, project):
        if project.author_id == getattr(actor, "pk", None):
            raise Conflict(_("Ce projet ne peut plus être modifié : il a déjà reçu des soutiens ou a été "
                             "décidé."), code="locked")
        raise NotAllowed(_("Seul·e l'auteur·rice peut modifier ce projet."), code="not_author")
    for key, value in data.items():
        if key in EDITABLE_FIELDS:
            setattr(project, key, value)
    _clean(project)
    project.save()
    if tags is not None:
        project.tags.set(_clean_tags(tags))
    if project.is_public():
        engine.notify_followers(target=project, verb="edited", actor=actor,
                                title=_("« %(title)s » a été modifié") % {"title": project.title},
                                message=_("L'auteur·rice a mis à jour la description du projet."))
    return project


@transaction.atomic
def project_submit(*, actor, project: Project) -> Project:
    """Draft → submitted: it now waits for an organiser's acceptance (pre-moderation)."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.author_id != getattr(actor, "pk", None):
        raise NotAllowed(_("Seul·e l'auteur·rice peut déposer ce projet."), code="not_author")
    if project.status != Status.DRAFT:
        raise Conflict(_("Ce projet est déjà déposé."), code="already_submitted")
    project.status, project.submitted_at = Status.SUBMITTED, timezone.now()
    project.save(update_fields=["status", "submitted_at", "updated_at"])
    engine.audit_record(actor=actor, target=project, action="submitted", label=_("Projet déposé"), public=True)
    return project


@transaction.atomic
def project_transition(*, actor, project: Project, to_status: str, rationale: str) -> Project:
    """An organiser's decision, with its public rationale: shown in the timeline, sent to followers."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not permissions.user_can_transition_project(actor, project):
        raise NotAllowed(_("Seul·es les organisateur·rices de cette mairie décident des projets."),
                         code="not_organiser")
    if to_status not in Status.values:
        raise ValidationError({"status": _("Statut inconnu.")})
    allowed = TRANSITIONS.get(project.status, ())
    if to_status not in allowed:
        raise Conflict(_("Un projet « %(from)s » ne peut pas passer à « %(to)s ».") % {
            "from": project.get_status_display(), "to": Status(to_status).label}, code="bad_transition")
    rationale = required_text(rationale, field="rationale",
                              message=_("Expliquez la décision : elle est publiée avec le projet."))
    if len(rationale) > 2000:
        raise ValidationError({"rationale": _("La justification dépasse 2 000 caractères.")})
    previous = project.status
    project.status = to_status
    if to_status == Status.UNDER_REVIEW and project.published_at is None:
        project.published_at = timezone.now()
    project.save(update_fields=["status", "published_at", "updated_at"])
    engine.audit_record(actor=actor, target=project, action="transition", label=Status(to_status).label,
                        reason=rationale, public=True, data={"from": previous, "to": to_status})
    engine.notify_followers(target=project, verb="status", actor=actor,
                            title=_("« %(title)s » : %(status)s") % {"title": project.title,
                                                                    "status": Status(to_status).label},
                            message=rationale)
    return project


@transaction.atomic
def project_post_update(*, actor, project: Project, text: str) -> ProjectUpdate:
    if not permissions.user_can_post_update(actor, project):
        raise NotAllowed(_("Seul·e l'auteur·rice d'un projet incubé ou lancé publie ses nouvelles."),
                         code="not_allowed")
    text = required_text(text, field="text", message=_("Les nouvelles sont vides."))
    if len(text) > 3000:
        raise ValidationError({"text": _("Les nouvelles dépassent 3 000 caractères.")})
    update = ProjectUpdate.objects.create(project=project, author=actor, text=text)
    engine.notify_followers(target=project, verb="news", actor=actor,
                            title=_("Des nouvelles de « %(title)s »") % {"title": project.title}, message=text[:500])
    return update
