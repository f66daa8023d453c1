"""The demo guide in English through wagtail-localize's machinery (guide/demo_translations/en.po), the
template translators fill, the guide's pages and API in the request's language, Wagtail's API by locale."""

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.utils.html import strip_tags
from rest_framework.test import APIClient

from guide import demo
from guide.demo_translations import (
    FOLDER,
    TEMPLATE,
    demo_pages,
    seed_translations,
    translation_files,
    write_template,
)
from guide.models import DemarchePage, LifeSituationPage
from tests.conftest import HOST19, built_once_per_module


def _seed():
    from tests.conftest import core_demo

    ctx = core_demo()
    demo.seed(ctx)
    seed_translations(ctx, languages=["en"])
    return ctx


_translated = built_once_per_module(_seed)


@pytest.fixture
def guide_en(_translated, site_ctx):
    return site_ctx


def _english(client=None):
    client = client or Client(HTTP_HOST=HOST19)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_every_language_has_its_file_and_english_is_complete():
    assert set(translation_files()) == {"en", "ar", "zh-hans", "wo", "bm"}
    template = {entry.msgid for entry in polib.pofile(str(TEMPLATE))}
    english = polib.pofile(str(FOLDER / "en.po"))
    assert {entry.msgid for entry in english} == template
    assert english.percent_translated() == 100


def test_the_template_holds_every_segment_of_the_demo_guide(guide_en, tmp_path):
    count = write_template(guide_en.mairies["paris19"], tmp_path / "template.pot")
    written = {entry.msgid for entry in polib.pofile(str(tmp_path / "template.pot"))}
    assert count == len(written) and written == {entry.msgid for entry in polib.pofile(str(TEMPLATE))}
    assert "Je ne sais pas lire, pouvez-vous m'aider ?" in written


def test_each_page_of_the_demo_guide_is_translated_and_published(guide_en):
    pages = demo_pages(guide_en.mairies["paris19"])
    assert len(pages) == 1 + 6 + 13
    for page in pages:
        english = page.get_translation_or_none(_locale("en"))
        assert english is not None and english.live, page.slug
    creche = DemarchePage.objects.get(locale__language_code="en", slug="creche-application")
    assert creche.title == "Apply for a crèche place"
    assert creche.service_id is not None  # the service snippet is kept (not translated: French)


def _locale(code):
    from wagtail.models import Locale

    return Locale.objects.get(language_code=code)


def test_the_guide_is_shown_in_english_at_its_english_addresses(guide_en):
    page = _english().get("/guide/having-a-child/creche-application/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="en" dir="ltr">' in html and "Apply for a crèche place" in html
    assert '<main id="contenu" tabindex="-1">' in html


def test_the_french_address_in_english_shows_the_english_page(guide_en):
    html = _english().get("/guide/avoir-un-enfant/inscription-creche/").content.decode()
    assert "Apply for a crèche place" in html


def test_the_guide_index_lists_its_situations_in_english(guide_en):
    html = _english().get("/guide/").content.decode()
    assert "Having a child" in html and "Avoir un enfant" not in html


def test_a_situation_not_translated_is_listed_and_shown_in_french(guide_en):
    situation = LifeSituationPage.objects.get(locale__language_code="en", slug="having-a-child")
    situation.unpublish()
    html = _english().get("/guide/").content.decode()
    assert "Avoir un enfant" in html
    page = _english().get("/guide/avoir-un-enfant/")
    assert page.status_code == 200 and '<main id="contenu" tabindex="-1" lang="fr">' in page.content.decode()


def test_the_guide_api_answers_in_the_requests_language(guide_en):
    english = APIClient(HTTP_HOST=HOST19, HTTP_ACCEPT_LANGUAGE="en")
    titles = [s["title"] for s in english.get("/api/guide/situations/").json()["results"]]
    assert "Having a child" in titles and "Avoir un enfant" not in titles and len(titles) == 6
    french = APIClient(HTTP_HOST=HOST19, HTTP_ACCEPT_LANGUAGE="fr")
    titles = [s["title"] for s in french.get("/api/guide/situations/").json()["results"]]
    assert "Avoir un enfant" in titles and "Having a child" not in titles
    demarches = english.get("/api/guide/demarches/?page_size=100").json()
    assert demarches["count"] == 13
    assert "Apply for a crèche place" in [d["title"] for d in demarches["results"]]
    unknown = APIClient(HTTP_HOST=HOST19, HTTP_ACCEPT_LANGUAGE="xx")
    assert "Avoir un enfant" in [s["title"] for s in unknown.get("/api/guide/situations/").json()["results"]]


def test_wagtails_page_api_filters_by_locale(guide_en):
    api = APIClient(HTTP_HOST=HOST19)
    english = api.get("/api/v2/pages/?type=guide.DemarchePage&locale=en&fields=title&limit=20").json()
    assert english["meta"]["total_count"] == 13
    assert "Apply for a crèche place" in [item["title"] for item in english["items"]]
    french = api.get("/api/v2/pages/?type=guide.DemarchePage&locale=fr&fields=title&limit=20").json()
    assert "Demander une place en crèche" in [item["title"] for item in french["items"]]
    assert api.get("/api/v2/pages/?locale=xx").status_code == 200  # an unknown code is French (cms.api.wagtail)


def test_search_finds_the_english_demarche_in_english(guide_en):
    from guide.search import DemarcheAdapter
    from search.services import objects_write

    pages = DemarchePage.objects.filter(slug__in=["creche-application", "inscription-creche"])
    objects_write(model_label="guide.demarchepage", pks=[p.pk for p in pages])
    english = strip_tags(_english().get("/recherche/?q=crèche+place").content.decode())
    assert "Apply for a crèche place" in english and "Demander une place en crèche" not in english
    french = strip_tags(Client(HTTP_HOST=HOST19).get("/recherche/?q=place+crèche").content.decode())
    assert "Demander une place en crèche" in french and "Apply for a crèche place" not in french
    assert DemarcheAdapter.type == "guide.demarche"
