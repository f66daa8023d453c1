"""Who may do what in the hall. Taking a ticket online or at the kiosk needs no account; the counters
are their mairie's agents' (and the staff roles above them)."""

from cms import roles
from cms.errors import NotAllowed


def user_can_operate_counters(user, mairie) -> bool:
    """Call, recall, serve, transfer, and give a ticket at the reception: agents of that mairie."""
    return roles.is_agent_of(user, mairie)


def counters_refusal(user, mairie):
    """The ready-to-raise refusal (403) for someone who may not operate this mairie's counters, or None."""
    if user_can_operate_counters(user, mairie):
        return None
    from django.utils.translation import gettext as _

    return NotAllowed(_("Les guichets sont réservés aux agents de cette mairie."), code="not_agent")
