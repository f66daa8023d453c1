"""Who may do what in the agents' wiki. The staff of every mairie share it; residents never see it."""

from cms import roles


def user_can_view_bricolages(user) -> bool:
    """Agents, editors and organisers of any mairie."""
    return roles.is_agent(user)


def user_can_view_bricolage(user, bricolage) -> bool:
    if not user_can_view_bricolages(user) or not bricolage.live:
        return False
    if bricolage.is_hidden:
        # Hidden by moderation: only the organisers of its mairie still see it, to decide.
        return roles.is_organiser_of(user, bricolage.mairie)
    return True


def user_can_create_bricolage(user) -> bool:
    """An author must belong to a mairie: the bricolage is shown as theirs."""
    return user_can_view_bricolages(user) and getattr(user, "mairie_id", None) is not None


def user_can_edit_bricolage(user, bricolage) -> bool:
    """A wiki: any agent improves any bricolage."""
    return user_can_view_bricolage(user, bricolage) and not bricolage.is_hidden


def user_can_restore_bricolage(user, bricolage) -> bool:
    return user_can_edit_bricolage(user, bricolage)


def user_can_rate_bricolage(user, bricolage) -> bool:
    return user_can_edit_bricolage(user, bricolage) and bricolage.author_id != user.pk


def user_can_record_feedback(user, bricolage) -> bool:
    return user_can_edit_bricolage(user, bricolage) and getattr(user, "mairie_id", None) is not None
