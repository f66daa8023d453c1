"""The Wagtail admin: each mairie's editors manage their own services (snippets), and who works in
them (the agents who read the carnets shared with a service)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import ObjectList
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from cms import roles
from cms.admin_scoping import MairiePermissionPolicy, MairieScopedSnippetViewSet, OwnMairieForm
from cms.models import User

from .models import Service


class ServiceForm(OwnMairieForm):
    """Only the user's own mairie, and only its agents, are offered."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        mairie_id = self.own_mairie_id
        if "agents" in self.fields:
            agents = User.objects.filter(is_active=True, groups__name__in=[roles.AGENTS, roles.EDITORS,
                                                                            roles.ORGANISERS]).distinct()
            if mairie_id is not None:
                agents = agents.filter(mairie_id=mairie_id)
            self.fields["agents"].queryset = agents.order_by("username")


class ServiceViewSet(MairieScopedSnippetViewSet):
    model = Service
    icon = "group"
    menu_label = _("Services (guide)")
    list_display = ["name", "mairie", "place"]
    list_filter = ["mairie"]
    search_fields = ["name"]
    add_to_admin_menu = True
    menu_order = 310
    edit_handler = ObjectList(Service.panels, base_form_class=ServiceForm)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("mairie")


register_permission_policy(Service, MairiePermissionPolicy(Service))
register_snippet(ServiceViewSet)
