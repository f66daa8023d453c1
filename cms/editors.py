"""Editors edit their own mairie's pages only.

Wagtail grants page permissions to groups on a page and its subtree (GroupPagePermission). The
role group « Éditeurs » carries the model permissions (images, documents, reports) and no page
permission; each mairie has its own editors' group holding the page permissions on that mairie's
home page, created with the mairie. An editor belongs to the group of their home mairie, kept in
step by signals whenever their roles or mairie change: nobody assigns it by hand.

The shared Bricolages tree (outside every Site) is edited by agents through its own views, not
through Wagtail's page permissions.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupPagePermission

from . import roles

PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
GROUP_PREFIX = f"{roles.EDITORS} · "  # "Éditeurs · paris19"


def group_name(mairie) -> str:
    return f"{GROUP_PREFIX}{mairie.slug}"


@transaction.atomic
def mairie_editors_group(mairie) -> Group:
    """The mairie's editors' group, with exactly PAGE_PERMISSIONS on the mairie's home page."""
    group, _created = Group.objects.get_or_create(name=group_name(mairie))
    root_id = mairie.site.root_page_id
    wanted = list(Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS))
    GroupPagePermission.objects.filter(group=group).exclude(page_id=root_id, permission__in=wanted).delete()
    for permission in wanted:
        GroupPagePermission.objects.get_or_create(group=group, page_id=root_id, permission=permission)
    return group


def sync_user(user):
    """Put an editor in their home mairie's editors' group and in no other one."""
    from .models import Mairie

    current = set(user.groups.filter(name__startswith=GROUP_PREFIX).values_list("pk", flat=True))
    wanted = set()
    if user.mairie_id is not None and user.groups.filter(name=roles.EDITORS).exists():
        wanted = {mairie_editors_group(Mairie.objects.select_related("site").get(pk=user.mairie_id)).pk}
    if current - wanted:
        user.groups.remove(*(current - wanted))
    if wanted - current:
        user.groups.add(*(wanted - current))


def sync_all():
    """After migrate: every mairie's group, every editor in theirs, and no page permission left
    on the role group itself (it was once granted on the tree's root, every mairie at once)."""
    from .models import Mairie, User

    GroupPagePermission.objects.filter(group__name=roles.EDITORS).delete()
    for mairie in Mairie.objects.select_related("site"):
        mairie_editors_group(mairie)
    for user in User.objects.filter(groups__name__startswith=roles.EDITORS).distinct():
        sync_user(user)


# Signal receivers, connected with their senders in cms.apps.

def on_mairie_saved(sender, instance, **kwargs):
    mairie_editors_group(instance)


def on_site_saved(sender, instance, **kwargs):
    mairie = getattr(instance, "mairie", None) if instance.pk else None
    if mairie is not None:
        mairie_editors_group(mairie)


def on_user_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and "mairie" not in update_fields:
        return  # a login (last_login) or another field: the mairie did not move
    if instance.pk:
        sync_user(instance)


def on_user_groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    from .models import User

    if reverse:  # group.user_set changed: instance is the group
        if instance.name == roles.EDITORS:
            for user in User.objects.filter(pk__in=pk_set or ()):
                sync_user(user)
        return
    changed = Group.objects.filter(pk__in=pk_set or (), name=roles.EDITORS).exists()
    if changed or action == "post_clear":
        sync_user(instance)
