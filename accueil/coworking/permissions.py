"""Who may book the co-working desks: the agents of ANY mairie (and the staff roles above them), and the
public actors a mairie invited (through their invitation's private link). Residents may not. Each
mairie's organisers invite."""

from django.utils.translation import gettext as _

from cms import roles
from cms.errors import NotAllowed
from cms.ratelimit import enforce


def user_can_book_coworking(user) -> bool:
    return roles.is_agent(user)


def booking_refusal(user):
    """The ready-to-raise refusal (403) for an account that may not book, or None."""
    if user_can_book_coworking(user):
        return None
    return NotAllowed(_("Le coworking est réservé aux agents des mairies et aux structures invitées."),
                      code="not_agent")


def user_can_invite(user, mairie) -> bool:
    return roles.is_organiser_of(user, mairie)


def invite_refusal(user, mairie):
    if user_can_invite(user, mairie):
        return None
    return NotAllowed(_("Seuls les organisateurs de cette mairie invitent au coworking."), code="not_organiser")


def count_booking_change(request, invitation=None) -> None:
    """Every booking and cancelling counts in the `booking` rate limit (RATELIMIT_BOOKING), per account
    or, for an invitee, per invitation (its private key is all that stands behind it): TooMany (429)
    past it, from the HTML door and the API alike."""
    enforce(request, "booking", key=(lambda _request: f"inv{invitation.pk}") if invitation else "user_or_ip")
