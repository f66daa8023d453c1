"""Keeps the role groups' permissions equal to cms.roles.ROLE_PERMISSIONS after each migrate."""

from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission
from wagtail.models import Page

from . import roles


def sync_role_permissions(app_config=None, **kwargs):
    # post_migrate is sent once per app: act on the last one, when every permission exists.
    last = [c for c in django_apps.get_app_configs() if c.models_module is not None][-1]
    if app_config is not None and app_config is not last:
        return
    ensure_migration_permissions()
    for role, wanted in roles.ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        perms = []
        for dotted in sorted(wanted):
            app_label, codename = dotted.split(".", 1)
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is not None:
                perms.append(perm)
        group.permissions.set(perms)
    if ensure_wagtail_root() is not None:
        from .mairie_groups import sync_all

        sync_all()  # page permissions per mairie: cms.mairie_groups


def ensure_migration_permissions():
    """wagtail-localize makes its « submit translations » permission (which editors hold) in a data
    migration, as Wagtail does its root: a flush (the end of a transactional test) removes it, and
    this brings it back as its migration made it."""
    from django.contrib.contenttypes.models import ContentType

    content_type, _created = ContentType.objects.get_or_create(app_label="wagtail_localize", model="translation")
    Permission.objects.get_or_create(content_type=content_type, codename="submit_translation",
                                     defaults={"name": "Can submit translations"})


def ensure_wagtail_root():
    """Wagtail's tree root and default locale, as its migrations create them. A flush (the end of
    a transactional test) removes them; post_migrate then brings them back with the roles."""
    from django.conf import settings
    from wagtail.models import Locale

    if not Locale.objects.exists():
        Locale.objects.create(language_code=settings.LANGUAGE_CODE)
    from .i18n import ensure_locales

    ensure_locales()  # one per content language (cms/migrations/0009_content_locales.py)
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=Locale.get_default()))
    return root
