from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# What each mairie's editors' group holds on the mairie's home page and its subtree.
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")


def _editor_page_permissions(mairie):
    """In a mairie whose pages are reviewed, editors submit and approve (cms.moderation), they do not publish."""
    if mairie.pages_reviewed:
        return tuple(p for p in EDITOR_PAGE_PERMISSIONS if p != "publish_page")
    return EDITOR_PAGE_PERMISSIONS


class CmsConfig(AppConfig):
    """The core: settings, urls, users and roles, mairies, core pages, the API router."""

    name = "cms"
    verbose_name = _("Plateforme")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import accounts  # noqa: F401  (its signal receivers)
        from .cache import connect_signals
        from .signals import sync_role_permissions

        # Invalidate cached pages and the mairie directory on edits made by any process (the task
        # worker and management commands too), not only by those that serve pages.
        connect_signals()
        self._connect_locales()
        post_migrate.connect(sync_role_permissions, dispatch_uid="cms-sync-roles")
        self._connect_images()
        self._connect_mairie_groups()
        self._register_demo()

    def _connect_mairie_groups(self):
        """Each mairie's role groups follow its mairie, and each member their mairie
        (cms.mairie_groups); editors hold their page permissions on their mairie's home page."""
        from django.db.models.signals import m2m_changed, post_save
        from wagtail.models import Site
        from wagtail.signals import copy_for_translation_done

        from . import mairie_groups, moderation, roles
        from .models import Mairie, User

        mairie_groups.grant_pages(roles.EDITORS, permissions=_editor_page_permissions,
                                  pages=lambda mairie: [mairie.site.root_page_id])
        # Editors translate their mairie's pages and snippets with wagtail-localize (the admin's URLs
        # are scoped to their own mairie: cms.admin_scoping.localize_scoped_urls).
        roles.grant(roles.EDITORS, "wagtail_localize.submit_translation")
        copy_for_translation_done.connect(mairie_groups.on_page_translated, dispatch_uid="cms-mairie-groups-translated")
        post_save.connect(mairie_groups.on_mairie_saved, sender=Mairie, dispatch_uid="cms-mairie-groups-mairie")
        post_save.connect(moderation.on_mairie_saved, sender=Mairie, dispatch_uid="cms-mairie-review")
        post_save.connect(mairie_groups.on_site_saved, sender=Site, dispatch_uid="cms-mairie-groups-site")
        post_save.connect(mairie_groups.on_user_saved, sender=User, dispatch_uid="cms-mairie-groups-user")
        m2m_changed.connect(mairie_groups.on_user_groups_changed, sender=User.groups.through,
                            dispatch_uid="cms-mairie-groups-groups")

    def _connect_locales(self):
        """The content locales exist after every migrate (a flushed test database too), and the map of
        locale codes (cms.i18n) is renewed when one is saved or deleted."""
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Locale

        from .i18n import forget_locales

        post_save.connect(forget_locales, sender=Locale, dispatch_uid="cms-locales-saved")
        post_delete.connect(forget_locales, sender=Locale, dispatch_uid="cms-locales-deleted")

    def _register_demo(self):
        """First of the demo's steps: each demo mairie's sections, as add_mairie sets them up; then
        page review in the 20e, with its second editor."""
        from .demo import register_demo, seed_review, seed_sections

        register_demo(1, "sections", seed_sections)
        register_demo(2, "review", seed_review)

    def _connect_images(self):
        """Every new image original loses its metadata; the apps' private collections exist (cms.images)."""
        from django.db.models.signals import post_migrate, pre_save
        from wagtail.images import get_image_model

        from . import images

        pre_save.connect(images.strip_image_file, sender=get_image_model(), dispatch_uid="cms-strip-images")
        post_migrate.connect(images.ensure_private_collections, sender=self,
                             dispatch_uid="cms-private-collections")
