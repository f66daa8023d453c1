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
    from .mairies import mairie_for_request

    mairie = mairie_for_request(request)
    user = request.user
    shown = []
    for section in sorted(_sections.values(), key=lambda s: s.order):
        if section.visible(user):
            shown.append({"key": section.key, "title": section.title, "summary": section.summary,
                          "url": section.url(request, mairie)})
    return shown


_account_links: list[tuple[int, str, str]] = []


def register_account_link(order: int, label, url_name: str):
    """A link in the header's account menu (e.g. the engine's notifications)."""
    _account_links.append((order, label, url_name))


def account_links():
    from django.urls import reverse

    return [{"label": label, "url": reverse(name)} for _order, label, name in sorted(_account_links, key=lambda x: x[0])]
