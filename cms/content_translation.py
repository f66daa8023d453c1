"""Translating pages and snippets through wagtail-localize's own machinery, outside the admin: the
source's segments (TranslationSource), a Translation per language, its strings from a PO file
(`Translation.import_po`, as the admin's « Upload PO file » does), then `save_target`, which writes
the translated page (its parents copied as needed) and publishes it. The demo's translations use
it (guide/demo.py); editors do the same in the admin.
"""

import polib
from django.db import transaction
from wagtail.models import DraftStateMixin, Locale
from wagtail_localize.models import Translation, TranslationSource


def source_strings(instance) -> list[tuple[str, str]]:
    """(context, French text) of every segment wagtail-localize extracts from `instance`."""
    source, _created = TranslationSource.update_or_create_from_instance(instance)
    return [(entry.msgctxt, entry.msgid) for entry in source.export_po()]


@transaction.atomic
def translate(instance, language_code: str, strings: dict[str, str], *, user=None, publish=True,
              tool_name="Mairie de demain"):
    """`instance` (a page or a translatable snippet) in `language_code`, its segments translated from
    `strings` ({French text: translation}); a segment with no translation keeps the French text.
    Returns the translated instance (published, for a page, when `publish`)."""
    locale = Locale.objects.get(language_code=language_code)
    source, _created = TranslationSource.update_or_create_from_instance(instance)
    translation, _created = Translation.objects.get_or_create(source=source, target_locale=locale)
    po = translation.export_po()
    filled = polib.POFile(wrapwidth=200)
    filled.metadata = po.metadata
    for entry in po:
        if strings.get(entry.msgid):
            filled.append(polib.POEntry(msgid=entry.msgid, msgctxt=entry.msgctxt, msgstr=strings[entry.msgid]))
    translation.import_po(filled, user=user, tool_name=tool_name)
    # wagtail-localize publishes after the commit; published here, so that the caller (the demo, in
    # one transaction; a test) finds the translation live.
    translation.save_target(user=user, publish=False)
    translated = source.get_translated_instance(locale)
    if publish and isinstance(translated, DraftStateMixin):
        translated.get_latest_revision().publish(user=user)
        translated.refresh_from_db()
    return translated


def read_po(path) -> dict[str, str]:
    """{msgid: msgstr} of a PO file's translated entries (contexts ignored: a French sentence has
    one translation wherever it stands)."""
    return {entry.msgid: entry.msgstr for entry in polib.pofile(str(path)) if entry.msgstr and not entry.obsolete}
