"""« Recherche : synchronisations en échec » in the Wagtail admin's settings: what `/healthz` counts,
read only, for superusers. Failures are retried by the scheduler, or at once with
`manage.py search_replay_failed --all`; nothing is edited here."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from cms.mairie_admin import SuperusersOnly

from .models import SyncFailure


class SuperusersRead(SuperusersOnly):
    """Superusers see the list; no one adds, edits or deletes (a failure goes when its sync succeeds)."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and super().user_has_any_permission(user, actions)

    def instances_user_has_any_permission_for(self, user, actions):
        if self.user_has_any_permission(user, actions):
            return SyncFailure.objects.all()
        return SyncFailure.objects.none()


class SyncFailureViewSet(ModelViewSet):
    model = SyncFailure
    icon = "warning"
    menu_label = _("Recherche : synchronisations en échec")
    menu_order = 900
    add_to_settings_menu = True
    list_display = ["model_label", "object_pk", "doc_id", "attempts", "first_failed_at", "next_attempt_at", "error"]
    form_fields = ["model_label"]  # never shown: no one may add or edit
    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_reference_index = False


register_permission_policy(SyncFailure, SuperusersRead(SyncFailure))


@hooks.register("register_admin_viewset")
def register_sync_failure_viewset():
    return SyncFailureViewSet("search_sync_failures")
