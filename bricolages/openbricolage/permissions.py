"""Who may do what with Open Bricolage. The programme is public; the day is cross-mairie but hosted
by one mairie: an organiser of any mairie announces an edition, which their mairie then hosts; the
host mairie's organisers (and superusers) alone change it, add and change its workshops and see who
registered (the venue, its seats and the list of names are theirs, as in the admin's listings).
Agents of any mairie register and lead workshops; those who came leave feedback. Residents and
anonymous visitors read the programme only."""

from cms import roles

from .. import permissions as bricolages


def user_is_agent(user) -> bool:
    """Agents, editors and organisers of any mairie (the Bricolages' space)."""
    return bricolages.user_can_view_bricolages(user)


def user_can_organise(user) -> bool:
    """Organisers of any mairie create and edit editions and workshops; they must belong to one."""
    return roles.is_organiser(user) and (user.is_superuser or getattr(user, "mairie_id", None) is not None)


def user_can_register(user) -> bool:
    """An agent of ANY mairie registers; they must belong to one."""
    return user_is_agent(user) and getattr(user, "mairie_id", None) is not None


def user_can_manage_edition(user, edition) -> bool:
    """The host mairie's organisers change the edition and its workshops; another mairie's may not."""
    return user_can_organise(user) and roles.is_organiser_of(user, edition.mairie)


def user_can_view_registrants(user, edition) -> bool:
    """The list of registrants and the counts: the host mairie's organisers."""
    return user_can_manage_edition(user, edition)


def user_can_view_feedback_text(user) -> bool:
    """Feedback is shown to agents; the public page shows the programme only."""
    return user_is_agent(user)


def user_can_see_leaders(user) -> bool:
    """Who leads a workshop is for agents only: never on the residents' page or in the public API."""
    return user_is_agent(user)
