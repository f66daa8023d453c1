"""The language switcher and the language of a page's content (cms.i18n)."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode

from cms.i18n import active_language, content_languages, locale_code, translated_urls

register = template.Library()


def _locale_roots(request):
    site = getattr(request, "_wagtail_site", None)
    root = getattr(site, "root_page", None) if site is not None else None
    return getattr(root, "_locale_roots", None) or {}


@register.simple_tag(takes_context=True)
def language_options(context):
    """One entry per language, in its own name: the URL `set_language` sends the visitor to (this
    page in that language: its translation's URL when it has one, else the same path)."""
    request = context.get("request")
    if request is None:
        return []
    page = context.get("page")
    # No page of this mairie is translated when its home page has no translation: no query then.
    translated = page is not None and len(_locale_roots(request)) > 1
    urls = translated_urls(request, page if translated else None)
    names = dict(settings.LANGUAGES)
    current = active_language()
    action = reverse("set_language")
    return [{"code": code, "name": names.get(code, code), "current": code == current,
             "action": f"{action}?{urlencode({'next': urls[code]})}"} for code in content_languages()]


@register.simple_tag(takes_context=True)
def content_language(context, page=None):
    """The language of the page's content when it is not the active language (a page shown in French
    because it is not translated yet), else "": for `<main lang=…>`."""
    if page is None or not getattr(page, "locale_id", None):
        return ""
    locale_id = page.locale_id
    if page.alias_of_id:  # an alias shows its source's content (the home page copied with a translation)
        from wagtail.models import Page

        locale_id = Page.objects.filter(pk=page.alias_of_id).values_list("locale_id", flat=True).first() or locale_id
    request = context.get("request")
    roots = _locale_roots(request) if request is not None else {}
    code = next((c for c, root in roots.items() if root.locale_id == locale_id), None) or locale_code(locale_id)
    return code if code != active_language() else ""
