"""Wagtail's users app, with the platform's user viewset (cms.staff): Wagtail's documented way to
give its user forms the fields of a custom user model."""

from wagtail.users.apps import WagtailUsersAppConfig


class StaffUsersConfig(WagtailUsersAppConfig):
    user_viewset = "cms.staff.UserViewSet"
