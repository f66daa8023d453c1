"""Who may do what in Occupai: plain functions, used by the services, views and API alike.

The `*_refusal` functions say why not (a ServiceError ready to raise: its class gives the HTTP
status), the `user_can_*` functions answer yes or no for templates."""

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cms import roles
from cms.errors import NotAllowed, ServiceError


def _when(value):
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def submission_window_refusal(call, now=None):
    now = now or timezone.now()
    if now < call.submission_opens_at:
        return ServiceError(_("Le dépôt des propositions ouvre le %(date)s.") % {"date": _when(call.submission_opens_at)},
                            code="submission_not_open")
    if now >= call.submission_closes_at:
        return ServiceError(_("Le dépôt des propositions est fermé depuis le %(date)s.")
                            % {"date": _when(call.submission_closes_at)}, code="submission_closed")
    return None


def propose_refusal(user, call, now=None):
    """Why `user` may not propose (or edit a proposal) in `call` now, or None."""
    if not getattr(user, "is_authenticated", False):
        return NotAllowed(_("Connectez-vous pour proposer un événement."), code="not_authenticated")
    if not call.live:
        return NotAllowed(_("Cet appel à projets n'est pas publié."), code="not_public")
    if not roles.belongs_to(user, call.mairie):
        return NotAllowed(_("Seuls les habitant·es de la %(mairie)s peuvent proposer ici.")
                          % {"mairie": call.mairie.name.lower()}, code="other_mairie")
    return roles.unconfirmed_refusal(user) or submission_window_refusal(call, now)


def edit_refusal(user, proposal, now=None):
    if not getattr(user, "is_authenticated", False) or proposal.author_id != user.pk:
        return NotAllowed(_("Seul·e l'auteur·rice peut modifier cette proposition."), code="not_author")
    if proposal.status not in proposal.EDITABLE_STATUSES:
        return ServiceError(_("Cette proposition a déjà reçu sa décision : elle ne se modifie plus."),
                            code="decided")
    return propose_refusal(user, proposal.call, now)


def user_can_moderate_call(user, call) -> bool:
    """Organisers of the call's mairie accept, reject, select and schedule its proposals."""
    return roles.is_organiser_of(user, call.mairie)


def user_can_view_proposal(user, proposal) -> bool:
    """The public sees published proposals; the author sees theirs; organisers see everything
    submitted to their mairie (drafts stay private to their author)."""
    if proposal.is_public():
        return True
    if getattr(user, "is_authenticated", False) and proposal.author_id == user.pk:
        return True
    return proposal.status != proposal.Status.DRAFT and user_can_moderate_call(user, proposal.call)
