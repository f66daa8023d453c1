from cms.models import StandardPage
from search.models import SearchEntry


def test_a_visitor_finds_a_demo_page_by_typing_and_by_submitting(e2e_ctx, new_page):
    # The demo's pages exist before the test (seeded once per test database, its index emptied):
    # publishing one indexes it, as an editor's publish would.
    about = StandardPage.objects.child_of(e2e_ctx.homes["paris19"]).get(slug="a-propos")
    about.save_revision().publish()
    assert SearchEntry.objects.filter(title="À propos de la plateforme").exists()  # indexed on publish
    page = new_page()
    page.goto(f"{e2e_ctx.url}/recherche/")
    box = page.get_by_label("Que cherchez-vous ?")

    # Suggestions while typing (suggest.js): arrows then Enter open the page.
    box.fill("platef")
    page.get_by_role("option", name="À propos de la plateforme").wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"

    # Without choosing a suggestion, the form submits like any GET form.
    box.fill("plateforme reinvente")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("heading", name="1 résultat pour « plateforme reinvente »").wait_for()
    result = page.get_by_role("link", name="À propos de la plateforme")
    assert "<mark>plateforme</mark>" in result.inner_html()
    result.click()
    page.get_by_role("heading", level=1, name="À propos de la plateforme").wait_for()
    assert page.url.endswith("/a-propos/")
