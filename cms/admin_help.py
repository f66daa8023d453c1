"""The admin's help and menus, for the platform's staff: « Guide des équipes » (docs/guide-equipes.md,
rendered in the admin) replaces the link to Wagtail's generic English editor guide, and the reports
menu keeps, for everyone but superusers, only the reports scoped to what the user may edit (the page
types usage report names the last page edited anywhere in the tree; the site history mixes every
mairie's objects of the models one may change)."""

import re
from functools import lru_cache

from django.conf import settings
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

GUIDE_FILE = "docs/guide-equipes.md"
# The guide's screenshots (taken by the browser tests: `make guide-screenshots`), written in the
# Markdown as images/guide-equipes/<name>.png (so that they show on the forge too) and served as
# static files under guide-equipes/ (STATICFILES_DIRS).
GUIDE_IMAGES = "images/guide-equipes/"
GUIDE_IMAGES_DIR = "docs/images/guide-equipes"
GUIDE_IMAGES_STATIC = "guide-equipes/"
_IMAGE_NAME = re.compile(r"[a-z0-9][a-z0-9-]*\.png")
WAGTAIL_HELP_ITEMS = ("editor-guide", "whats-new-in-wagtail")  # name prefixes of the generic help links
SUPERUSER_REPORTS = ("page-types-usage", "site-history")


@lru_cache(maxsize=1)
def _guide_html(mtime):
    """The guide as HTML: our own Markdown file, rendered with raw HTML off (any tag in it shows as
    text). Its first-level title is the page's own header, so it is left out; cached per version."""
    return render_guide((settings.BASE_DIR / GUIDE_FILE).read_text(encoding="utf-8"))


def render_guide(text):
    """The guide's Markdown as HTML (see _guide_html)."""
    from markdown_it import MarkdownIt

    lines = text.splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    markdown = MarkdownIt("commonmark", {"html": False}).enable("table")
    tokens = markdown.parse("\n".join(lines))
    for token in tokens:
        for child in token.children or ():
            if child.type == "image":
                _serve_image(child)
    return markdown.renderer.render(tokens, markdown.options, {})


def _serve_image(token):
    """One of the guide's screenshots gets its static address; any other image (another folder, a
    missing file, a remote address) shows as its alt text, never as a broken or outside image."""
    name = str(token.attrGet("src") or "").removeprefix(GUIDE_IMAGES)
    if _IMAGE_NAME.fullmatch(name) and (settings.BASE_DIR / GUIDE_IMAGES_DIR / name).is_file():
        token.attrSet("src", static(GUIDE_IMAGES_STATIC + name))
        return
    token.type, token.tag, token.attrs = "text", "", {}
    token.content = "".join(child.content for child in token.children or ())
    token.children = None


def guide_html():
    return _guide_html((settings.BASE_DIR / GUIDE_FILE).stat().st_mtime)


class GuideView(WagtailAdminTemplateMixin, TemplateView):
    """« Guide des équipes »: how each role does its main tasks. Every admin user may read it."""

    template_name = "cms/admin/guide.html"
    page_title = _("Guide des équipes")
    header_icon = "help"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "guide": mark_safe(guide_html())}  # noqa: S308 (our file, html off)


@hooks.register("register_admin_urls")
def register_guide_url():
    return [path("guide-equipes/", GuideView.as_view(), name="staff_guide")]


@hooks.register("register_help_menu_item")
def register_guide_menu_item():
    return MenuItem(_("Guide des équipes"), reverse("staff_guide"), icon_name="help", order=1000,
                    name="guide-equipes")


@hooks.register("construct_help_menu")
def drop_generic_help(request, menu_items):
    menu_items[:] = [item for item in menu_items if not item.name.startswith(WAGTAIL_HELP_ITEMS)]


@hooks.register("construct_reports_menu")
def keep_scoped_reports(request, menu_items):
    if not request.user.is_superuser:
        menu_items[:] = [item for item in menu_items if item.name not in SUPERUSER_REPORTS]


def superuser_report_urls():
    """The two reports that read the whole tree, for superusers only: out of the menu is not enough,
    their addresses answer 403 to everyone else. cms/urls.py puts these before Wagtail's admin URLs."""
    from django.core.exceptions import PermissionDenied
    from wagtail.admin.auth import require_admin_access
    from wagtail.admin.views.reports.audit_logging import LogEntriesView
    from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView

    def superusers_only(view):
        def wrapped(request, *args, **kwargs):
            if not request.user.is_superuser:
                raise PermissionDenied
            return view(request, *args, **kwargs)
        return wrapped

    patterns = []
    for prefix, view in (("site-history", LogEntriesView), ("page-types-usage", PageTypesUsageReportView)):
        for suffix, results in (("", False), ("results/", True)):
            patterns.append(path(f"admin/reports/{prefix}/{suffix}",
                                 require_admin_access(superusers_only(view.as_view(**({"results_only": True} if results else {}))))))
    return patterns
