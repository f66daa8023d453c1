"""French matching, ranking and extracts, through the real engine of the current database
(SQLite FTS5 or PostgreSQL tsvector: run the suite on both)."""

import pytest

from tests.factories.search import search_doc
from tests.search.conftest import ids


@pytest.fixture
def corpus(index, mairie19):
    index(
        search_doc("L'école Tanger rénovée", "Les travaux de la cour sont terminés.", key="ecole"),
        search_doc("Nouvel équipement sportif", "Un terrain de basket près du canal.", key="equipement"),
        search_doc("Un projet pour la place", "Des bancs et des arbres.", key="projet"),
        search_doc("Marché du dimanche", "On y parle de l'école et de ses projets de jardin.", key="marche"),
        search_doc("Sécurité routière", "Des ralentisseurs devant la crèche.", key="securite"),
    )


@pytest.mark.parametrize(("query", "expected"), [
    ("l'école", "ecole"),
    ("ecole", "ecole"),
    ("ÉCOLES", "ecole"),
    ("equipement", "equipement"),
    ("équipements sportifs", "equipement"),
    ("projets", "projet"),
    ("securite", "securite"),
    ("crèches", "securite"),
])
def test_french_variants_find_the_document(corpus, find, mairie19, query, expected):
    assert f"cms.standardpage:{expected}" in ids(find(query, mairie=mairie19))


def test_a_title_match_ranks_above_a_body_match(corpus, find, mairie19):
    assert ids(find("école", mairie=mairie19))[:2] == ["cms.standardpage:ecole", "cms.standardpage:marche"]
    assert ids(find("projet", mairie=mairie19))[:2] == ["cms.standardpage:projet", "cms.standardpage:marche"]


def test_every_word_must_match_first(corpus, find, mairie19):
    results = find("école jardin", mairie=mairie19)
    assert (results.match, ids(results)) == ("all", ["cms.standardpage:marche"])


def test_when_no_document_has_every_word_any_word_counts(corpus, find, mairie19):
    results = find("école basket", mairie=mairie19)
    assert results.match == "any"
    assert set(ids(results)) == {"cms.standardpage:ecole", "cms.standardpage:marche", "cms.standardpage:equipement"}


def test_extracts_mark_the_matching_words_of_the_original_text(corpus, find, mairie19):
    hit = find("ecoles projet", mairie=mairie19).hits[0]
    assert hit.id == "cms.standardpage:marche"
    assert "<mark>école</mark>" in hit.highlight and "<mark>projets</mark>" in hit.highlight
    assert "l&#x27;" in hit.highlight or "l'" not in hit.highlight  # the rest is escaped text


def test_the_title_is_highlighted_too(corpus, find, mairie19):
    hit = find("equipement", mairie=mairie19).hits[0]
    assert hit.title_highlight == "Nouvel <mark>équipement</mark> sportif"


def test_text_is_escaped_in_extracts(index, find, mairie19):
    index(search_doc("<script>alert(1)</script> Fête", "<b>fête</b> & <i>musique</i>", key="xss"))
    hit = find("fête", mairie=mairie19).hits[0]
    assert "<script>" not in hit.title_highlight and "&lt;script&gt;" in hit.title_highlight
    assert "<b>" not in hit.highlight and "<i>" not in hit.highlight  # escaped (SQLite) or dropped (ts_headline)
    assert "<mark>fête</mark>" in hit.highlight


def test_did_you_mean_offers_a_word_of_the_index(corpus, find, mairie19):
    results = find("equipemant", mairie=mairie19)
    assert results.count == 0
    assert results.suggestions and "quipement" in results.suggestions[0]
    assert find(results.suggestions[0], mairie=mairie19).count == 1


def test_no_suggestion_for_gibberish(corpus, find, mairie19):
    assert find("zzxqwv", mairie=mairie19).suggestions == []


def test_a_query_of_stop_words_only_finds_nothing_without_error(corpus, find, mairie19):
    assert find("le la les de", mairie=mairie19).count == 0


def test_an_empty_query_lists_everything_visible_newest_first(index, find, mairie19):
    from datetime import UTC, datetime

    index(search_doc("Ancien", key="old", date=datetime(2025, 1, 1, tzinfo=UTC)),
          search_doc("Récent", key="new", date=datetime(2026, 6, 1, tzinfo=UTC)))
    assert ids(find("", mairie=mairie19)) == ["cms.standardpage:new", "cms.standardpage:old"]


def test_reindexing_a_document_replaces_it(index, find, mairie19):
    index(search_doc("Vide-grenier", key="vg"))
    index(search_doc("Brocante", key="vg"))
    assert find("vide grenier", mairie=mairie19).count == 0
    assert ids(find("brocante", mairie=mairie19)) == ["cms.standardpage:vg"]


def test_suggestions_complete_the_words_being_typed(corpus, find, mairie19):
    from django.contrib.auth.models import AnonymousUser

    from search.selectors import search_suggestions

    titles = [s["title"] for s in search_suggestions(user=AnonymousUser(), mairie=mairie19, text="équipem")]
    assert titles == ["Nouvel équipement sportif"]
    titles = [s["title"] for s in search_suggestions(user=AnonymousUser(), mairie=mairie19, text="l'ecole ta")]
    assert titles == ["L'école Tanger rénovée"]
    assert search_suggestions(user=AnonymousUser(), mairie=mairie19, text="é") == []


@pytest.mark.parametrize(("query", "title"), [("potagers", "Le potager"), ("potager", "Les potagers")])
def test_singular_and_plural_find_each_other_even_when_snowball_stems_them_apart(index, find, mairie19,
                                                                                  query, title):
    index(search_doc(title, key="potager"))
    assert ids(find(query, mairie=mairie19)) == ["cms.standardpage:potager"]
