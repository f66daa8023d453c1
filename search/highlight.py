"""Highlighted extracts computed from the stored original text with the index's own analyzer.

The FTS5 table holds stems ("equip", "ecol"), so its snippet() would show stems; instead the
words of the original text whose stem is a query term are marked here, around the densest
passage. Everything is HTML-escaped except the <mark> tags we add.

Only the words that may match are analysed: a regular expression (accents and case ignored) finds
the words of the original text starting like a query stem, and those few are stemmed to confirm.
"""

import re
import unicodedata
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .analysis import STOP_WORDS, fold, stem

WINDOW_CHARS = 240  # length of an extract
LEAD_CHARS = 60  # context kept before the first marked word
MAX_SCAN = 60_000  # characters of a body scanned for an extract
_SPACES = re.compile(r"\s+")


def _accent_classes():
    """For each base letter, the characters that fold to it: "e" -> "eéèêë…"."""
    classes = {}
    for code in range(0x80, 0x2500):
        char = chr(code)
        lower = char.lower()
        if len(lower) != 1:
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", lower) if not unicodedata.combining(c))
        if len(base) == 1 and base != lower:
            classes.setdefault(base, set()).add(lower)
    return {base: base + "".join(sorted(chars)) for base, chars in classes.items()}


_CLASSES = _accent_classes()


@lru_cache(maxsize=512)
def _pattern(prefixes):
    """Words starting like one of the prefixes, accents and case ignored, on the original text."""
    alternatives = []
    for prefix in prefixes:
        alternatives.append("".join(
            f"[{re.escape(_CLASSES[ch])}]" if ch in _CLASSES else re.escape(ch) for ch in prefix))
    return re.compile(r"(?<![^\W_])(?:" + "|".join(alternatives) + r")[^\W_]*", re.IGNORECASE)


def _hits(text, stems):
    """(start, end, stem) of each word of `text` whose stem is one of `stems`."""
    stems = {s for s in stems if s}
    if not stems or not text:
        return []
    # Snowball stems are prefixes of the folded word, give or take their last letter.
    prefixes = tuple(sorted({s[: max(2, len(s) - 1)] for s in stems}, key=lambda p: (-len(p), p)))
    hits = []
    for match in _pattern(prefixes).finditer(text):
        word = fold(match.group())
        if word not in STOP_WORDS and stem(word) in stems:
            hits.append((match.start(), match.end(), stem(word)))
    return hits


def _clean(html):
    return _SPACES.sub(" ", html)


def _marked(text, hits, lo, hi):
    out, pos = [], lo
    for start, end, _stem in hits:
        if start < lo or end > hi:
            continue
        out.append(escape(text[pos:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        pos = end
    out.append(escape(text[pos:hi]))
    return _clean("".join(out))


def _plain_start(text):
    if len(text) <= WINDOW_CHARS:
        return _clean(escape(text)).strip()
    cut = text.rfind(" ", 0, WINDOW_CHARS)
    return _clean(escape(text[: cut if cut > 80 else WINDOW_CHARS])).strip() + "…"


def _best_anchor(hits):
    """The hit starting the passage with the most distinct matched terms, then the most hits."""
    best, best_key = hits[0], (-1, -1)
    for anchor in hits[:200]:
        lo = anchor[0] - LEAD_CHARS
        inside = [h for h in hits if h[0] >= lo and h[1] <= lo + WINDOW_CHARS]
        key = (len({h[2] for h in inside}), len(inside))
        if key > best_key:
            best, best_key = anchor, key
    return best


def extract(text, stems) -> str:
    """A short, safe HTML extract of `text` with the words matching `stems` in <mark>."""
    text = (text or "")[:MAX_SCAN]
    if not text.strip():
        return mark_safe("")  # noqa: S308 -- empty
    hits = _hits(text, stems)
    if not hits:
        return mark_safe(_plain_start(text))  # noqa: S308 -- escaped
    anchor = _best_anchor(hits)
    lo = max(0, anchor[0] - LEAD_CHARS)
    if lo > 0:  # start on a word
        space = text.find(" ", lo, anchor[0])
        lo = space + 1 if space != -1 else anchor[0]
    hi = min(len(text), lo + WINDOW_CHARS)
    if hi < len(text):  # end on a word, after the anchor
        space = text.rfind(" ", anchor[1], hi)
        hi = space if space != -1 else max(hi, anchor[1])
    html = _marked(text, hits, lo, hi).strip()
    return mark_safe(("…" if lo > 0 else "") + html + ("…" if hi < len(text) else ""))  # noqa: S308 -- escaped


def marked(text, stems) -> str:
    """The whole (short) text, escaped, with matching words in <mark> (titles)."""
    text = text or ""
    return mark_safe(_marked(text, _hits(text, stems), 0, len(text)))  # noqa: S308 -- escaped


def from_markers(text, start="\ue000", stop="\ue001") -> str:
    """Safe HTML from an engine's highlight that used private-use markers (ts_headline)."""
    return mark_safe(escape(text or "").replace(start, "<mark>").replace(stop, "</mark>"))  # noqa: S308
