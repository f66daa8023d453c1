"""French is the source language: every msgid of ours is the French text itself. A library's French catalogue
(allauth, Wagtail, Django) holding the same msgid would replace our text with its own (allauth turned the
logbook's « Note » into « Remarque »), so no msgid of ours may be one that another catalogue translates."""

import gettext

from django.conf import settings
from django.utils import translation

# Ours, and translated by Wagtail's catalogues the way we mean them (same word, capitalised).
SAME_MEANING = {"Account": "Compte", "document": "Document"}


def test_no_library_catalogue_rewrites_our_french():
    with open(settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.mo", "rb") as handle:
        ours = [key for key in gettext.GNUTranslations(handle)._catalog if isinstance(key, str) and key]
    rewritten = {}
    with translation.override("fr"):
        for key in ours:
            if "\x04" in key:
                context, msgid = key.split("\x04", 1)
                shown = translation.pgettext(context, msgid)
            else:
                msgid, shown = key, translation.gettext(key)
            if shown != msgid and SAME_MEANING.get(msgid) != shown:
                rewritten[msgid] = shown
    assert not rewritten, f"give these msgids a context (pgettext) or other words: {rewritten}"
