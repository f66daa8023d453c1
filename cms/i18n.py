"""Translation helpers: lazy interpolation, the content locales, a page's language and its
translations (docs/decisions/0011-content-translation.md).

Pages are translated with wagtail-localize: each language has its own tree under a translation of
the mairie's home page. URLs carry no language: the active language (cookie, Accept-Language,
French) chooses the tree (`HomePage.localized`), and a path that tree does not have is looked up in
the other trees (cms.routing), so that a page not translated yet is shown in French, never a 404.
"""

from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import get_language


def _interpolate(text, values):
    return str(text) % values


# `gettext_lazy("... %(n)d ...") % {...}` at class level translates once, at import, in whatever
# language is active then; this keeps the interpolation lazy, so each request gets its language.
lazy_interpolate = lazy(_interpolate, str)


def content_languages() -> list[str]:
    """The language codes pages may be written in, French (LANGUAGE_CODE) first."""
    codes = [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]
    return sorted(codes, key=lambda code: code != settings.LANGUAGE_CODE)


def ensure_locales():
    """One Wagtail locale per content language (the data migration makes them; a flushed test
    database or a mairie set up on an older database gets them back here). Idempotent."""
    from wagtail.models import Locale

    existing = set(Locale.objects.values_list("language_code", flat=True))
    missing = [code for code in content_languages() if code not in existing]
    if missing:
        Locale.objects.bulk_create([Locale(language_code=code) for code in missing])
        forget_locales()


_locale_codes: dict[int, str] = {}


def forget_locales(**_ignored):
    """A locale saved or deleted (receiver connected in cms.apps)."""
    _locale_codes.clear()


def locale_code(locale_id) -> str:
    """The language code of a locale, without a query once known (locales change with a migration
    or an administrator's edit, which clears this map)."""
    if locale_id not in _locale_codes:
        from wagtail.models import Locale

        _locale_codes.clear()
        _locale_codes.update(Locale.objects.values_list("pk", "language_code"))
    return _locale_codes.get(locale_id, settings.LANGUAGE_CODE)


def active_language() -> str:
    """The active language among the content languages (French when none is active)."""
    code = (get_language() or settings.LANGUAGE_CODE).lower()
    return code if code in content_languages() else settings.LANGUAGE_CODE


def live_translations(page) -> dict[str, object]:
    """{language code: the page's live translation} (the page itself included), in one query."""
    from wagtail.models import Page

    rows = Page.objects.filter(translation_key=page.translation_key, live=True).only(
        "pk", "url_path", "locale_id", "path", "depth", "translation_key", "slug", "content_type_id", "live")
    return {locale_code(p.locale_id): p for p in rows}


def translated_urls(request, page) -> dict[str, str]:
    """{language code: the URL of this page in that language, on this site} for the switcher: the
    translation's own URL when one is live (its slugs may differ), else the page's current path."""
    here = request.get_full_path()
    if page is None or not getattr(page, "translation_key", None):
        return dict.fromkeys(content_languages(), here)
    found = live_translations(page)
    urls = {}
    for code in content_languages():
        translation = found.get(code)
        url = translation.get_url(request) if translation is not None else None
        urls[code] = url if url and url.startswith("/") else here
    return urls


def locale_id(code: str):
    """The id of the locale of a language code (None when it has none)."""
    found = next((pk for pk, known in _locale_codes.items() if known == code), None)
    if found is None:  # not known yet: read the locales again, once
        from wagtail.models import Locale

        _locale_codes.clear()
        _locale_codes.update(Locale.objects.values_list("pk", "language_code"))
        found = next((pk for pk, known in _locale_codes.items() if known == code), None)
    return found


def in_active_language(queryset):
    """The pages of `queryset` in the active language, and the French ones that have no live
    translation in it: each page once, in the reader's language when it exists (lists, the API)."""
    from django.db.models import Q

    language, french = active_language(), locale_id(settings.LANGUAGE_CODE)
    if language == settings.LANGUAGE_CODE:
        return queryset.filter(locale_id=french)
    own = locale_id(language)
    translated = queryset.model.objects.filter(locale_id=own, live=True).values("translation_key")
    return queryset.filter(Q(locale_id=own) | Q(locale_id=french) & ~Q(translation_key__in=translated))


def children_in_language(page, queryset):
    """The pages of `queryset` that are children of `page` or of one of its translations, in the
    active language (in_active_language): a translated page lists its children not translated
    yet too, in French. In French, simply the page's own children (no other query)."""
    from django.db.models import Q
    from wagtail.models import Page

    if active_language() == settings.LANGUAGE_CODE:
        return queryset.child_of(page).filter(locale_id=page.locale_id)
    under = Q()
    for path in Page.objects.filter(translation_key=page.translation_key).values_list("path", flat=True):
        under |= Q(path__startswith=path)
    return in_active_language(queryset.filter(under, depth=page.depth + 1))
