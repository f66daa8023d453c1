"""Participatory types: which models the generic endpoints (comments, follows, reports) accept,
how to tell whether a user may see one object, and which mairie it belongs to.

The shared endpoints name their target as "app_label.model:pk" and turn it into an object through
`resolve_for_request`, the one place that applies the mairie rule: on a mairie's host, only that
mairie's objects answer (404 otherwise), as the apps' own endpoints do through `require_mairie`.
A type registered with `shared=True` (the agents' Bricolages wiki, inside no Site) answers on every host."""

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.http import Http404

from cms.mairies import mairie_for_request
from cms.validation import id_or_none


@dataclass(frozen=True)
class ParticipatoryType:
    key: str
    model: Any
    is_visible: Any  # is_visible(user, obj) -> bool
    parent_of: Any = None  # parent_of(obj) -> the object whose mairie it shares (a comment's target)
    shared: bool = False  # belongs to no mairie's site: answers on every host


_types: dict[str, ParticipatoryType] = {}


def register_participatory(model, *, is_visible=None, key=None, parent_of=None, shared=False):
    """An object belongs to the mairie of its `mairie_id`, or, with `parent_of`, to its parent's
    (a comment to its target's); `shared` types (no mairie's site holds them) answer on every host."""
    key = key or f"{model._meta.app_label}.{model._meta.model_name}"
    _types[key] = ParticipatoryType(key=key, model=model, is_visible=is_visible or (lambda user, obj: obj.is_public()),
                                    parent_of=parent_of, shared=shared)
    return key


def types():
    return dict(_types)


def type_for(obj):
    return _types.get(f"{obj._meta.app_label}.{obj._meta.model_name}")


def key_for(obj):
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def _lookup(ref: str):
    """(type, object or None) for "app_label.model:pk"; Http404 for an unknown type or a bad pk."""
    key, _sep, pk = (ref or "").partition(":")
    kind = _types.get(key)
    pk = id_or_none(pk)
    if kind is None or pk is None:
        raise Http404("Unknown target.")
    return kind, kind.model._default_manager.filter(pk=pk).first()


def resolve(ref: str, user):
    """Turn "app_label.model:pk" into the object, or raise Http404 if unknown or not visible to user."""
    kind, obj = _lookup(ref)
    if obj is None or not kind.is_visible(user, obj):
        raise Http404("Unknown target.")
    return obj


def resolve_for_request(ref: str, request):
    """resolve() for the shared endpoints: the object must also belong to the mairie answering
    the request (by its host), unless its type is shared; Http404 otherwise, whoever asks."""
    obj = resolve(ref, request.user)
    if not belongs_to_request_mairie(obj, request):
        raise Http404("Unknown target.")
    return obj


def belongs_to_request_mairie(obj, request) -> bool:
    """True when `obj` may be named on this request's host: its type is shared, or it belongs to
    the mairie answering the request."""
    kind = type_for(obj)
    if kind is None:
        return False
    if kind.parent_of is not None:
        parent = kind.parent_of(obj)
        return parent is not None and belongs_to_request_mairie(parent, request)
    if kind.shared:
        return True
    mairie = mairie_for_request(request)
    return mairie is not None and getattr(obj, "mairie_id", None) == mairie.pk


def resolve_any(ref: str):
    """Like resolve() but ignores visibility: for moderators, who act on hidden objects too."""
    _kind, obj = _lookup(ref)
    if obj is None:
        raise Http404("Unknown target.")
    return obj


def is_visible(user, obj) -> bool:
    kind = type_for(obj)
    return kind is not None and kind.is_visible(user, obj)


def model_for_content_type(content_type):
    return apps.get_model(content_type.app_label, content_type.model)
