"""The platform's own admin: « Mairies » (superusers only), beside Wagtail's Sites and Users."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from . import admin_help, admin_home  # noqa: F401  (the staff guide, the menus, the role panels: their hooks)
from .mairie_admin import MairieViewSet, SuperusersOnly
from .models import Mairie

register_permission_policy(Mairie, SuperusersOnly(Mairie))


@hooks.register("register_admin_viewset")
def register_mairie_viewset():
    return MairieViewSet("mairies")
