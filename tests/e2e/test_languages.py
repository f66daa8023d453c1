"""The language switcher in a browser (locale fr-FR): it keeps the visitor on the same page, in the
translation's own URL when there is one; Arabic is right-to-left and passes axe-core."""

from wagtail.models import Page

from cms.content_translation import translate
from cms.models import StandardPage
from tests.e2e.test_accessibility import audit, watch, with_axe


def _translated_page(ctx):
    home = Page.objects.get(pk=ctx.mairies["paris19"].site.root_page_id)
    page = home.add_child(instance=StandardPage(title="Notre mairie", slug="notre-mairie",
                                                intro="La mairie et vous."))
    page.save_revision().publish()
    translate(page, "en", {"Notre mairie": "Our mairie", "notre-mairie": "our-mairie",
                           "La mairie et vous.": "The mairie and you."})


def test_the_switcher_keeps_the_page_and_arabic_is_right_to_left(e2e_ctx, new_page):
    _translated_page(e2e_ctx)
    page = with_axe(new_page())
    problems = watch(page)
    page.goto(f"{e2e_ctx.url}/notre-mairie/")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.get_by_role("button", name="English").click()
    page.wait_for_url("**/our-mairie/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("heading", name="Our mairie").wait_for()
    assert page.get_by_text("The mairie and you.").is_visible()

    page.get_by_role("button", name="العربية").click()
    page.wait_for_url("**/our-mairie/")  # not translated into Arabic: the same address, in French
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl")
    assert page.locator("main").get_attribute("lang") == "fr"
    page.get_by_role("heading", name="Notre mairie").wait_for()
    # The layout mirrors: the brand starts on the right.
    box = page.locator(".brand").bounding_box()
    assert box["x"] > page.viewport_size["width"] / 2
    assert audit(page) + problems == []

    page.get_by_role("button", name="Français").click()
    page.wait_for_url("**/notre-mairie/")
    assert page.locator("html").get_attribute("dir") == "ltr"
