"""The demo guide in the five other languages, through wagtail-localize's machinery
(cms.content_translation: TranslationSource, a PO file's strings, save_target, publish).

One PO file per language in guide/demo_translations/ (`en.po`, `ar.po`, `zh_Hans.po`, `wo.po`,
`bm.po`): msgid is a French segment as wagtail-localize extracts it from the 19e's guide (its index, its
situations and their démarches), msgstr its translation. `template.pot` holds every segment, for
translators (`manage.py guide_translation_template` writes it again after the demo's French changes).
A segment left empty keeps its French; a language whose file translates nothing is not created.
"""

from pathlib import Path

import polib
from django.conf import settings
from django.utils.translation import to_language

from cms.content_translation import read_po, source_strings, translate

from .models import DemarchePage, GuideIndexPage, LifeSituationPage

FOLDER = Path(__file__).resolve().parent / "demo_translations"
TEMPLATE = FOLDER / "template.pot"


def demo_pages(mairie):
    """The French pages of a mairie's guide, each parent before its children."""
    index = GuideIndexPage.objects.filter(mairie=mairie, locale__language_code=settings.LANGUAGE_CODE).first()
    if index is None:
        return []
    pages = [index]
    for situation in LifeSituationPage.objects.child_of(index).order_by("path"):
        pages.append(situation)
        pages.extend(DemarchePage.objects.child_of(situation).order_by("path"))
    return pages


def write_template(mairie, path=TEMPLATE) -> int:
    """template.pot: every segment of the demo guide, once (with the pages it appears on). Returns
    how many entries it holds."""
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Project-Id-Version": "Mairie de demain: the demo guide", "MIME-Version": "1.0",
                   "Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit"}
    entries = {}
    for page in demo_pages(mairie):
        for _context, text in source_strings(page):
            entry = entries.get(text)
            if entry is None:
                entry = entries[text] = polib.POEntry(msgid=text, msgstr="")
                po.append(entry)
            if page.slug not in entry.occurrences and len(entry.occurrences) < 5:
                entry.occurrences.append((page.slug, ""))
    po.save(str(path))
    return len(entries)


def translation_files():
    """{language code: its PO file} of the languages the demo has a file for."""
    return {to_language(path.stem): path for path in sorted(FOLDER.glob("*.po"))}


def seed_translations(ctx, languages=None):
    """Translate the 19e's demo guide into every language whose file translates something (or those
    of `languages`). Idempotent: a page already translated is translated again from the file."""
    if not getattr(settings, "DEMO_TRANSLATIONS", True) and languages is None:
        return
    mairie = ctx.mairies.get("paris19")
    if mairie is None:
        return
    pages = demo_pages(mairie)
    for code, path in translation_files().items():
        if languages is not None and code not in languages:
            continue
        strings = read_po(path)
        if not strings:
            continue
        for page in pages:
            translate(page, code, strings)
