"""Who may do what with explorations. The space is the Bricolages' (agents of every mairie);
residents never see it. The host mairie's agents run their days; a logbook is its author's."""

from cms import roles

from .. import permissions as bricolages


def user_can_view_explorations(user) -> bool:
    return bricolages.user_can_view_bricolages(user)


def user_can_offer_day(user) -> bool:
    """An agent offers a day in a service of their own mairie."""
    return user_can_view_explorations(user) and getattr(user, "mairie_id", None) is not None


def user_can_manage_day(user, day) -> bool:
    """The host mairie's agents (and organisers) accept, decline and see the applications."""
    return user_can_view_explorations(user) and roles.is_agent_of(user, day.mairie)


def user_can_apply(user) -> bool:
    """An agent of ANY mairie (their own included) may apply; they must belong to one."""
    return user_can_view_explorations(user) and getattr(user, "mairie_id", None) is not None


def user_is_visitor(user, application) -> bool:
    return getattr(user, "is_authenticated", False) and application.agent_id == user.pk


def user_can_view_application(user, application) -> bool:
    return user_can_view_explorations(user) and (
        user_is_visitor(user, application) or user_can_manage_day(user, application.day))


def user_can_view_logbook(user, application) -> bool:
    """Its author always; the host service once the author shared it; nobody else, ever."""
    if not user_can_view_explorations(user):
        return False
    if user_is_visitor(user, application):
        return True
    return application.logbook_shared_at is not None and user_can_manage_day(user, application.day)


def user_can_view_summary(user, summary) -> bool:
    """A published summary is for every agent."""
    return user_can_view_explorations(user)


def user_can_view_calendar(user) -> bool:
    """The season's calendar across mairies, with how many services took part: organisers."""
    return user_can_view_explorations(user) and roles.is_organiser(user)
