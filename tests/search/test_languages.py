"""Search per language: each document carries its language; a reader finds the documents of their
language and the French ones of pages not translated into it; French is stemmed, the others matched
plain (Chinese by characters); the Elasticsearch mapping and bodies say the same."""

from dataclasses import replace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from search.analysis import index_text
from search.backends.elastic import index_body, search_body
from search.permissions import visibility_filter
from search.query import SearchQuery
from tests.factories.search import search_doc
from tests.search.conftest import ids


def _doc(title, body, *, key, language="fr", translation_key=""):
    return replace(search_doc(title, body, key=key), language=language, translation_key=translation_key)


@pytest.fixture
def corpus(index, mairie19):
    index(
        # A démarche translated into English: one page, two documents.
        _doc("Demander un acte de naissance", "Le service de l'état civil délivre l'acte.", key="naissance-fr",
             translation_key="k-naissance"),
        _doc("Request a birth certificate", "The civil registry issues the certificate.", key="naissance-en",
             language="en", translation_key="k-naissance"),
        # French only: shown in every language.
        _doc("Inscrire son enfant à la crèche", "Les places en crèche sont attribuées en commission.",
             key="creche-fr", translation_key="k-creche"),
        # In Chinese and Arabic.
        _doc("申请出生证明", "户籍部门签发出生证明。", key="naissance-zh", language="zh-hans",
             translation_key="k-naissance"),
        _doc("طلب شهادة الميلاد", "يصدر قسم الأحوال المدنية الشهادة.", key="naissance-ar", language="ar",
             translation_key="k-naissance"),
    )


def _find(find, mairie, text, language):
    with translation.override(language):
        return ids(find(text, mairie=mairie))


def test_french_is_stemmed_the_other_languages_are_not():
    assert index_text("Demander les actes de naissance") == "demand acte naissanc"
    assert index_text("Requesting birth certificates", "en") == "requesting birth certificates"
    assert index_text("申请出生证明", "zh-hans") == "申 请 出 生 证 明"
    assert index_text("La carte", "wo") == "la carte"  # no French stop word in Wolof


def test_english_finds_the_english_demarche(corpus, find, mairie19):
    assert _find(find, mairie19, "birth certificate", "en") == ["cms.standardpage:naissance-en"]


def test_english_does_not_find_the_french_version_of_a_translated_page(corpus, find, mairie19):
    assert _find(find, mairie19, "naissance", "en") == []
    assert _find(find, mairie19, "naissance", "fr") == ["cms.standardpage:naissance-fr"]


def test_english_finds_french_pages_not_translated_into_it(corpus, find, mairie19):
    assert _find(find, mairie19, "crèches", "en") == ["cms.standardpage:creche-fr"]  # French stems still work
    assert set(_find(find, mairie19, "", "en")) == {"cms.standardpage:naissance-en", "cms.standardpage:creche-fr"}


def test_french_finds_french_only(corpus, find, mairie19):
    assert set(_find(find, mairie19, "", "fr")) == {"cms.standardpage:naissance-fr", "cms.standardpage:creche-fr"}
    assert _find(find, mairie19, "birth", "fr") == []


def test_chinese_finds_a_word_inside_a_sentence(corpus, find, mairie19):
    assert _find(find, mairie19, "出生", "zh-hans") == ["cms.standardpage:naissance-zh"]


def test_arabic_matches_without_short_vowels(corpus, find, mairie19):
    assert _find(find, mairie19, "شَهادة", "ar") == ["cms.standardpage:naissance-ar"]


def test_an_unknown_language_searches_in_french(corpus, find, mairie19):
    with translation.override("xx"):
        assert visibility_filter(AnonymousUser(), mairie19).language == "fr"


def test_indexed_pages_carry_their_locale(mairie19):
    from wagtail.models import Page

    from cms.content_translation import translate
    from cms.models import StandardPage
    from search.registry import adapter_for_model
    from search.services import _document_or_none

    home = Page.objects.get(pk=mairie19.site.root_page_id)
    page = home.add_child(instance=StandardPage(title="Notre mairie", slug="notre-mairie", intro="Bienvenue."))
    page.save_revision().publish()
    english = translate(page, "en", {"Notre mairie": "Our mairie", "Bienvenue.": "Welcome."})
    adapter = adapter_for_model(StandardPage)
    french_doc, english_doc = _document_or_none(adapter, page), _document_or_none(adapter, english)
    assert (french_doc.language, english_doc.language) == ("fr", "en")
    assert french_doc.translation_key == english_doc.translation_key == str(page.translation_key)
    assert english_doc.url == "/notre-mairie/" and english_doc.title == "Our mairie"


# --- Elasticsearch: the mapping and the bodies (no server here) ------------------------------------


def test_the_mapping_has_a_field_per_analyser():
    properties = index_body()["mappings"]["properties"]
    for name in ("title", "keywords", "body"):
        fields = properties[name]["fields"]
        assert properties[name]["analyzer"] == "french_folded"
        assert fields["ar"] == {"type": "text", "analyzer": "arabic"}
        assert fields["cjk"] == {"type": "text", "analyzer": "cjk"}
        assert fields["plain"] == {"type": "text", "analyzer": "plain_folded"}
    assert properties["language"] == properties["translated_into"] == {"type": "keyword"}
    analyzers = index_body()["settings"]["analysis"]["analyzer"]
    assert analyzers["plain_folded"] == {"type": "custom", "tokenizer": "standard", "filter": ["lowercase", "asciifolding"]}


@pytest.mark.parametrize(("language", "sub"), [("ar", "ar"), ("zh-hans", "cjk"), ("en", "plain"), ("wo", "plain"),
                                               ("bm", "plain")])
def test_a_query_in_another_language_reads_its_fields_and_the_french_ones(mairie19, language, sub):
    visibility = visibility_filter(AnonymousUser(), mairie19, language)
    body = search_body(SearchQuery.build(text="acte", language=language), visibility)
    match = body["query"]["bool"]["must"][0]["multi_match"]
    assert match["fields"] == [f"title.{sub}^3", f"keywords.{sub}^2", f"body.{sub}^1", "title^3", "keywords^2", "body"]
    language_filter = body["query"]["bool"]["filter"][0]["bool"]["filter"][1]
    assert language_filter == {"bool": {"should": [
        {"term": {"language": language}},
        {"bool": {"filter": [{"term": {"language": "fr"}}], "must_not": [{"term": {"translated_into": language}}]}},
    ], "minimum_should_match": 1}}


def test_a_french_query_reads_the_french_fields_and_documents(mairie19):
    visibility = visibility_filter(AnonymousUser(), mairie19, "fr")
    body = search_body(SearchQuery.build(text="acte"), visibility)
    assert body["query"]["bool"]["must"][0]["multi_match"]["fields"] == ["title^3", "keywords^2", "body"]
    assert body["query"]["bool"]["filter"][0]["bool"]["filter"][1] == {"term": {"language": "fr"}}
