"""The Wagtail admin's home, shaped around each role's daily work: one dashboard panel per staff
role the user holds (editors, organisers, agents), listing what waits for them in their own mairie,
each line a count and a link to where the work is done.

cms never imports a feature app: each app contributes its lines through the Wagtail hook
`register_admin_home_line` (in its wagtail_hooks.py), returning one `Line` or a list of them. A line
belongs to one role's panel and says who may see it (`allowed`); a panel shows only when the user
holds its role, has a home mairie and may see at least one of its lines: never an empty panel.

Counts are for the user's home mairie (never the mairie of the admin's hostname, and never another
mairie's), kept briefly in the page cache (cms.cache.remember_all) under that mairie's version, so
that the platform's invalidation events (a moderation act, a decision) show at once.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.ui.components import Component

from . import roles
from .cache import made_for, remember_all

LINE_HOOK = "register_admin_home_line"
HOME_SECONDS = 60  # counts may lag this long behind an event that does not renew the mairie's version


@dataclass(frozen=True)
class Line:
    """One line of a role's panel. `count(user, mairie)` returns a picklable value (usually an int),
    `label(value)` the sentence shown (with its number, through ngettext), `url(user, mairie, value)`
    where the work is done, `allowed(user, mairie)` whether this user sees the line at all. `per_user`: the value
    depends on the user (their own bricolages), not only on the mairie."""

    key: str
    role: str
    count: Callable[[Any, Any], Any]
    label: Callable[[Any], str]
    url: Callable[[Any, Any, Any], str]
    allowed: Callable[[Any, Any], bool] = lambda user, mairie: True
    order: int = 100
    per_user: bool = False


# The panels, in the order they are shown (before Wagtail's own panels).
PANELS = (
    (roles.ORGANISERS, "organisers", _("Organisation : ce qui vous attend")),
    (roles.EDITORS, "editors", _("Édition : ce qui vous attend")),
    (roles.AGENTS, "agents", _("Agents : ce qui vous attend")),
)


def lines() -> list[Line]:
    found = []
    for fn in hooks.get_hooks(LINE_HOOK):
        made = fn()
        found.extend(made if isinstance(made, (list, tuple)) else [made])
    return sorted(found, key=lambda line: (line.order, line.key))


def home_mairie(user):
    """The user's home mairie, or None."""
    from .models import Mairie

    mairie_id = getattr(user, "mairie_id", None)
    if mairie_id is None:
        return None
    return Mairie.objects.select_related("site").filter(pk=mairie_id).first()


def panels_for(user) -> list[dict]:
    """[{"key", "title", "lines": [{"key", "value", "text", "url"}]}] for the user's roles, in their
    home mairie (whatever mairie answers the request); [] for anyone without a staff role or a mairie."""
    mairie = home_mairie(user)
    if mairie is None or not getattr(user, "is_authenticated", False):
        return []
    wanted = []
    for role, key, title in PANELS:
        if not roles.has_role(user, role):
            continue
        mine = [line for line in lines() if line.role == role and line.allowed(user, mairie)]
        if mine:
            wanted.append((key, title, mine))
    if not wanted:
        return []
    every = {line.key: line for _key, _title, mine in wanted for line in mine}

    def cache_key(line):
        return f"admin-home:{line.key}:{mairie.pk}" + (f":user:{user.pk}" if line.per_user else "")

    def compute(line):
        return lambda: line.count(user, mairie)

    with made_for(mairie.pk):
        values = remember_all({cache_key(line): compute(line) for line in every.values()},
                              seconds=getattr(settings, "ADMIN_HOME_SECONDS", HOME_SECONDS))
    return [{"key": key, "title": title,
             "lines": [_line(line, user, mairie, values[cache_key(line)]) for line in mine]}
            for key, title, mine in wanted]


def _line(line, user, mairie, value):
    return {"key": line.key, "value": value, "text": line.label(value), "url": line.url(user, mairie, value)}


def site_url(mairie, path):
    """`path` on the mairie's own site (the platform's views answer for the mairie of their host)."""
    return mairie.site.root_url.rstrip("/") + path


class RolePanel(Component):
    """One role's panel on the admin's home."""

    template_name = "cms/admin/home_panel.html"

    def __init__(self, panel, order):
        self.panel, self.order = panel, order
        self.name = f"mairie-{panel['key']}"

    def get_context_data(self, parent_context):
        return {"panel": self.panel, "panel_id": self.name}


@hooks.register("construct_homepage_panels")
def add_role_panels(request, panels):
    for index, panel in enumerate(panels_for(request.user)):
        panels.append(RolePanel(panel, order=50 + index))


# --- cms's own line: the mairie's pages waiting in a moderation workflow ------------------------


def pages_in_moderation(user, mairie) -> int:
    """Pages of the mairie's site with a workflow in progress (submitted, not yet approved)."""
    from django.db.models import Exists, IntegerField, OuterRef
    from django.db.models.functions import Cast
    from wagtail.models import Page, WorkflowState, get_default_page_content_type

    home = mairie.site.root_page
    in_site = Page.objects.filter(path__startswith=home.path, id=Cast(OuterRef("object_id"), IntegerField()))
    return (WorkflowState.objects.active()
            .filter(Q(base_content_type_id=get_default_page_content_type().id) & Exists(in_site)).count())


def may_edit_pages(user, mairie) -> bool:
    """Holds a page permission somewhere in the mairie's site."""
    from wagtail.models import Page

    home = Page.objects.filter(pk=mairie.site.root_page_id).first()
    return home is not None and home.permissions_for_user(user).can_edit()


@hooks.register(LINE_HOOK)
def moderation_line():
    return Line(
        key="cms:pages-in-moderation", role=roles.EDITORS, order=20,
        count=pages_in_moderation,
        label=lambda n: ngettext("%(n)d page en modération", "%(n)d pages en modération", n) % {"n": n},
        url=lambda user, mairie, n: reverse("wagtailadmin_reports:workflow"),
        allowed=may_edit_pages)
