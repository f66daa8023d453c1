"""Explorations in a real browser: an agent of the 19e applies to a day the 20e offers, is accepted,
keeps a logbook with a photo, shares it, publishes a summary, and a bricolage says it was born
from it; a resident cannot reach any of it."""

import io

from PIL import Image

from bricolages.models import BricolagePage, ExplorationApplication, ExplorationSummary, LogbookEntry
from tests.factories import agent, resident
from tests.factories.bricolages import bricolage
from tests.factories.explorations import exploration_day, move_day_to_the_past

SUMMARY = "Orienter dès l'entrée avec des tickets de couleur"


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (29, 107, 47)).save(buffer, format="PNG")
    return {"name": "guichet.png", "mimeType": "image/png", "buffer": buffer.getvalue()}


def test_apply_accept_logbook_share_summary_and_a_bricolage_born_from_it(e2e_ctx, page_as):
    karim = agent(e2e_ctx.mairies["paris19"], username="karim", display_name="Karim du 19e")
    paul = agent(e2e_ctx.mairies["paris20"], username="paul", display_name="Paul du 20e")
    resident(e2e_ctx.mairies["paris19"], username="awa")
    day = exploration_day(paul, service="Accueil du 20e", capacity=1)

    # An agent of the 19e applies to the 20e's day with their goals.
    page = page_as("karim", f"{e2e_ctx.url}/bricolages/")
    page.get_by_role("link", name="Explorations : vis ma vie d'agent").click()
    page.get_by_role("link", name="Accueil du 20e").click()
    page.get_by_label("Vos objectifs").fill("Voir comment le 20e oriente le public dès l'entrée.")
    page.get_by_role("button", name="Candidater").click()
    page.get_by_text("Candidature envoyée").wait_for()
    application = ExplorationApplication.objects.get(day=day, agent=karim)
    assert application.status == "confirmed" and not application.is_accepted

    # The host service accepts them.
    host = page_as("paul", f"{e2e_ctx.url20}{day.get_absolute_url()}")
    host.get_by_role("button", name="Accepter Karim du 19e").click()
    host.get_by_text("Candidature acceptée").wait_for()
    application.refresh_from_db()
    assert application.is_accepted

    # The visitor keeps a logbook with a photo: the host does not see it until it is shared.
    page.goto(f"{e2e_ctx.url}{application.get_absolute_url()}")
    page.get_by_text("Acceptée", exact=True).wait_for()
    page.get_by_label("Note", exact=True).fill("8h30 : le pré-accueil remet un ticket dont la couleur dit le service.")
    page.get_by_label("Photo (facultative)").set_input_files(_png())
    page.get_by_label("Description de la photo").fill("Le guichet d'accueil du 20e")
    page.get_by_role("button", name="Ajouter au carnet").click()
    page.get_by_text("Note ajoutée à votre carnet de bord.").wait_for()
    photo = page.get_by_role("img", name="Le guichet d'accueil du 20e")
    photo.wait_for()
    assert photo.evaluate("img => img.complete && img.naturalWidth > 0")
    host.goto(f"{e2e_ctx.url20}{application.get_absolute_url()}")
    host.get_by_text("Le carnet de bord reste privé").wait_for()
    assert host.get_by_text("le pré-accueil remet un ticket").count() == 0
    page.get_by_role("button", name="Partager mon carnet avec le service").click()
    page.get_by_text("Votre carnet est partagé").first.wait_for()
    host.reload()
    host.get_by_text("le pré-accueil remet un ticket").wait_for()
    assert LogbookEntry.objects.get(application=application).photo_type == "image/png"

    # After the day, the visitor publishes a summary for every agent.
    move_day_to_the_past(day)
    page.reload()
    page.get_by_label("Titre", exact=True).fill(SUMMARY)
    page.get_by_label("Ce que j'ai appris").fill("Des tickets de couleur : moins d'erreurs de file, sans écran.")
    page.get_by_role("button", name="Publier ma synthèse").click()
    page.get_by_role("heading", level=1, name=SUMMARY).wait_for()
    summary = ExplorationSummary.objects.get(application=application)

    # A bricolage says it was born from that exploration; the summary lists it.
    tool = bricolage(paul, title="Tickets de couleur à l'accueil")
    host.goto(f"{e2e_ctx.url20}{tool.get_absolute_url()}")
    host.get_by_text("Ce bricolage est né d'une exploration ?").click()
    host.get_by_label("Synthèse de l'exploration").select_option(label=SUMMARY)
    host.get_by_role("button", name="Enregistrer le lien").click()
    host.get_by_text("Le lien avec l'exploration est enregistré.").wait_for()
    host.get_by_role("link", name=SUMMARY).click()
    host.get_by_role("link", name="Tickets de couleur à l'accueil").wait_for()
    assert BricolagePage.objects.get(pk=tool.pk).born_from == summary

    # A resident reaches none of it.
    awa = page_as("awa", f"{e2e_ctx.url}/bricolages/explorations/")
    assert "Explorations" not in awa.locator("h1").inner_text()
    response = awa.goto(f"{e2e_ctx.url}{summary.get_absolute_url()}")
    assert response.status == 403
