"""Snippets that belong to a mairie, in the Wagtail admin: each mairie's staff see and reach their
own only. One viewset base scopes the listing and every view that loads one object (edit, delete,
copy, history, usage, inspect, revisions, lock...): another mairie's object answers 404, as the
platform's own views do, whatever the action.
"""

from django.http import Http404
from wagtail.admin.views.generic.models import CopyViewMixin, CreateView
from wagtail.snippets.views.snippets import SnippetViewSet


def own_mairie_id(user):
    """None for superusers (every mairie), else the user's home mairie (None stays None-scoped)."""
    return None if user.is_superuser else user.mairie_id


class _OwnMairieObject:
    mairie_lookup = "mairie_id"

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        user = self.request.user
        if not user.is_superuser:
            value = obj
            for part in self.mairie_lookup.split("__"):
                value = getattr(value, part, None)
            if value is None or value != user.mairie_id:
                raise Http404
        return obj


class MairieScopedSnippetViewSet(SnippetViewSet):
    """A SnippetViewSet whose objects carry a mairie, reached through `mairie_lookup` (for example
    "charter__mairie_id")."""

    mairie_lookup = "mairie_id"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if queryset is None:
            queryset = self.model._default_manager.all()
        mairie_id = own_mairie_id(request.user)
        if mairie_id is None and not request.user.is_superuser:
            return queryset.none()
        return queryset if mairie_id is None else queryset.filter(**{self.mairie_lookup: mairie_id})

    def construct_view(self, view_class, **kwargs):
        creating = issubclass(view_class, CreateView) and not issubclass(view_class, CopyViewMixin)
        if hasattr(view_class, "get_object") and not creating:
            view_class = type(view_class.__name__, (_OwnMairieObject, view_class),
                              {"mairie_lookup": self.mairie_lookup})
        return super().construct_view(view_class, **kwargs)
