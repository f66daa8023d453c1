"""Suggest the recurring issues a new complaint most likely belongs to.

A deliberately simple measure, in Python: the French words of each text are folded (lower case,
no accents), stop words dropped, stemmed (Snowball), and compared as sets with the cosine of
sets |A ∩ B| / sqrt(|A|·|B|). An issue's words are those of its title, description and the
subjects and texts of its complaints. Good enough for a few hundred open issues per mairie; the
search app's full-text index can replace it later without changing the callers.
"""

import math
import re
import unicodedata

import snowballstemmer

_stemmer = snowballstemmer.stemmer("french")
_WORD = re.compile(r"[a-z0-9]+")
STOP_WORDS = frozenset("""
a au aux avec ce ces cet cette dans de des du elle elles en et eux il ils je la le les leur leurs lui ma mais me
meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une
vos votre vous c d j l m n s t y ete etre avoir fait faire plus tres tout tous toute toutes sans sous depuis
comme aussi alors donc car si bien deja encore entre apres avant chez ici la ca cela celle celui ceux dont est
sont suis etes sommes ai as avons avez ont avait etait sera seront peut peuvent doit faut madame monsieur
mairie bonjour merci cordialement salutations veuillez agreer lettre courrier objet
""".split())  # noqa: SIM905


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", (text or "").lower())
    return "".join(c for c in text if not unicodedata.combining(c))


def tokens(text: str) -> set[str]:
    words = [w for w in _WORD.findall(fold(text)) if len(w) > 2 and w not in STOP_WORDS and not w.isdigit()]
    return set(_stemmer.stemWords(words))


def cosine(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


def rank(text: str, profiles: dict[int, set[str]], *, limit=5, threshold=0.08) -> list[tuple[int, float]]:
    """[(issue id, score)] best first, above the threshold."""
    query = tokens(text)
    scored = [(pk, cosine(query, words)) for pk, words in profiles.items()]
    scored = [(pk, score) for pk, score in scored if score >= threshold]
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored[:limit]
