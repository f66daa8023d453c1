"""Browser: an agent records a paper letter and groups it, an organiser runs the monthly draw,
a resident checks the draw on its page and with the downloaded script."""

import hashlib
import subprocess
import sys
from datetime import timedelta

import time_machine
from django.conf import settings
from django.utils import timezone

from tests.factories.hackathon import ComplaintFactory, IssueFactory


def test_letter_grouping_draw_and_verification(e2e_ctx, new_page, page_as, tmp_path):
    mairie = e2e_ctx.mairies["paris19"]
    issue = IssueFactory(mairie=mairie, title="Justificatifs de domicile refusés")
    for text in ("Facture de téléphone portable refusée comme justificatif de domicile.",
                 "Hébergée chez ma sœur, aucun justificatif de domicile accepté."):
        ComplaintFactory(mairie=mairie, issue=issue, personal__full_text=text)
    password = settings.DEMO_PASSWORD

    agent = page_as("agent", f"{e2e_ctx.url}/service-lab/agents/courriers/nouveau/", password=password)
    agent.get_by_label("Objet").fill("Justificatif de domicile refusé")
    agent.get_by_label("Texte complet").fill("Ma facture de portable n'a pas été acceptée comme justificatif "
                                             "de domicile pour ma carte d'identité.")
    agent.get_by_label("Nom de l'auteur·rice").fill("Madame Exemple")
    agent.get_by_label("Adresse postale").fill("1 rue de l'Exemple\n75019 Paris")
    agent.get_by_role("button", name="Enregistrer le courrier").click()
    agent.get_by_text("enregistré").first.wait_for()
    suggestion = agent.get_by_role("listitem").filter(has_text="Justificatifs de domicile refusés")
    suggestion.get_by_role("button", name="Rattacher ici").click()
    agent.get_by_text("Regroupement enregistré").wait_for()

    organiser = page_as("organisateur", f"{e2e_ctx.url}/service-lab/organisation/", password=password)
    organiser.get_by_label("Source du hasard, annoncée à l'avance").fill(
        "Les 5 numéros du prochain tirage du Loto FDJ, dans l'ordre croissant, séparés par des espaces")
    available_at = timezone.localtime() + timedelta(hours=2)  # the source's value is public from then on
    organiser.get_by_label("Valeur connue à partir du").fill(available_at.strftime("%Y-%m-%dT%H:%M"))
    organiser.get_by_role("button", name="Geler et publier la liste").click()
    organiser.get_by_text("La liste est gelée").wait_for()
    draw_url = organiser.url
    organiser.get_by_label("Valeur publiée par la source").fill("4 11 23 38 45")
    organiser.get_by_role("button", name="Tirer au sort").click()
    organiser.get_by_text("Trop tôt").first.wait_for()  # the value is not public yet: refused
    # The live server runs in this process: move its clock past the announced moment.
    with time_machine.travel(available_at + timedelta(minutes=5), tick=True):
        organiser.get_by_label("Valeur publiée par la source").fill("4 11 23 38 45")
        organiser.get_by_role("button", name="Tirer au sort").click()
        organiser.get_by_text("Le tirage a eu lieu").wait_for()

    visitor = new_page()
    visitor.goto(draw_url)
    visitor.get_by_text("Vérifié : le calcul refait").wait_for()
    assert "Justificatifs de domicile refusés" in visitor.inner_text(".result")
    list_hash = visitor.inner_text("#list-hash").strip()
    seed = visitor.inner_text("#seed").strip()
    record = visitor.request.get(draw_url.rstrip("/") + "/liste.json").body()
    assert hashlib.sha256(record).hexdigest() == list_hash
    assert hashlib.sha256((list_hash + "4 11 23 38 45").encode()).hexdigest() == seed
    with visitor.expect_download() as download:
        visitor.get_by_role("link", name="Télécharger le script de vérification").click()
    script = tmp_path / "verifier.py"
    download.value.save_as(script)
    run = subprocess.run([sys.executable, "-I", str(script)], capture_output=True, text=True, timeout=30,
                         check=False)
    assert run.returncode == 0 and "MATCHES THE PUBLISHED RESULT" in run.stdout, run.stdout + run.stderr
    assert "Madame Exemple" not in visitor.content()
