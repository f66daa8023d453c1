"""Who may do what in the Service lab. Plain functions; views, API and services call them."""

from cms import roles


def _staff_of(user, mairie):
    """Agents and organisers of this mairie: the only people who read complaints."""
    return (roles.has_role(user, roles.AGENTS) or roles.has_role(user, roles.ORGANISERS)) and roles.belongs_to(
        user, mairie)


def user_can_record_complaint(user, mairie) -> bool:
    return _staff_of(user, mairie)


def user_can_submit_complaint(user, mairie) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active and mairie is not None


def user_can_view_complaint(user, complaint) -> bool:
    return _staff_of(user, complaint.mairie)


def user_can_list_complaints(user, mairie) -> bool:
    return _staff_of(user, mairie)


def user_can_change_complaint(user, complaint) -> bool:
    return _staff_of(user, complaint.mairie)


def user_can_manage_issue(user, mairie) -> bool:
    return _staff_of(user, mairie)


def user_can_open_draw(user, mairie) -> bool:
    return roles.is_organiser_of(user, mairie)


def user_can_run_draw(user, draw) -> bool:
    return roles.is_organiser_of(user, draw.mairie)


def user_can_manage_session(user, mairie) -> bool:
    return roles.is_organiser_of(user, mairie)


def user_can_register_session(user, session) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active and roles.is_confirmed(user)


def user_can_manage_outcome(user, mairie) -> bool:
    return roles.is_organiser_of(user, mairie)


def user_can_handle_letters(user, mairie) -> bool:
    return _staff_of(user, mairie)
