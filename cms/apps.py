from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    """The core: settings, urls, users and roles, mairies, core pages, the API router."""

    name = "cms"
    verbose_name = _("Plateforme")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .signals import sync_role_permissions
        from .transactions import atomic_writes_only

        atomic_writes_only()
        # Invalidate cached pages and the mairie directory on edits made by any process (the task
        # worker and management commands too), not only by those that serve pages.
        from .cache import connect_signals

        connect_signals()
        post_migrate.connect(sync_role_permissions, dispatch_uid="cms-sync-roles")
