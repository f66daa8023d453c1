"""The French analyzer shared by indexing and querying: fold, split, drop stop words, stem; and the
plain one for the other languages (fold and split only: PostgreSQL's `simple` configuration).

The same function runs on both sides, so that "l'école", "ecoles" and "École" all become the
term "ecol", "equipement" and "équipements" both become "equip", "projets" becomes "projet".
Accents are folded BEFORE stemming: the Snowball stemmer then sees the same letters whatever the
user typed (stemming first and folding after gives "secur" for "sécurité" but "securit" for
"securite"). PostgreSQL's `french_unaccent` configuration does the same (unaccent, then
french_stem), so both database engines agree.

Chinese has no spaces between words: every Han or kana character is a word of its own (unigrams) on
both sides, so that a query finds a word inside a sentence; Arabic is folded like the rest (its
short vowels are combining marks, dropped).

Terms are made of word characters only (no quote, no operator), which is what makes them safe to
quote inside an FTS5 MATCH expression or a to_tsquery() string.
"""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

MAX_QUERY_CHARS = 200
MAX_QUERY_TERMS = 12

# Runs of letters and digits. Apostrophes, hyphens and every other sign separate words: "l'école"
# gives "l" and "école", and the elided article "l" is a stop word.
# Combining marks (a decomposed accent, Arabic short vowels) belong to their word: folding drops them.
WORD_RE = re.compile(r"(?:[^\W_]|[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed])+")

_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ı": "i"})

# Elided articles and the most frequent French function words, folded (Lucene's French list, trimmed).
STOP_WORDS = frozenset((
    "a", "ai", "au", "aux", "avec", "c", "ca", "ce", "ceci", "cela", "celle", "celles", "celui", "ces",
    "cet", "cette", "ci", "d", "dans", "de", "des", "du", "elle", "elles", "en", "est", "et", "etaient",
    "etait", "eux", "il", "ils", "j", "je", "jusqu", "l", "la", "le", "les", "leur", "leurs", "lorsqu",
    "lui", "m", "ma", "mais", "me", "meme", "mes", "moi", "mon", "n", "ne", "ni", "nos", "notre", "nous",
    "on", "ont", "ou", "par", "pas", "pour", "puisqu", "qu", "que", "quel", "quelle", "quelles", "quels",
    "qui", "quoiqu", "s", "sa", "se", "ses", "si", "son", "sont", "sur", "t", "ta", "te", "tes", "toi",
    "ton", "tu", "un", "une", "vos", "votre", "vous", "y",
))

_stemmer = snowballstemmer.stemmer("french")
FRENCH = "fr"
CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CJK_SPLIT = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def clean(text) -> str:
    """Text as it is stored and shown: NFC, no control characters (NUL breaks PostgreSQL)."""
    text = unicodedata.normalize("NFC", str(text or ""))
    return "".join(ch if ch in "\n\t" or unicodedata.category(ch)[0] != "C" else " " for ch in text)


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Lower case, no accents, no ligatures: "Œuvre" -> "oeuvre", "Équipé" -> "equipe"."""
    word = word.casefold().translate(_LIGATURES)
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=200_000)
def stem(folded_word: str) -> str:
    if folded_word.isdigit() or len(folded_word) < 3:
        return folded_word
    return _stemmer.stemWord(folded_word)


def variants(word: str) -> list[str]:
    """The word and its singular/plural twin: Snowball stems "potager" to "potag" but "potagers" to
    "potager", so a query looks for both forms (on every engine, whose index stays plain Snowball)."""
    forms = [word]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        forms.append(word[:-1])
    elif len(word) > 2 and not word.isdigit() and word[-1] not in "sxz":
        forms.append(word + "s")
    return forms


def stem_variants(word: str) -> list[str]:
    return list(dict.fromkeys(stem(form) for form in variants(word)))


def plain_words(text) -> list[str]:
    """Folded words of a text, in order, each Han or kana character a word of its own."""
    out = []
    for match in WORD_RE.finditer(str(text or "")):
        for word in WORD_RE.findall(fold(match.group())):  # folding may split (rare ligatures)
            out.extend(_CJK_SPLIT.findall(word) if CJK_RE.search(word) else (word,))
    return out


def words(text) -> list[str]:
    """Folded words of a text, French stop words removed, in order (duplicates kept)."""
    return [word for word in plain_words(text) if word not in STOP_WORDS]


def terms(text) -> list[str]:
    """The stemmed terms the FTS5 index stores for a French text."""
    return [stem(word) for word in words(text)]


def index_text(text, language=FRENCH) -> str:
    """What the FTS5 index stores: French stems, or the plain folded words of another language."""
    return " ".join(terms(text) if language == FRENCH else plain_words(text))


def query_words(text) -> list[str]:
    """The words of a user's query: truncated, folded, stop words out, duplicates out, at most 12."""
    text = str(text or "")[:MAX_QUERY_CHARS]
    seen, out = set(), []
    for word in words(text):
        if word not in seen:
            seen.add(word)
            out.append(word)
    return out[:MAX_QUERY_TERMS]
