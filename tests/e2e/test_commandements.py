"""Browser: a resident proposes a new wording, an agent supports it, an editor adopts it on the
site and publishes the draft in the Wagtail admin; the public page shows the new wording and its
history."""

from cms.models import Mairie
from tests.factories import agent, editor, resident
from tests.factories.commandements import make_charter

NEW_WORDING = "Vous attendez votre tour avec un livre, et vous cédez votre place à qui est pressé."


def test_an_amendment_goes_from_proposal_to_the_published_charter(e2e_ctx, new_page, page_as):
    mairie = Mairie.objects.get(slug="paris19")
    resident(mairie, username="awa")
    agent(mairie, username="karim")
    charter = make_charter(mairie, user=editor(mairie, username="lucie"))
    base = f"{e2e_ctx.url}{charter.path_on_site()}"

    # A resident proposes a new wording of commandement 2.
    page = page_as("awa", base)
    page.get_by_role("link", name="Proposer une nouvelle formulation du n° 2").click()
    page.get_by_label("Engagement de l'habitant·e").fill(NEW_WORDING)
    page.get_by_label("Pourquoi ce changement ?").fill("Céder sa place se voit et se fait.")
    page.get_by_role("button", name="Publier mon amendement").click()
    page.get_by_text("Votre amendement est publié").wait_for()
    amendment_url = page.url
    assert "Habitant·e" in page.inner_text("main")

    # An agent supports it.
    agent_page = page_as("karim", amendment_url)
    agent_page.get_by_role("button", name="Soutenir").click()
    agent_page.get_by_role("button", name="Retirer mon soutien").wait_for()
    assert "1 soutien" in agent_page.inner_text(".participation-panel")

    # An editor adopts it into a draft, then publishes the draft in the Wagtail admin.
    editor_page = page_as("lucie", amendment_url)
    editor_page.get_by_role("button", name="Adopter dans un nouveau brouillon").click()
    editor_page.get_by_text("Amendement adopté : un nouveau brouillon").wait_for()
    editor_page.goto(base + "commandement/2/")
    assert NEW_WORDING not in editor_page.locator(".pair").inner_text()  # a draft is not public
    editor_page.goto(amendment_url)
    editor_page.get_by_role("link", name="Relire et publier le brouillon dans l'administration").click()
    assert editor_page.locator("textarea[name='commandements-1-resident_commitment']").input_value() == NEW_WORDING
    editor_page.get_by_text("1 amendement adopté attend d'être publié").wait_for()
    editor_page.locator("footer.footer [data-w-dropdown-target='toggle']").click()
    editor_page.locator("footer.footer button[name='action-publish']").click()
    editor_page.get_by_text("a été publiée").wait_for()

    # Everyone sees the new wording, written with one contribution, and its history.
    public = new_page()
    public.goto(base)
    item = public.locator("#commandement-2")
    assert NEW_WORDING in item.inner_text()
    assert "Écrit avec 1 contribution" in item.inner_text()
    item.get_by_role("link", name="Historique, amendements et comptes rendus du n° 2").click()
    history = public.locator("ol.history").inner_text()
    assert "Version 2" in history and "Version 1" in history
    assert "Formulation d'origine." in history and "Issue de" in history
    assert "Vous vous engagez, n° 2." in history
