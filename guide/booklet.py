"""The guide's printable booklet: one A5 PDF per guide and language (GuideIndexPage's `livret/` route).

Its content is the French guide's live, public pages, each in the reader's language when a live
translation of it exists (wagtail-localize: the page of the same translation key in that locale),
in French otherwise: a cover, per life situation its démarches in short, its tips and memos, and
the post-its as cards to cut out, each sentence in the reader's language beside the French.
Never a draft (the page rows hold the published content), never a restricted page, never a carnet.

The HTML is rendered on each request (a few queries); WeasyPrint (Pango/HarfBuzz: Arabic shaped,
fonts embedded as subsets) turns it into a PDF, which is kept in the default cache under the
digest of that HTML and the language: any published change (a page, a translation, a service)
changes the HTML, hence the key, so a stale booklet is never served.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import get_language_bidi

from cms.i18n import content_languages, live_translations, locale_id

logger = logging.getLogger(__name__)

CACHE_SECONDS = 24 * 3600
CACHE_PREFIX = "guide:booklet:"


def booklet_language(code) -> str:
    """The booklet's language: `code` when it is a content language, else French."""
    code = (code or "").strip().lower()
    return code if code in content_languages() else settings.LANGUAGE_CODE


def language_name(code) -> str:
    return dict(settings.LANGUAGES).get(code, code)


def _direction(code) -> str:
    with translation.override(code):
        return "rtl" if get_language_bidi() else "ltr"


def available_languages(index) -> list[str]:
    """The languages the guide has a live index in (French first): those its booklet is offered in."""
    found = live_translations(index)
    return [code for code in content_languages() if code in found]


def booklet_links(request, index) -> list[dict]:
    """[{code, name, url}] of the booklet in each available language (the index page's `livret/`
    route, on the tree of the language being read)."""
    if index is None:
        return []
    base = index.get_url(request)
    if not base:
        return []
    url = base + index.reverse_subpage("booklet")
    return [{"code": code, "name": language_name(code), "dir": _direction(code), "url": f"{url}?lang={code}"}
            for code in available_languages(index)]


def _french(page):
    """The French page of `page`'s translation key (live), or `page` itself."""
    french = locale_id(settings.LANGUAGE_CODE)
    if french is None or page.locale_id == french:
        return page
    source = type(page).objects.filter(translation_key=page.translation_key, locale_id=french, live=True).first()
    return source or page


def _in_language(pages, language):
    """{translation key: the live, public translation in `language`} of these French pages."""
    if language == settings.LANGUAGE_CODE or not pages:
        return {}
    locale = locale_id(language)
    if locale is None:
        return {}
    model = type(pages[0])
    rows = model.objects.live().public().filter(locale_id=locale,
                                                translation_key__in=[p.translation_key for p in pages])
    if hasattr(model, "service"):
        rows = rows.select_related("service")
    return {row.translation_key: row for row in rows}


def _block(page, language):
    return {"page": page, "lang": language, "dir": _direction(language)}


def _postits(french, translated, language):
    """The post-it cards: the French sentence and, when the reader's language is not French, the
    translated page's sentence of the same block (by block id, then by position)."""
    theirs_by_id, theirs = {}, []
    if translated is not None:
        theirs = list(translated.postits)
        theirs_by_id = {block.id: block for block in theirs}
    cards = []
    for position, block in enumerate(french.postits):
        other = theirs_by_id.get(block.id) or (theirs[position] if position < len(theirs) else None)
        sentence = other.value["sentence"] if other is not None else ""
        card = {"french": block.value["sentence"], "hint": block.value.get("hint") or "",
                "sentence": sentence if sentence and language != settings.LANGUAGE_CODE else ""}
        cards.append(card)
    return cards


def booklet_context(index, language, mairie=None) -> dict:
    """What the booklet shows (see the module's docstring)."""
    from .models import DemarchePage, LifeSituationPage

    french_index = _french(index)
    translated_index = _in_language([french_index], language).get(french_index.translation_key)
    situations = list(LifeSituationPage.objects.live().public().child_of(french_index).order_by("path"))
    situations_in = _in_language(situations, language)
    chapters = []
    for situation in situations:
        theirs = situations_in.get(situation.translation_key)
        shown = theirs or situation
        shown_language = language if theirs is not None else settings.LANGUAGE_CODE
        demarches = list(DemarchePage.objects.live().public().child_of(situation).order_by("path")
                         .select_related("service"))
        demarches_in = _in_language(demarches, language)
        items = []
        for demarche in demarches:
            their = demarches_in.get(demarche.translation_key)
            items.append({**_block(their or demarche, language if their is not None else settings.LANGUAGE_CODE),
                          "postits": _postits(demarche, their, language)})
        chapters.append({**_block(shown, shown_language), "demarches": items,
                         "postits": _postits(situation, theirs, language)})
    cover = translated_index or french_index
    return {
        "language": language,
        "language_name": language_name(language),
        "direction": _direction(language),
        "mairie": mairie or french_index.mairie,
        "cover": _block(cover, language if translated_index is not None else settings.LANGUAGE_CODE),
        "chapters": chapters,
        "show_french": language != settings.LANGUAGE_CODE,
    }


def render_html(index, language, mairie=None) -> str:
    with translation.override(language):
        return render_to_string("guide/booklet.html", booklet_context(index, language, mairie))


def _no_fetcher():
    """The booklet needs no resource (its stylesheet is inline, its fonts come from the system's
    fontconfig): nothing a page's content names, a file of this machine or another server, is read
    (WeasyPrint's fetcher with no protocol allowed refuses every URL and leaves the resource out)."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=(), allow_redirects=False, timeout=1)


def write_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=_no_fetcher()).write_pdf()


def cache_key(language, html) -> str:
    return CACHE_PREFIX + hashlib.sha256(f"{language}\n{html}".encode()).hexdigest()


def booklet_pdf(index, language, mairie=None) -> bytes:
    """The booklet's PDF, from the cache when this exact content was printed already."""
    html = render_html(index, language, mairie)
    key = cache_key(language, html)
    cache = caches["default"]
    pdf = cache.get(key)
    if pdf is None:
        started = time.monotonic()
        pdf = write_pdf(html)
        logger.info("guide booklet written", extra={"language": language, "bytes": len(pdf),
                                                    "seconds": round(time.monotonic() - started, 2)})
        cache.set(key, pdf, CACHE_SECONDS)
    return pdf
