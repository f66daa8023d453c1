"""Who may do what with the charter. Plain functions; views, API and services call them."""

from cms import roles


def user_can_propose_amendment(user, charter) -> bool:
    """Residents and agents of the charter's mairie (editors and organisers are agents too)."""
    return roles.belongs_to(user, charter.mairie) and (roles.is_resident(user) or roles.is_agent(user))


def user_can_withdraw_amendment(user, amendment) -> bool:
    return (getattr(user, "is_authenticated", False) and amendment.author_id == user.pk
            and amendment.status == amendment.Status.OPEN)


def user_can_decide_amendment(user, amendment) -> bool:
    """Adopting or rejecting belongs to the editors of the charter's mairie."""
    return roles.is_editor_of(user, amendment.mairie)


def user_can_sign_charter(user, charter) -> bool:
    return roles.belongs_to(user, charter.mairie)


def user_can_see_hidden_amendments(user, mairie) -> bool:
    return roles.is_editor_of(user, mairie) or roles.is_organiser_of(user, mairie)
