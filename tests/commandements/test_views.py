"""HTML: the charter page, a commandement, the proposal form, an amendment and its decisions,
the signature, the A3 poster and the hall screen."""

import html
import re
from pathlib import Path

from django.contrib.staticfiles import finders

from participation.commandements.models import Amendment, CommitmentReport
from tests.conftest import client_as
from tests.factories.commandements import AmendmentFactory, adopted_amendment

ROOT = "/19-commandements/"


def _text(response):
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def test_the_charter_page_shows_the_19_pairs_and_the_consultation(charter19, client19):
    response = client19.get(ROOT)
    assert response.status_code == 200
    body = _text(response)
    assert body.count('class="commandement"') == 19
    assert body.count("<h1") == 1
    assert "La mairie s'engage, n° 19." in body and "Vous vous engagez, n° 19." in body
    assert "Consultation ouverte" in body
    assert "commandements/commandements.css" in body


def test_the_home_page_links_to_the_charter(charter19, client19):
    assert f'href="{ROOT}"' in client19.get("/").content.decode()


def test_the_20e_has_no_charter_section_link_until_it_publishes(charter19, client20):
    assert ROOT not in client20.get("/").content.decode()


def test_open_amendments_are_listed_under_their_commandement(charter19, resident19, agent19, client19):
    AmendmentFactory(charter=charter19, number=4, author=agent19, author_kind="agent",
                     proposed_mairie_commitment="Proposé par un agent.")
    AmendmentFactory(charter=charter19, number=4, author=resident19, status="withdrawn",
                     proposed_mairie_commitment="Retiré.")
    body = _text(client19.get(ROOT))
    block = body.split('id="commandement-4"')[1].split('id="commandement-5"')[0]
    assert "Proposé par un agent." in block and "Agent de la mairie" in block
    assert "Retiré." not in block


def test_the_commandement_page_shows_history_contributions_and_reports(charter19, resident19, editor19, client19):
    amendment = adopted_amendment(author=resident19, editor=editor19, charter=charter19, number=6,
                                  proposed_resident_commitment="Vous dites tout.", rationale="Simple.")
    CommitmentReport.objects.create(charter=charter19, number=6, text="Suivi affiché en ligne.")
    body = _text(client19.get(f"{ROOT}commandement/6/"))
    assert "Vous dites tout." in body
    assert "Écrit avec 1 contribution" in body
    assert "Version 2" in body and "Version 1" in body and "Formulation d'origine." in body
    assert f"{ROOT}amendements/{amendment.pk}/" in body
    assert "Suivi affiché en ligne." in body
    assert "Écrit avec 1 contribution" in _text(client19.get(ROOT))
    assert client19.get(f"{ROOT}commandement/20/").status_code == 404


def test_propose_through_the_form(charter19, resident19):
    client = client_as(resident19)
    url = f"{ROOT}commandement/2/amender/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "wording", "proposed_resident_commitment": "Vous lisez un livre.",
                                 "rationale": "Pour patienter.", "anonymous": "on"})
    amendment = Amendment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{ROOT}amendements/{amendment.pk}/"
    assert amendment.author_anonymous
    page = _text(client.get(response["Location"]))
    assert "un·e habitant·e du quartier" in page and "Vous lisez un livre." in page
    assert "Retirer mon amendement" in page


def test_the_form_shows_errors_and_saves_nothing(charter19, resident19):
    client = client_as(resident19)
    response = client.post(f"{ROOT}commandement/2/amender/", {
        "kind": "wording", "proposed_mairie_commitment": "x" * 401, "rationale": ""})
    assert response.status_code == 400
    body = _text(response)
    assert 'role="alert"' in body and "au plus 400 caractères" in body
    assert not Amendment.objects.exists()


def test_the_form_asks_anonymous_visitors_to_log_in(charter19, client19):
    response = client19.get(f"{ROOT}commandement/2/amender/")
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]


def test_editors_see_the_decision_forms_others_do_not(charter19, resident19, editor19, agent19):
    amendment = AmendmentFactory(charter=charter19, author=resident19)
    url = f"{ROOT}amendements/{amendment.pk}/"
    assert "Adopter dans un nouveau brouillon" in client_as(editor19).get(url).content.decode()
    assert "Adopter dans un nouveau brouillon" not in client_as(agent19).get(url).content.decode()


def test_adopt_through_html_then_the_editor_is_sent_to_the_admin(charter19, resident19, editor19):
    amendment = AmendmentFactory(charter=charter19, author=resident19)
    client = client_as(editor19)
    response = client.post(f"{ROOT}amendements/{amendment.pk}/adopter/", {"adopt-reason": "Limpide."}, follow=True)
    body = _text(response)
    assert "Amendement adopté" in body
    assert f"/admin/pages/{charter19.pk}/edit/" in body
    amendment.refresh_from_db()
    assert amendment.status == "adopted" and amendment.decision_reason == "Limpide."


def test_adopt_through_html_by_a_resident_is_refused_with_a_message(charter19, resident19, agent19):
    amendment = AmendmentFactory(charter=charter19, author=agent19)
    response = client_as(resident19).post(f"{ROOT}amendements/{amendment.pk}/adopter/", follow=True)
    assert "Seuls les éditeur·rices" in _text(response)
    amendment.refresh_from_db()
    assert amendment.status == "open"


def test_reject_through_html_needs_a_reason(charter19, resident19, editor19, client19):
    amendment = AmendmentFactory(charter=charter19, author=resident19)
    client = client_as(editor19)
    url = f"{ROOT}amendements/{amendment.pk}/rejeter/"
    assert client.post(url, {"reject-reason": ""}).status_code == 400
    client.post(url, {"reject-reason": "Hors du cadre de la charte."})
    body = _text(client19.get(f"{ROOT}amendements/{amendment.pk}/"))
    assert "Non retenu. Motif :" in body and "Hors du cadre de la charte." in body


def test_actions_are_post_only(charter19, resident19, client19):
    amendment = AmendmentFactory(charter=charter19, author=resident19)
    assert client19.get(f"{ROOT}amendements/{amendment.pk}/adopter/").status_code == 405
    assert client19.get(f"{ROOT}signer/").status_code == 405
    assert client19.post(f"{ROOT}amendements/{amendment.pk}/inconnu/").status_code == 404


def test_hidden_amendments_are_not_shown(charter19, resident19, client19):
    amendment = AmendmentFactory(charter=charter19, author=resident19, is_hidden=True)
    assert client19.get(f"{ROOT}amendements/{amendment.pk}/").status_code == 404


def test_sign_and_withdraw_through_html(charter19, resident19):
    client = client_as(resident19)
    body = _text(client.post(f"{ROOT}signer/", {"action": "sign"}, follow=True))
    assert "<strong>1</strong> personne a signé la charte." in body
    assert "Retirer ma signature" in body
    body = _text(client.post(f"{ROOT}signer/", {"action": "withdraw"}, follow=True))
    assert "Personne n'a encore signé la charte" in body


def test_the_poster_lays_out_19_pairs_for_an_a3_page(charter19, client19):
    response = client19.get(f"{ROOT}affiche/")
    assert response.status_code == 200
    body = _text(response)
    assert body.count('class="poster-item"') == 19
    assert "commandements/poster.css" in body
    css = Path(finders.find("commandements/poster.css")).read_text()
    assert "@page { size: A3 portrait" in css
    assert "@media print" in css


def test_the_screen_view_rotates_through_the_commandements_on_the_hall_s_screen_only(charter19, client19):
    response = client19.get(f"{ROOT}ecran/?n=5&defilement=1")
    body = _text(response)
    assert response.status_code == 200
    assert "La mairie s'engage, n° 5." in body
    assert 'http-equiv="refresh" content="20;url=?n=6&defilement=1"' in body
    assert "commandements/screen.css" in body
    assert 'url=?n=1&defilement=1"' in _text(client19.get(f"{ROOT}ecran/?n=19&defilement=1"))
    assert "n° 1." in _text(client19.get(f"{ROOT}ecran/?n=abc"))
    # A person reading the page turns it with the links: no timed refresh (WCAG 2.2.1).
    assert "http-equiv" not in _text(client19.get(f"{ROOT}ecran/?n=5"))


def test_another_mairies_host_does_not_serve_this_charter(charter19, client20):
    assert client20.get(f"{ROOT}affiche/").status_code == 404
