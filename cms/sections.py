"""The platform's sections, as the home page and the navigation present them.

Each app registers its section in its AppConfig.ready(), so that cms never imports a feature app.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

_sections: dict[str, "Section"] = {}


def _everyone(user):
    return True


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    summary: str
    order: int
    # url(request, mairie) -> str | None; None when the mairie has not set the section up yet.
    url: Callable = field(compare=False)
    visible: Callable = field(default=_everyone, compare=False)


def register_section(section: Section):
    _sections[section.key] = section


def sections_for(request, home=None):
    """The sections this user sees on this mairie, computed once per request (the navigation and
    the home page both ask)."""
    from .mairies import mairie_for_request

    cached = getattr(request, "_platform_sections", None)
    if cached is not None:
        return cached
    mairie = mairie_for_request(request)
    user = request.user
    urls = _section_urls(request, mairie)
    shown = [{"key": section.key, "title": section.title, "summary": section.summary, "url": urls[section.key]}
             for section in sorted(_sections.values(), key=lambda s: s.order) if section.visible(user)]
    request._platform_sections = shown
    return shown


def _section_urls(request, mairie):
    """{key: url} of every section on this mairie. Each URL comes from the pages the mairie has set
    up, so they are kept under the page cache's site-wide version, which changes whenever a page
    row is saved, published, unpublished, moved or deleted (cms.cache): kept even when the page
    cache is off, since no other write changes them."""
    from .cache import remember_all

    def compute():
        return {section.key: section.url(request, mairie) for section in _sections.values()}

    if mairie is None:
        return compute()
    from .i18n import active_language

    key = f"sections:{mairie.pk}:{active_language()}"  # a translated section has its own URL
    return remember_all({key: compute}, seconds=300, always=True)[key]


_account_links: list[tuple[int, str, str]] = []


def register_account_link(order: int, label, url_name: str):
    """A link in the header's account menu (e.g. the engine's notifications)."""
    _account_links.append((order, label, url_name))


def account_links():
    from django.urls import reverse

    return [{"label": label, "url": reverse(name)} for _order, label, name in sorted(_account_links, key=lambda x: x[0])]


_account_panels: list[tuple[int, str, object]] = []


def register_account_panel(order: int, template_name: str, context):
    """A part of the account page (e.g. the engine's notification preferences): `template_name`
    rendered with `context(request)`, a dict, so that cms never imports the app that shows it."""
    _account_panels.append((order, template_name, context))


def account_panels(request):
    return [{"template": template_name, "context": context(request)}
            for _order, template_name, context in sorted(_account_panels, key=lambda x: x[0])]
