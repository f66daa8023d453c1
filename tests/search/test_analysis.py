"""The analyzer shared by indexing and querying (pure functions, no database)."""

import pytest

from search.analysis import fold, index_text, query_words, stem, terms, words


@pytest.mark.parametrize(("a", "b"), [
    ("l'école", "école"),
    ("L’École", "ecoles"),
    ("equipement", "équipements"),
    ("projets", "projet"),
    ("Sécurité", "securite"),
    ("fêtes", "FETE"),
    ("œuvres", "oeuvre"),
    ("d'activités", "activite"),
])
def test_variants_of_a_word_give_the_same_terms(a, b):
    assert terms(a) == terms(b) != []


def test_elided_articles_and_stop_words_are_dropped():
    assert words("l'école de la Villette et d'Amérique") == ["ecole", "villette", "amerique"]


def test_folding_keeps_letters_and_digits_only():
    assert fold("Œuvre-Équipée") == "oeuvre-equipee"
    assert index_text("19e arrondissement, 2026 !") == "19e arrond 2026"


@pytest.mark.parametrize("hostile", [
    '"', '""*', "*", ":", "((", "NEAR(a b)", "-", "a OR b", "title:école", "'; DROP TABLE search_searchentry; --",
    "\x00\x01", "é" * 10_000, "\u202e\u200bécole",
])
def test_query_words_are_plain_word_characters(hostile):
    for word in query_words(hostile):
        assert word.isalnum()
        assert '"' not in word and "'" not in word


def test_a_query_is_cut_to_200_characters_and_12_words():
    assert len(query_words(" ".join(f"mot{i}" for i in range(500)))) == 12
    assert query_words("a" * 10_000) == ["a" * 200]


def test_short_words_and_numbers_are_not_stemmed():
    assert stem("19") == "19"
    assert stem("vu") == "vu"


def test_a_query_word_looks_for_its_singular_and_plural_stems():
    from search.analysis import stem_variants

    assert stem_variants("potagers") == ["potager", "potag"]
    assert stem_variants("potager") == ["potag", "potager"]
    assert stem_variants("ecole") == ["ecol"]
