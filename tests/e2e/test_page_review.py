"""Page review in the browser (cms.moderation), in the demo's 20e (cms.demo.seed_review: review on, two
editors): one editor edits a page and submits it; she has no approve action; the other editor finds it
on his admin home, approves it from the page's editor, and the public page shows the new text."""

from django.conf import settings

from cms.demo import seed_review
from cms.models import StandardPage
from tests.e2e.conftest import login
from tests.e2e.guide_screenshots import guide_screenshot
from tests.e2e.test_accessibility import watch

NEW_TITLE = "À propos de la mairie du 20e, relu"


def _open_actions(page):
    """The editor's footer: the arrow beside the main button opens the other actions."""
    page.locator("footer .w-dropdown-button button[aria-expanded]").click()


def _editor(new_page, base, username):
    page = new_page()
    problems = watch(page)
    login(page, base, username, settings.DEMO_PASSWORD)
    page.wait_for_url("**/compte/")
    return page, problems


def test_a_page_is_submitted_by_one_editor_approved_by_another_and_published(e2e_ctx, new_page):
    seed_review(e2e_ctx)
    home = e2e_ctx.homes["paris20"]
    about = StandardPage.objects.get(slug="a-propos", path__startswith=home.path)
    base, edit = e2e_ctx.url20, f"/admin/pages/{about.pk}/edit/"
    old_title = about.title

    author, author_problems = _editor(new_page, base, "editeur20")
    author.goto(base + edit)
    author.locator("#id_title").fill(NEW_TITLE)
    _open_actions(author)
    assert author.locator('button[name="action-publish"]').count() == 0  # no publishing here, only submitting
    guide_screenshot(author, "relecture-soumettre")
    author.locator('button[name="action-submit"]').click()
    author.wait_for_load_state()
    author.goto(base + edit)
    assert author.locator("[data-workflow-action-name]").count() == 0  # she cannot approve her own page
    author.goto(base + "/a-propos/")
    assert author.locator("h1").inner_text() == old_title  # not published yet

    reviewer, reviewer_problems = _editor(new_page, base, "relecteur20")
    reviewer.goto(base + "/admin/")
    line = reviewer.locator('[data-mairie-panel="editors"]').get_by_role("link", name="1 page en modération")
    line.wait_for()
    guide_screenshot(reviewer, "relecture-accueil")
    reviewer.goto(base + edit)
    assert reviewer.locator("#id_title").input_value() == NEW_TITLE
    _open_actions(reviewer)
    approve = reviewer.locator('[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])')
    approve.wait_for()
    guide_screenshot(reviewer, "relecture-approuver")
    with reviewer.expect_navigation():  # the approval publishes the page, then leaves its editor
        approve.click()

    visitor = new_page()
    visitor.goto(base + "/a-propos/")
    assert visitor.locator("h1").inner_text() == NEW_TITLE
    about.refresh_from_db()
    assert about.live and about.title == NEW_TITLE and not about.has_unpublished_changes
    assert author_problems == [] and reviewer_problems == []
