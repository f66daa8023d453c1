"""Each staff role logs in, lands on the admin's home and sees its own panel with its mairie's
counts (never the other mairie's); the panel and the staff guide pass axe-core."""

import pytest
from django.conf import settings

from tests.e2e.conftest import login
from tests.e2e.guide_screenshots import guide_screenshot
from tests.e2e.test_accessibility import BLOCKING, watch

# The 19e gets two of each, the 20e three: a count of 3, or 5, would come from the 20e.
HOW_MANY = {"paris19": 2, "paris20": 3}
EXPECTED = {
    "editeur": ("editors", "2 amendements en consultation"),
    "organisateur": ("organisers", "2 propositions Occupai à valider ou refuser"),
    "agent": ("agents", "2 courriers sans sujet récurrent"),
}


def audit(page, context):
    """axe-core on our part of an admin page (Wagtail's own chrome is Wagtail's)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context=context)
    return [f"{v['id']} ({v['impact']}): {v['help']}" for v in results.response["violations"]
            if v.get("impact") in BLOCKING]


@pytest.fixture
def waiting_work(e2e_ctx):
    from tests.factories import resident
    from tests.factories.commandements import AmendmentFactory, make_charter
    from tests.factories.hackathon import ComplaintFactory
    from tests.factories.occupai import call_page, index_page, proposal

    for slug, n in HOW_MANY.items():
        mairie = e2e_ctx.mairies[slug]
        author = resident(mairie, username=f"auteur-e2e-{slug}")
        call = call_page(index_page(e2e_ctx.homes[slug]), phase="submission", slug=f"appel-{slug}")
        charter = make_charter(mairie, slug=f"charte-{slug}")
        for i in range(n):
            proposal(call, title=f"Proposée {slug} {i}", author=author, status="submitted")
            AmendmentFactory(charter=charter, mairie=mairie, author=author, number=3 + i)
            ComplaintFactory(mairie=mairie, issue=None)
    return e2e_ctx


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_each_staff_role_lands_on_its_own_panel(username, waiting_work, new_page):
    panel, text = EXPECTED[username]
    page = new_page()
    problems = watch(page)
    login(page, waiting_work.url, username, settings.DEMO_PASSWORD)
    page.wait_for_url("**/compte/")
    page.goto(f"{waiting_work.url}/admin/")
    lines = page.locator(f'[data-mairie-panel="{panel}"]')
    lines.wait_for()
    guide_screenshot(page, f"accueil-{username}")  # the staff guide's, when STAFF_GUIDE_SCREENSHOTS is set
    assert text in lines.inner_text()
    assert page.locator("[data-mairie-panel]").count() == 1  # no other role's panel
    found = audit(page, context=f'section:has([data-mairie-panel="{panel}"])')  # the panel, heading included
    page.get_by_role("link", name=text).first.click()  # leads where the work is done
    page.wait_for_load_state()
    assert page.locator("h1").count() == 1
    page.goto(f"{waiting_work.url}/admin/guide-equipes/")
    page.get_by_role("heading", name="Guide des équipes").first.wait_for()
    found += audit(page, context=".staff-guide")
    page.wait_for_load_state("networkidle")
    shown = page.eval_on_selector_all(".staff-guide img", "imgs => imgs.map(i => i.complete && i.naturalWidth > 0)")
    assert shown and all(shown)  # the guide's screenshots display, none broken
    assert found == [] and problems == []
