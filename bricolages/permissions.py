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


def user_can_view_step_image(user, image) -> bool:
    """A step's picture goes with the bricolages that show it: agents only, and when every bricolage
    showing it is hidden (or unpublished), only those who may still see one of them. A picture that
    no current version shows (an earlier revision's) stays with the agents."""
    if not user_can_view_bricolages(user):
        return False
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ReferenceIndex

    from .models import BricolagePage

    ids = (ReferenceIndex.get_references_to(image)
           .filter(content_type=ContentType.objects.get_for_model(BricolagePage))
           .values_list("object_id", flat=True))
    pages = list(BricolagePage.objects.filter(pk__in=[int(pk) for pk in ids]).select_related("mairie"))
    return not pages or any(user_can_view_bricolage(user, page) for page in pages)
