"""Translated pages (wagtail-localize): six locales, the same URLs in every language, French for a
page not translated yet, the switcher that keeps the page, right-to-left Arabic, unknown languages."""

import re

import pytest
from django.conf import settings
from wagtail.models import Locale, Page

from cms.content_translation import source_strings, translate
from cms.models import StandardPage
from tests.conftest import HOST19, HOST20, client_as
from tests.factories import editor


@pytest.fixture
def pages19(mairie19):
    """Under the 19e's home: « À propos » (translated into English, with its own slug) and « Histoire »
    below it (French only)."""
    home = Page.objects.get(pk=mairie19.site.root_page_id)
    about = home.add_child(instance=StandardPage(title="À propos", slug="notre-mairie", intro="La mairie et vous."))
    about.save_revision().publish()
    history = about.add_child(instance=StandardPage(title="Histoire du quartier", slug="histoire",
                                                    intro="Le bassin de la Villette."))
    history.save_revision().publish()
    english = translate(about, "en", {"À propos": "About", "notre-mairie": "our-mairie", "La mairie et vous.": "The mairie and you."})
    return {"about": about, "history": history, "about_en": english}


def _get(client, path, language=None, **extra):
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(path, **extra)


def test_every_content_language_has_its_locale(db):
    assert set(Locale.objects.values_list("language_code", flat=True)) == {"fr", "en", "ar", "zh-hans", "wo", "bm"}


def test_wolof_and_bambara_are_known_to_django_and_fall_back_to_french(client19):
    from django.utils import translation

    for code, name in (("wo", "Wolof"), ("bm", "Bamanankan")):
        assert translation.get_language_info(code)["name_local"] == name
        assert translation.check_for_language(code)
        with translation.override(code):
            assert translation.get_language() == code
            assert translation.gettext("Mentions légales") == "Mentions légales"  # French: LANGUAGE_CODE
    with translation.override("wo"):
        assert translation.gettext("Langue :") == "Làkk :"
    page = _get(client19, "/", "bm").content.decode()
    assert '<html lang="bm" dir="ltr">' in page and "Kan :" in page and "Mentions légales" in page


def test_extracted_segments_are_the_french_texts(pages19):
    texts = {text for _context, text in source_strings(pages19["about"])}
    assert {"À propos", "La mairie et vous."} <= texts


def test_translated_page_is_served_in_english_at_its_own_slug(client19, pages19):
    assert pages19["about_en"].slug == "our-mairie" and pages19["about_en"].locale.language_code == "en"
    response = _get(client19, "/our-mairie/", "en")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="en" dir="ltr">' in page and "The mairie and you." in page
    assert '<main id="contenu" tabindex="-1">' in page  # the content is in the page's language


def test_french_slug_in_english_shows_the_translation(client19, pages19):
    response = _get(client19, "/notre-mairie/", "en")
    assert response.status_code == 200 and "The mairie and you." in response.content.decode()


def test_english_slug_in_french_shows_the_french_page(client19, pages19):
    response = _get(client19, "/our-mairie/", "fr")
    assert response.status_code == 200 and "La mairie et vous." in response.content.decode()


def test_untranslated_page_in_english_falls_back_to_french_with_200(client19, pages19):
    for path in ("/notre-mairie/histoire/", "/our-mairie/histoire/"):
        response = _get(client19, path, "en")
        assert response.status_code == 200, path
        page = response.content.decode()
        assert '<html lang="en" dir="ltr">' in page  # the interface stays in English
        assert '<main id="contenu" tabindex="-1" lang="fr">' in page and "Le bassin de la Villette." in page


def test_unknown_page_is_still_a_404_in_every_language(client19, pages19):
    for language in ("fr", "en", "ar"):
        assert _get(client19, "/nulle-part/", language).status_code == 404


def test_arabic_pages_are_right_to_left(client19, pages19):
    page = _get(client19, "/notre-mairie/", "ar").content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert '<main id="contenu" tabindex="-1" lang="fr">' in page  # not translated into Arabic yet


@pytest.mark.parametrize("how", ["cookie", "accept-language", "query"])
def test_unknown_language_falls_back_to_french_with_200(client19, pages19, how):
    extra = {"HTTP_ACCEPT_LANGUAGE": "xx, yy;q=0.8"} if how == "accept-language" else {}
    path = "/notre-mairie/?lang=xx" if how == "query" else "/notre-mairie/"
    response = _get(client19, path, "xx" if how == "cookie" else None, **extra)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="fr" dir="ltr">' in page and "La mairie et vous." in page


def _switcher(page):
    """{language: (its button's formaction, its lang attribute)} of the switcher."""
    buttons = re.findall(r'<button type="submit" name="language" value="([^"]+)" lang="([^"]+)" '
                         r'formaction="([^"]+)"', page)
    return {value: (action.replace("&amp;", "&"), lang) for value, lang, action in buttons}


def test_switcher_names_each_language_in_itself_and_lands_on_the_translation(client19, pages19):
    page = _get(client19, "/notre-mairie/", "fr").content.decode()
    options = _switcher(page)
    assert list(options) == ["fr", "en", "ar", "zh-hans", "wo", "bm"]
    assert all(lang == code for code, (_action, lang) in options.items())
    for name in ("Français", "English", "العربية", "简体中文", "Wolof", "Bamanankan"):
        assert f">{name}</button>" in page
    assert options["en"][0] == "/i18n/setlang/?next=%2Four-mairie%2F"
    assert options["ar"][0] == "/i18n/setlang/?next=%2Fnotre-mairie%2F"  # not translated: the same path
    assert 'value="fr" lang="fr" formaction="/i18n/setlang/?next=%2Fnotre-mairie%2F" aria-current="true"' in page


def test_switching_keeps_the_visitor_on_the_same_page(client19, pages19):
    client19.get("/notre-mairie/")
    response = client19.post("/i18n/setlang/?next=%2Four-mairie%2F", {"language": "en"})
    assert response.status_code == 302 and response["Location"] == "/our-mairie/"
    page = client19.get("/our-mairie/").content.decode()
    assert '<html lang="en"' in page and "The mairie and you." in page
    back = _switcher(page)["fr"][0]
    assert back == "/i18n/setlang/?next=%2Fnotre-mairie%2F"
    response = client19.post(back, {"language": "fr"})
    assert response["Location"] == "/notre-mairie/"
    assert "La mairie et vous." in client19.get("/notre-mairie/").content.decode()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example/",
                                    f"http://{HOST19}/notre-mairie/", "notre-mairie/"])
def test_switcher_goes_only_to_local_paths(client19, target):
    response = client19.post("/i18n/setlang/", {"language": "en", "next": target})
    assert response.status_code == 302 and response["Location"] == "/"


def test_switching_to_an_unknown_language_sets_nothing(client19):
    response = client19.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert response.status_code == 302 and settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert '<html lang="fr"' in client19.get("/").content.decode()


def test_switcher_works_on_pages_that_are_not_wagtail_pages(client19):
    page = _get(client19, "/mentions-legales/", "en").content.decode()
    assert _switcher(page)["fr"][0] == "/i18n/setlang/?next=%2Fmentions-legales%2F"


def test_editors_of_the_mairie_translate_its_pages_not_another_mairies(pages19, mairie19, mairie20):
    own = client_as(editor(mairie19, username="ed19"))
    other = client_as(editor(mairie20, username="ed20"), host=HOST20)
    url = f"/admin/localize/submit/page/{pages19['history'].pk}/"
    assert own.get(url).status_code == 200
    assert other.get(url).status_code == 403
    assert other.post(url, {"locales": [Locale.objects.get(language_code="ar").pk]}).status_code == 403
    assert not Page.objects.filter(translation_key=pages19["history"].translation_key, locale__language_code="ar")


def test_an_editor_edits_the_translation_of_their_own_mairies_page(pages19, mairie19, mairie20):
    """The English tree (a translation of the home page) is in the 19e editors' permissions."""
    own = client_as(editor(mairie19, username="ed19"))
    other = client_as(editor(mairie20, username="ed20"), host=HOST20)
    url = f"/admin/pages/{pages19['about_en'].pk}/edit/"
    assert own.get(url).status_code == 200
    assert other.get(url).status_code == 302  # Wagtail's own refusal: its home, with a message
    from wagtail_localize.models import Translation

    translation = Translation.objects.get(source__object_id=pages19["about"].translation_key,
                                          target_locale__language_code="en")
    assert other.get(f"/admin/localize/translate/{translation.pk}/pofile/download/").status_code == 403
    assert own.get(f"/admin/localize/translate/{translation.pk}/pofile/download/").status_code == 200


def test_translations_report_is_for_superusers(mairie19):
    assert client_as(editor(mairie19, username="ed19")).get("/admin/localize/reports/translations/").status_code == 403


def test_the_pages_api_reads_locale_as_the_site_does(api19):
    """`?locale=` of the Wagtail API: an unknown code is French with a 200 (not Wagtail's 404), any case."""
    french = api19.get("/api/v2/pages/?locale=xx&fields=locale")
    assert french.status_code == 200 and french.json()["items"]
    assert {item["meta"]["locale"] for item in french.json()["items"]} == {"fr"}
    assert api19.get("/api/v2/pages/?locale=FR").json()["meta"]["total_count"] == french.json()["meta"]["total_count"]
    assert api19.get("/api/v2/pages/?locale=ar").status_code == 200
