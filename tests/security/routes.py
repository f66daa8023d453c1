"""The project's routes, found from the code (never listed by hand): every URL pattern of the URL
resolver, every route of every routable Wagtail page type, and every Wagtail page type.
Used by test_permission_matrix.py."""

import re
from dataclasses import dataclass, field

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

ROOT_URLCONF = "cms.urls"


@dataclass(frozen=True)
class Route:
    key: str  # normalised pattern: "api/bureau/projects/{pk}/vote/", "{bureau.bureauindexpage}/projets/{pk}/"
    name: str
    app: str  # owning app label: "cms", "participation", "bureau", "occupai"...
    params: tuple = field(default=())
    kind: str = "url"  # "url" (URLconf), "page-route" (a route of a routable page), "page" (a page type)
    model: str = ""  # page model label for "page-route" and "page"


_NAMED_GROUP = re.compile(r"\(\?P<(\w+)>(?:[^()]|\((?:[^()])*\))*\)")
_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")
_GROUP = re.compile(r"\((?!\?)(?:[^()]|\((?:[^()])*\))*\)")


def normalise(pattern: str) -> str:
    """"api/bureau/^projects/(?P<pk>[^/.]+)/$" -> "api/bureau/projects/{pk}/"; unnamed groups -> {arg1}..."""
    text = _NAMED_GROUP.sub(lambda m: "{" + m.group(1) + "}", pattern)
    text = _CONVERTER.sub(lambda m: "{" + m.group(1) + "}", text)
    counter = iter(range(1, 100))
    text = _GROUP.sub(lambda m: f"{{arg{next(counter)}}}", text)
    text = text.replace("^", "").replace("$", "").replace("\\.", ".").replace("\\-", "-")
    return text


def params_of(key: str) -> tuple:
    return tuple(re.findall(r"\{([\w.]+)\}", key))


def app_of_module(module: str) -> str:
    best = None
    for config in apps.get_app_configs():
        if (module == config.name or module.startswith(config.name + ".")) and (
                best is None or len(config.name) > len(best.name)):
            best = config
    return best.label if best else module.split(".")[0]


def _walk(patterns, prefix="", namespace="", owner=ROOT_URLCONF):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            module = entry.urlconf_name if isinstance(entry.urlconf_name, str) else getattr(
                entry.urlconf_name, "__name__", owner)
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns, module)
        elif isinstance(entry, URLPattern):
            callback_module = getattr(entry.callback, "__module__", "") or ""
            module = callback_module if owner == ROOT_URLCONF else owner
            key = normalise(prefix + str(entry.pattern))
            yield Route(key=key, name=f"{namespace}{entry.name or ''}", app=app_of_module(module),
                        params=params_of(key))


def page_models():
    from wagtail.models import Page

    return [m for m in apps.get_models() if issubclass(m, Page) and m is not Page]


def _page_routes():
    from wagtail.contrib.routable_page.models import RoutablePageMixin

    for model in page_models():
        label = model._meta.label_lower
        if not issubclass(model, RoutablePageMixin):
            yield Route(key=f"{{{label}}}/", name=label, app=model._meta.app_label, params=(label,), kind="page",
                        model=label)
            continue
        for entry in model.get_subpage_urls():
            key = f"{{{label}}}/" + normalise(str(entry.pattern))
            yield Route(key=key, name=f"{label}:{entry.name}", app=model._meta.app_label, params=params_of(key),
                        kind="page-route", model=label)


def all_routes() -> list[Route]:
    """Every route of the project, unique by key, in a stable order."""
    found = {}
    for route in [*_walk(get_resolver().url_patterns), *_page_routes()]:
        found.setdefault(route.key, route)
    return sorted(found.values(), key=lambda r: r.key)
