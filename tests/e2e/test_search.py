from search.models import SearchEntry


def test_a_visitor_finds_a_demo_page_by_typing_and_by_submitting(e2e_ctx, new_page):
    assert SearchEntry.objects.filter(title="Vie privée et données personnelles").exists()  # indexed on publish
    page = new_page()
    page.goto(f"{e2e_ctx.url}/recherche/")
    box = page.get_by_label("Que cherchez-vous ?")

    # Suggestions while typing (suggest.js): arrows then Enter open the page.
    box.fill("vie pri")
    page.get_by_role("option", name="Vie privée et données personnelles").wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"

    # Without choosing a suggestion, the form submits like any GET form.
    box.fill("donnees conservation")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("heading", name="1 résultat pour « donnees conservation »").wait_for()
    result = page.get_by_role("link", name="Vie privée et données personnelles")
    assert "<mark>données</mark>" in result.inner_html()
    result.click()
    page.get_by_role("heading", level=1, name="Vie privée et données personnelles").wait_for()
    assert page.url.endswith("/vie-privee/")
