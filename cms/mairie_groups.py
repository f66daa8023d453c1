"""Each role acts on its own mairie's pages only.

Wagtail grants page permissions to groups on a page and its subtree (GroupPagePermission). The role
groups (« Éditeurs », « Organisateurs »...) carry model permissions and no page permission; each
mairie has, for each role that holds page permissions, its own group « <role> · <slug> » holding
them on that mairie's pages, created with the mairie. A user belongs to the groups of their home
mairie for the roles they hold, kept in step by signals whenever their roles or mairie change:
nobody assigns them by hand.

Which pages: `grant_pages(role, permissions=..., pages=...)`, where `pages(mairie)` returns the ids
of the pages (and so their subtrees) the role's group holds `permissions` on. cms grants editors
their mairie's home page; features add theirs in ready() (Occupai grants organisers their mairie's
Occupai index) and call `sync_mairie` when such a page appears.

The shared Bricolages tree (outside every Site) is edited by agents through its own views, not
through Wagtail's page permissions.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from wagtail.models import GroupPagePermission

from . import roles

SEPARATOR = " · "  # "Éditeurs · paris19"


@dataclass(frozen=True)
class PageGrant:
    permissions: tuple[str, ...] | Callable  # wagtailcore codenames (add_page, change_page, publish_page...),
    # or permissions(mairie) -> those codenames, when they depend on the mairie (cms.moderation)
    pages: Callable  # pages(mairie) -> iterable of page ids

    def codenames(self, mairie) -> tuple[str, ...]:
        return tuple(self.permissions(mairie)) if callable(self.permissions) else self.permissions


_grants: dict[str, list[PageGrant]] = {}


def grant_pages(role: str, *, permissions: Iterable[str] | Callable, pages: Callable):
    """Give each mairie's group of `role` `permissions` (or `permissions(mairie)`) on the pages
    `pages(mairie)` returns."""
    grant = PageGrant(permissions if callable(permissions) else tuple(permissions), pages)
    if grant not in _grants.setdefault(role, []):
        _grants[role].append(grant)


def group_name(mairie, role=roles.EDITORS) -> str:
    return f"{role}{SEPARATOR}{mairie.slug}"


def _is_mairie_group(name: str) -> bool:
    return any(name.startswith(role + SEPARATOR) for role in _grants)


def hand_assigned_groups():
    """The groups an administrator ticks (the roles...): every group but the mairie groups."""
    query = Q()
    for role in _grants:
        query |= Q(name__startswith=role + SEPARATOR)
    return Group.objects.exclude(query) if query else Group.objects.all()


@transaction.atomic
def mairie_group(mairie, role=roles.EDITORS) -> Group:
    """The mairie's group of `role`, holding exactly the page permissions its grants give."""
    group, _created = Group.objects.get_or_create(name=group_name(mairie, role))
    grants = [(grant, grant.codenames(mairie)) for grant in _grants.get(role, ())]
    codenames = {codename for _grant, names in grants for codename in names}
    permissions = {p.codename: p for p in Permission.objects.filter(content_type__app_label="wagtailcore",
                                                                      codename__in=codenames)}
    wanted = {(page_id, permissions[codename].pk) for grant, names in grants
              for page_id in _with_translations(grant.pages(mairie)) for codename in names if codename in permissions}
    held = set(GroupPagePermission.objects.filter(group=group).values_list("page_id", "permission_id"))
    for page_id, permission_id in held - wanted:
        GroupPagePermission.objects.filter(group=group, page_id=page_id, permission_id=permission_id).delete()
    GroupPagePermission.objects.bulk_create(
        [GroupPagePermission(group=group, page_id=page_id, permission_id=permission_id)
         for page_id, permission_id in wanted - held])
    return group


def _with_translations(page_ids) -> list[int]:
    """The pages and their translations (each language's tree is a sibling of the French one, under
    a translation of the home page: cms.i18n), so that a grant covers every language."""
    from wagtail.models import Page

    page_ids = list(page_ids)
    if not page_ids:
        return []
    keys = Page.objects.filter(pk__in=page_ids).values("translation_key")
    return [*page_ids, *Page.objects.filter(translation_key__in=keys).exclude(pk__in=page_ids)
            .values_list("pk", flat=True)]


def sync_mairie(mairie):
    """Every role group of the mairie, after its pages changed (a new index page, a new home)."""
    for role in _grants:
        mairie_group(mairie, role)


def _in_mairie_groups():
    """Q: users holding a role with page grants, or a mairie group of one."""
    query = Q(groups__name__in=list(_grants))
    for role in _grants:
        query |= Q(groups__name__startswith=role + SEPARATOR)
    return query


def sync_user(user):
    """Put a user in their home mairie's group of each role they hold, and in no other one."""
    from .models import Mairie

    if not _grants:
        return
    held = dict(user.groups.values_list("name", "pk"))
    current = {pk for name, pk in held.items() if _is_mairie_group(name)}
    wanted = set()
    mine = [role for role in _grants if role in held]
    if user.mairie_id is not None and mine:
        mairie = Mairie.objects.select_related("site").get(pk=user.mairie_id)
        found = dict(Group.objects.filter(name__in=[group_name(mairie, role) for role in mine])
                     .values_list("name", "pk"))
        wanted = {found.get(group_name(mairie, role)) or mairie_group(mairie, role).pk for role in mine}
    if wanted - current:
        user.groups.add(*(wanted - current))
    if current - wanted:
        user.groups.remove(*(current - wanted))


def sync_all():
    """After migrate: every mairie's groups, every member of a role in theirs (and out of the
    others), and no page permission left on the role groups themselves (editors' once was on the
    tree's root, every mairie at once)."""
    from .models import Mairie, User

    GroupPagePermission.objects.filter(group__name__in=list(_grants)).delete()
    for mairie in Mairie.objects.select_related("site"):
        sync_mairie(mairie)
    if _grants:
        for user in User.objects.filter(_in_mairie_groups()).distinct():
            sync_user(user)


# Signal receivers, connected with their senders in cms.apps.

def on_mairie_saved(sender, instance, **kwargs):
    sync_mairie(instance)


def on_site_saved(sender, instance, **kwargs):
    mairie = getattr(instance, "mairie", None) if instance.pk else None
    if mairie is not None:
        sync_mairie(mairie)


def on_page_translated(sender, source_obj, target_obj, **kwargs):
    """A page copied into another language (wagtail-localize, or a parent copied with it): a new home
    page of a mairie brings that language's tree into its groups' permissions."""
    from .models import Mairie

    if getattr(target_obj, "depth", None) != 2:
        return
    for mairie in Mairie.objects.select_related("site").filter(site__root_page__translation_key=target_obj.translation_key):
        sync_mairie(mairie)


def on_user_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and "mairie" not in update_fields:
        return  # a login (last_login) or another field: the mairie did not move
    if instance.pk:
        sync_user(instance)


def on_user_groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """A role with page permissions given or taken, or a mairie group taken (Wagtail's user form
    sets the groups it shows, which leaves the mairie groups out): the user's groups follow."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    from .models import User

    if reverse:  # group.user_set changed: instance is the group
        if instance.name in _grants or _is_mairie_group(instance.name):
            for user in User.objects.filter(pk__in=pk_set or ()):
                sync_user(user)
        return
    names = Group.objects.filter(pk__in=pk_set or ()).values_list("name", flat=True)
    if action == "post_clear" or any(name in _grants or _is_mairie_group(name) for name in names):
        sync_user(instance)
