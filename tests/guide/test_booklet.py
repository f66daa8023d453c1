"""The guide's printable booklet (guide/booklet.py): an A5 PDF per language, fonts embedded, the post-its
in the reader's language beside the French (Arabic shaped, in logical order), live content only."""

import io

import pytest
from django.core.cache import caches
from django.test import Client
from pypdf import PdfReader

from cms.content_translation import translate
from guide import demo
from guide.models import GuideIndexPage, LifeSituationPage
from tests.conftest import HOST19, built_once_per_module

SENTENCE = "Je viens pour inscrire mon enfant à la crèche."
ARABIC = "أريد تسجيل طفلي في الحضانة"
ARABIC_WORD = "الحضانة"
CHINESE = "我想为孩子登记托儿所。"
SITUATION_AR = "إنجاب طفل"


def _seed():
    from tests.conftest import core_demo

    ctx = core_demo()
    demo.seed(ctx)
    situation = LifeSituationPage.objects.get(mairie=ctx.mairies["paris19"], slug="avoir-un-enfant",
                                              locale__language_code="fr")
    translate(situation, "ar", {SENTENCE: ARABIC, "Avoir un enfant": SITUATION_AR})
    translate(situation, "zh-hans", {SENTENCE: CHINESE})
    return ctx


_booklets = built_once_per_module(_seed)


@pytest.fixture
def guide19(_booklets, site_ctx):
    caches["default"].clear()
    return site_ctx


def _index(ctx):
    return GuideIndexPage.objects.get(mairie=ctx.mairies["paris19"], locale__language_code="fr")


def _get(ctx, lang=None, client=None):
    url = _index(ctx).url + "livret/" + (f"?lang={lang}" if lang is not None else "")
    return (client or Client(HTTP_HOST=HOST19)).get(url)


def _pdf(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    body = response.content
    assert body.startswith(b"%PDF")
    return PdfReader(io.BytesIO(body))


def _text(reader):
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _fonts(reader):
    """{font name: embedded?} of every font the pages use (descendant fonts of Type0 fonts included)."""
    found = {}
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            fonts = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
            for each in fonts:
                descriptor = each.get("/FontDescriptor")
                descriptor = descriptor.get_object() if descriptor is not None else {}
                found[str(each.get("/BaseFont")).replace("-", "")] = any(k in descriptor for k in ("/FontFile", "/FontFile2",
                                                                                    "/FontFile3"))
    return found


def test_the_french_booklet_is_an_a5_pdf_with_its_fonts_embedded(guide19):
    reader = _pdf(_get(guide19, "fr"))
    assert len(reader.pages) > 3
    for page in reader.pages:  # A5: 148 x 210 mm = 419.5 x 595.3 pt
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - 419.53) < 1 and abs(height - 595.28) < 1
    fonts = _fonts(reader)
    assert fonts and all(fonts.values()), fonts
    assert any("NotoSans" in name for name in fonts)
    text = _text(reader)
    assert "Avoir un enfant" in text
    assert SENTENCE in text
    assert "1 / " in text  # page numbers


def test_the_arabic_booklet_has_the_post_it_in_arabic_beside_the_french_shaped_in_logical_order(guide19):
    response = _get(guide19, "ar")
    assert response["Content-Language"] == "ar"
    reader = _pdf(response)
    text = _text(reader)
    assert SENTENCE in text  # the French beside it
    assert ARABIC_WORD in text  # logical order, base letters (not presentation forms)
    assert not any("\ufb50" <= char <= "\ufeff" for char in text), "isolated/presentation forms in the text"
    assert SITUATION_AR in text  # the translated situation's title
    fonts = _fonts(reader)
    assert any("NotoNaskhArabic" in name for name in fonts) and all(fonts.values()), fonts


def test_arabic_is_shaped_joined_forms_not_isolated_letters(guide19):
    """HarfBuzz gives the joined (initial, medial, final) forms: in one document (one font subset), the
    word's glyphs are not those of its letters drawn one by one, apart."""
    import re

    from weasyprint import HTML

    html = (f'<html lang="ar" dir="rtl"><body style="font-family: \'Noto Naskh Arabic\'"><p>{ARABIC_WORD}</p>'
            f'<p>{" ".join(ARABIC_WORD)}</p></body></html>')
    stream = PdfReader(io.BytesIO(HTML(string=html).write_pdf())).pages[0].get_contents().get_data().decode("latin1")
    joined, isolated = (set(re.findall(r"<([0-9a-f]{4})>", line)) for line in re.findall(r"\[(.*?)\] TJ", stream))
    assert len(joined) >= len(set(ARABIC_WORD)) - 1
    assert len(joined & isolated) <= 2, (joined, isolated)  # only forms that do not join (alef at the end)


def test_the_chinese_booklet_has_the_post_it_in_chinese(guide19):
    reader = _pdf(_get(guide19, "zh-hans"))
    text = _text(reader)
    assert CHINESE.rstrip("。") in text and SENTENCE in text
    fonts = _fonts(reader)
    assert any("NotoSansCJKSC" in name for name in fonts) and all(fonts.values()), fonts


def test_an_unknown_or_missing_language_gives_the_french_booklet(guide19):
    for lang in ("xx", "", None, "ar'><script>", "f" * 500):
        response = _get(guide19, lang)
        assert response.status_code == 200 and response["Content-Language"] == "fr"
        assert "livret-" in response["Content-Disposition"] and "-fr.pdf" in response["Content-Disposition"]
    assert SENTENCE in _text(_pdf(_get(guide19, "xx")))
    assert ARABIC_WORD not in _text(_pdf(_get(guide19, "xx")))


def test_a_draft_never_appears_and_an_unpublished_guide_is_a_404(guide19):
    situation = LifeSituationPage.objects.get(mairie=guide19.mairies["paris19"], slug="avoir-un-enfant",
                                              locale__language_code="fr")
    situation.title = "Brouillon secret de la situation"
    situation.save_revision()  # a draft: not published
    other = LifeSituationPage.objects.get(mairie=guide19.mairies["paris19"], slug="devenir-majeur",
                                          locale__language_code="fr")
    other.unpublish()
    text = _text(_pdf(_get(guide19, "fr")))
    assert "Brouillon secret" not in text and "Avoir un enfant" in text
    assert "Je viens pour me faire recenser." not in text  # the unpublished situation's post-it
    index = _index(guide19)
    url = index.url + "livret/"
    index.unpublish()
    assert Client(HTTP_HOST=HOST19).get(url).status_code == 404


def test_the_booklet_is_cached_per_content_and_language(guide19):
    from guide import booklet

    index = _index(guide19)
    first = _get(guide19, "ar").content
    key = booklet.cache_key("ar", booklet.render_html(index, "ar", index.mairie))
    assert caches["default"].get(key) == first
    assert _get(guide19, "zh-hans").content != first
    situation = LifeSituationPage.objects.get(mairie=guide19.mairies["paris19"], slug="avoir-un-enfant",
                                              locale__language_code="fr")
    french = _get(guide19, "fr").content
    french_key = booklet.cache_key("fr", booklet.render_html(index, "fr", index.mairie))
    assert caches["default"].get(french_key) == french
    situation.title = "Attendre un enfant"
    situation.save_revision().publish()  # published: a new booklet, never the cached one
    assert booklet.cache_key("fr", booklet.render_html(index, "fr", index.mairie)) != french_key
    assert "Attendre un enfant" in _text(_pdf(_get(guide19, "fr")))
    # the Arabic booklet shows the Arabic translation's title: the French edit does not change it
    assert "Attendre un enfant" not in _text(_pdf(_get(guide19, "ar")))


def test_the_index_and_situation_pages_link_the_booklet_in_each_available_language(guide19):
    client = Client(HTTP_HOST=HOST19)
    index = _index(guide19)
    situation = LifeSituationPage.objects.get(mairie=guide19.mairies["paris19"], slug="avoir-un-enfant",
                                              locale__language_code="fr")
    for page in (index, situation):
        html = client.get(page.url).content.decode()
        assert "Télécharger le livret (PDF)" in html
        for code in ("fr", "ar", "zh-hans"):
            assert f'{index.get_url_parts()[2]}livret/?lang={code}"' in html
        assert "?lang=wo" not in html  # no Wolof guide yet
    assert client.post(index.url + "livret/").status_code == 405


def test_the_booklet_reads_no_file_nor_server_its_content_names(tmp_path):
    """Content that names a resource (an image of this machine, a stylesheet elsewhere) loads nothing."""
    from PIL import Image

    from guide.booklet import write_pdf

    picture = tmp_path / "secret.png"
    Image.new("RGB", (40, 40), "red").save(picture)
    pdf = PdfReader(io.BytesIO(write_pdf(
        f'<html><head><link rel="stylesheet" href="http://127.0.0.1:9/x.css"></head>'
        f'<body><p>Texte</p><img src="file://{picture}" alt=""><img src="{picture}" alt=""></body></html>')))
    images = [name for page in pdf.pages for name in ((page.get("/Resources") or {}).get("/XObject") or {})]
    assert images == []
    assert "Texte" in _text(pdf)
