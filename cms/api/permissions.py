"""Authorisation before validation, for every write of the API.

A role that may not do an action gets 403 whatever body it sends: DRF runs permission classes
in `initial()`, before the handler, hence before any input serializer sees the body. A view
names, per action (a ViewSet's action name, or an APIView's HTTP method in lower case), who may
attempt it at the mairie answering the request; `RoleRulesMixin` adds the check to whatever
permission classes the view or the action declares. The services keep every finer rule (the
object's state, its author, its own mairie): this is the door, not the whole rule.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from cms.mairies import mairie_for_request


@dataclass(frozen=True)
class Role:
    """Who may attempt an action: `check(user, mairie)`, and what the others are told."""

    check: Callable
    message: str = _("Votre rôle ne permet pas cette action dans cette mairie.")


class RoleRules(BasePermission):
    def has_permission(self, request, view):
        rules = getattr(view, "role_rules", None) or {}
        rule = rules.get(getattr(view, "action", None) or request.method.lower())
        if rule is None:
            return True
        if not getattr(request.user, "is_authenticated", False):
            return False  # DRF answers 401/403 "not authenticated"
        if rule.check(request.user, mairie_for_request(request)):
            return True
        self.message = rule.message
        return False


class RoleRulesMixin:
    """`role_rules = {"create": Role(permissions.user_can_open_draw, _("..."))}` on a view."""

    role_rules: dict = {}

    def get_permissions(self):
        return [*super().get_permissions(), RoleRules()]
