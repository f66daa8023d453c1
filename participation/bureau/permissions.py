"""Who may do what in the Bureau: one place, plain functions."""

from cms import roles


def user_can_submit_project(user, mairie) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active and roles.belongs_to(user, mairie)


def user_can_edit_project(user, project) -> bool:
    return (getattr(user, "is_authenticated", False) and project.author_id == user.pk
            and project.editable_by_author())


def user_can_transition_project(user, project) -> bool:
    return roles.is_organiser_of(user, project.mairie)


def user_can_post_update(user, project) -> bool:
    from .models import Status

    return (getattr(user, "is_authenticated", False) and project.author_id == user.pk
            and project.status in (Status.INCUBATED, Status.LAUNCHED))
