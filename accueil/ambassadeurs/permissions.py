"""Who may do what with the ambassadeurs. Any resident with a confirmed email applies (to any mairie, once);
the mairie's organisers accept or decline; anyone reads the accepted ambassadors' public profiles; a
confirmed account asks one for help; a request's thread is its two people's only (404 to anyone else,
organisers included: what neighbours tell an ambassador is theirs)."""

from django.utils.translation import gettext as _

from cms import roles
from cms.errors import NotAllowed
from cms.ratelimit import enforce


def user_can_decide(user, mairie) -> bool:
    return roles.is_organiser_of(user, mairie)


def decide_refusal(user, mairie):
    if user_can_decide(user, mairie):
        return None
    return NotAllowed(_("Seuls les organisateur·rices de cette mairie choisissent ses ambassadeur·rices."),
                      code="not_organiser")


def side_of(user, help_request) -> str | None:
    """"neighbour", "ambassador" or None: which side of the request the user is on."""
    user_id = getattr(user, "pk", None)
    if user_id is None:
        return None
    if help_request.neighbour_id == user_id:
        return "neighbour"
    if help_request.ambassador.user_id == user_id:
        return "ambassador"
    return None


def count_help_write(request) -> None:
    """Applying, asking for help, each message and each act for a neighbour count in the `help` rate limit
    (RATELIMIT_HELP), per account: TooMany (429) past it, from the HTML door and the API alike."""
    enforce(request, "help")
