"""Bricolages in a real browser: an agent of the 19e publishes a tool with two steps and a picture;
an agent of the 20e rates it, comments, records feedback and publishes a variant; a resident
cannot reach any of it."""

import io

from PIL import Image

from bricolages.models import BricolagePage, Feedback, Rating
from tests.e2e.conftest import login
from tests.factories import PASSWORD, agent, resident

TITLE = "Tableur de file d'attente pour l'état civil"
VARIANT = "File d'attente avec écran d'appel"


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (11, 79, 156)).save(buffer, format="PNG")
    return {"name": "grille.png", "mimeType": "image/png", "buffer": buffer.getvalue()}


def test_publish_rate_comment_feedback_variant_and_the_wall(e2e_ctx, page_as):
    agent(e2e_ctx.mairies["paris19"], username="karim", display_name="Karim du 19e")
    agent(e2e_ctx.mairies["paris20"], username="paul", display_name="Paul du 20e")
    resident(e2e_ctx.mairies["paris19"], username="awa")

    # An agent of the 19e publishes a bricolage with two steps, the first with a picture.
    page = page_as("karim", f"{e2e_ctx.url}/")
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Bricolages").click()
    page.get_by_role("link", name="Partager un bricolage").click()
    page.get_by_label("Titre", exact=True).fill(TITLE)
    page.get_by_label("En bref").fill("Un numéro par usager, le bon guichet, l'attente mesurée.")
    page.get_by_label("Le problème résolu").fill("Le samedi, personne ne sait qui est arrivé avant qui.")
    page.get_by_label("Outils utilisés").fill("Tableur, Carnet à souches")
    page.get_by_label("Étiquettes").fill("état civil, accueil")
    first = page.get_by_role("group", name="Étape 1", exact=True)
    first.get_by_label("Ce qu'il faut faire").fill("Ouvrir le modèle et l'enregistrer au nom du jour.")
    first.get_by_label("Image (facultative)").set_input_files(_png())
    first.get_by_label("Texte alternatif de l'image").fill("Une grille de tableur bleue")
    second = page.get_by_role("group", name="Étape 2", exact=True)
    second.get_by_label("Ce qu'il faut faire").fill("Noter l'heure d'arrivée de chaque usager.")
    page.get_by_role("button", name="Publier le bricolage").click()
    page.get_by_role("heading", level=1, name=TITLE).wait_for()
    page.get_by_text("Votre bricolage est publié").wait_for()
    assert page.get_by_role("img", name="Une grille de tableur bleue").is_visible()
    bricolage = BricolagePage.objects.get(title=TITLE)
    assert len(bricolage.step_list) == 2 and bricolage.mairie.slug == "paris19"
    url = bricolage.get_absolute_url()

    # An agent of the 20e finds it on the 20e's address, rates it, comments, records feedback.
    paul = page_as("paul", f"{e2e_ctx.url20}/bricolages/")
    paul.get_by_role("link", name=TITLE).click()
    paul.get_by_label("4 sur 5").check()
    paul.get_by_role("button", name="Enregistrer ma note").click()
    paul.get_by_text("Votre note est enregistrée.").wait_for()
    paul.get_by_label("Votre commentaire").fill("Adopté chez nous, merci pour le modèle !")
    paul.get_by_role("button", name="Publier", exact=True).click()
    paul.get_by_text("Adopté chez nous, merci pour le modèle !").wait_for()
    paul.get_by_label("Ça marche, on l'utilise", exact=True).check()
    paul.get_by_label("Votre retour").fill("Installé en une matinée, l'attente du samedi a baissé.")
    paul.get_by_role("button", name="Enregistrer mon retour").click()
    paul.get_by_text("Merci pour votre retour d'expérience").wait_for()
    paul.get_by_text("En usage dans 1 mairie").wait_for()
    paul.get_by_text("a utilisé l'outil").first.wait_for(state="attached")
    assert Rating.objects.get(bricolage=bricolage).stars == 4
    assert Feedback.objects.get(bricolage=bricolage).mairie.slug == "paris20"

    # ...and publishes a variant, which links back to the original.
    paul.get_by_role("link", name="Créer une variante").click()
    paul.get_by_label("Titre", exact=True).fill(VARIANT)
    third = paul.get_by_role("group", name="Étape 3", exact=True)
    third.get_by_label("Ce qu'il faut faire").fill("Afficher le numéro appelé sur un second écran.")
    paul.get_by_role("button", name="Publier la variante").click()
    paul.get_by_role("heading", level=1, name=VARIANT).wait_for()
    paul.get_by_role("link", name=TITLE).first.wait_for()
    paul.get_by_role("link", name="voir ce qui change par rapport à l'original").click()
    paul.get_by_text("Afficher le numéro appelé sur un second écran.").wait_for()
    variant = BricolagePage.objects.get(title=VARIANT)
    assert variant.variant_of == bricolage and variant.mairie.slug == "paris20"
    assert len(variant.step_list) == 3 and variant.step_list[0]["image"] is not None

    # The author sees the variant from the original.
    page.goto(f"{e2e_ctx.url}{url}")
    page.get_by_role("link", name="1 variante").wait_for()
    page.locator("#famille").get_by_role("link", name=VARIANT).wait_for()

    # A resident reaches none of it, on either address.
    awa = page_as("awa", f"{e2e_ctx.url}/")
    assert awa.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Bricolages").count() == 0
    login(awa, e2e_ctx.url20, "awa", PASSWORD)  # each address has its own session cookie
    for address in (f"{e2e_ctx.url}/bricolages/", f"{e2e_ctx.url}{url}", f"{e2e_ctx.url20}{variant.get_absolute_url()}",
                    f"{e2e_ctx.url}/api/bricolages/"):
        response = awa.goto(address)
        assert response.status == 403, address
        assert TITLE not in awa.content()
