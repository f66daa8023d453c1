"""The HTML pages: kiosk and online ticket, the ticket's own page, the hall screen, the counters."""

import pytest

from accueil.models import State, Ticket
from tests.conftest import HOST20, client_as

pytestmark = pytest.mark.django_db


def test_taking_a_ticket_online_leads_to_its_private_page(hall19, client19):
    page = client19.get("/accueil/")
    assert page.status_code == 200 and "État civil" in page.content.decode()
    response = client19.post("/accueil/", {"service": "etat-civil", "lead_minutes": 15})
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/accueil/ticket/{ticket.token}/"
    text = client19.get(response["Location"]).content.decode()
    assert "E001" in text and "position" in text.lower() or "prochain" in text


def test_the_kiosk_takes_a_ticket_and_a_bad_email_is_shown_on_the_form(hall19, client19):
    response = client19.post("/accueil/borne/", {"service": "casvp", "email": "pas-un-email"})
    assert response.status_code == 400 and not Ticket.objects.exists()
    client19.post("/accueil/borne/", {"service": "casvp"})
    assert Ticket.objects.get().channel == "kiosk"


def test_a_closed_service_is_explained_on_the_form(hall19, client19, monday):
    monday.move_to("2026-12-06 10:00+01:00")
    response = client19.post("/accueil/", {"service": "casvp"})
    assert response.status_code == 409 and "ne reçoit pas" in response.content.decode()


def test_the_agent_calls_from_the_counter_page_and_the_ticket_page_says_cest_a_vous(hall19, client19, agent19):
    client19.post("/accueil/", {"service": "etat-civil"})
    ticket = Ticket.objects.get()
    counter = hall19["etat-civil"].counters.first()
    agent = client_as(agent19)
    assert agent.get(f"/accueil/guichets/{counter.pk}/").status_code == 200
    agent.post(f"/accueil/guichets/{counter.pk}/appeler/")
    text = client19.get(f"/accueil/ticket/{ticket.token}/").content.decode()
    assert f"C'est à vous, guichet {counter.number}" in text
    page = agent.get(f"/accueil/guichets/{counter.pk}/").content.decode()
    assert "E001" in page and "Servi" in page
    agent.post(f"/accueil/guichets/{counter.pk}/servi/", {"ticket": ticket.pk})
    again = agent.post(f"/accueil/guichets/{counter.pk}/servi/", {"ticket": ticket.pk}, follow=True)
    assert "déjà clos" in again.content.decode()
    assert Ticket.objects.get().state == State.SERVED


def test_the_hall_screen_is_announced_and_refreshes_without_javascript(hall19, client19):
    text = client19.get("/accueil/ecran/").content.decode()
    assert 'aria-live="polite"' in text and 'http-equiv="refresh"' in text and "accueil/screen.js" in text


def test_residents_and_other_mairies_agents_cannot_reach_counters(hall19, resident19, agent20, client19):
    counter = hall19["etat-civil"].counters.first()
    assert client19.get("/accueil/guichets/").status_code == 302  # to the login page
    assert client_as(resident19).get("/accueil/guichets/").status_code == 403
    assert client_as(resident19).post(f"/accueil/guichets/{counter.pk}/appeler/").status_code == 403
    assert client_as(agent20).get(f"/accueil/guichets/{counter.pk}/").status_code == 403
    assert client_as(agent20, host=HOST20).get(f"/accueil/guichets/{counter.pk}/").status_code == 404


def test_a_ticket_page_needs_its_token_and_its_mairie(hall19, client19, client20):
    client19.post("/accueil/", {"service": "casvp"})
    ticket = Ticket.objects.get()
    assert client19.get("/accueil/ticket/nope/").status_code == 404
    assert client20.get(f"/accueil/ticket/{ticket.token}/").status_code == 404


def test_the_resident_cancels_their_ticket(hall19, client19):
    client19.post("/accueil/", {"service": "casvp", "email": "awa@example.org"})
    ticket = Ticket.objects.get()
    client19.post(f"/accueil/ticket/{ticket.token}/annuler/")
    ticket.refresh_from_db()
    assert ticket.state == State.CANCELLED and ticket.email == ""


def test_contact_details_never_reach_a_public_output(hall19, client19, api19, agent19):
    from accueil import services
    from accueil.selectors import forget_screen

    services.ticket_take(service=hall19["etat-civil"], phone="06 98 76 54 32", email="zquasi@example.org")
    services.ticket_take(service=hall19["etat-civil"], phone="06 11 22 33 44")
    services.ticket_call_next(counter=hall19["etat-civil"].counters.first(), user=agent19)
    forget_screen(hall19["etat-civil"].mairie_id)
    outputs = [client19.get(path).content.decode() for path in ("/accueil/", "/accueil/borne/", "/accueil/ecran/")]
    outputs += [api19.get(path).content.decode() for path in ("/api/accueil/services/", "/api/accueil/screen/")]
    outputs += [api19.get(f"/api/accueil/tickets/{t.token}/").content.decode() for t in Ticket.objects.all()]
    for text in outputs:
        assert "zquasi" not in text and "98 76" not in text and "698765432" not in text and "611223344" not in text
