from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    """The core: settings, urls, users and roles, mairies, core pages, the API router."""

    name = "cms"
    verbose_name = _("Plateforme")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .cache import connect_signals
        from .signals import sync_role_permissions

        # Invalidate cached pages and the mairie directory on edits made by any process (the task
        # worker and management commands too), not only by those that serve pages.
        connect_signals()
        post_migrate.connect(sync_role_permissions, dispatch_uid="cms-sync-roles")
        self._connect_images()
        self._connect_editors()

    def _connect_editors(self):
        """Each mairie's editors' group follows its mairie, and each editor their mairie (cms.editors)."""
        from django.db.models.signals import m2m_changed, post_save
        from wagtail.models import Site

        from . import editors
        from .models import Mairie, User

        post_save.connect(editors.on_mairie_saved, sender=Mairie, dispatch_uid="cms-editors-mairie")
        post_save.connect(editors.on_site_saved, sender=Site, dispatch_uid="cms-editors-site")
        post_save.connect(editors.on_user_saved, sender=User, dispatch_uid="cms-editors-user")
        m2m_changed.connect(editors.on_user_groups_changed, sender=User.groups.through,
                            dispatch_uid="cms-editors-groups")

    def _connect_images(self):
        """Every new image original loses its metadata; the apps' private collections exist (cms.images)."""
        from django.db.models.signals import post_migrate, pre_save
        from wagtail.images import get_image_model

        from . import images

        pre_save.connect(images.strip_image_file, sender=get_image_model(), dispatch_uid="cms-strip-images")
        post_migrate.connect(images.ensure_private_collections, sender=self,
                             dispatch_uid="cms-private-collections")
