"""Participatory types: which models the generic endpoints (comments, follows, reports) accept,
and how to tell whether a user may see one object."""

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.http import Http404


@dataclass(frozen=True)
class ParticipatoryType:
    key: str
    model: Any
    is_visible: Any  # is_visible(user, obj) -> bool


_types: dict[str, ParticipatoryType] = {}


def register_participatory(model, *, is_visible=None, key=None):
    key = key or f"{model._meta.app_label}.{model._meta.model_name}"
    _types[key] = ParticipatoryType(key=key, model=model, is_visible=is_visible or (lambda user, obj: obj.is_public()))
    return key


def types():
    return dict(_types)


def type_for(obj):
    return _types.get(f"{obj._meta.app_label}.{obj._meta.model_name}")


def key_for(obj):
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def resolve(ref: str, user):
    """Turn "app_label.model:pk" into the object, or raise Http404 if unknown or not visible to user."""
    key, _sep, pk = (ref or "").partition(":")
    kind = _types.get(key)
    if kind is None or not pk.isdigit():
        raise Http404("Unknown target.")
    obj = kind.model._default_manager.filter(pk=int(pk)).first()
    if obj is None or not kind.is_visible(user, obj):
        raise Http404("Unknown target.")
    return obj


def resolve_any(ref: str):
    """Like resolve() but ignores visibility: for moderators, who act on hidden objects too."""
    key, _sep, pk = (ref or "").partition(":")
    kind = _types.get(key)
    if kind is None or not pk.isdigit():
        raise Http404("Unknown target.")
    obj = kind.model._default_manager.filter(pk=int(pk)).first()
    if obj is None:
        raise Http404("Unknown target.")
    return obj


def is_visible(user, obj) -> bool:
    kind = type_for(obj)
    return kind is not None and kind.is_visible(user, obj)


def model_for_content_type(content_type):
    return apps.get_model(content_type.app_label, content_type.model)
