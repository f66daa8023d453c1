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


def user_can_view_project_image(user, image) -> bool:
    """A project's photo is seen by whoever may see one project showing it (a draft's: its author and
    the mairie's organisers); a photo no project shows yet, by the resident who sent it."""
    from .models import Project
    from .selectors import project_is_visible

    projects = list(Project.objects.filter(image=image).select_related("mairie"))
    if not projects:
        return getattr(user, "is_authenticated", False) and image.uploaded_by_user_id == user.pk
    return any(project_is_visible(user, project) for project in projects)
