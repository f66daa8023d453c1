"""/api/accueil/: public services, tickets and hall screen; the counters for the mairie's agents."""

import pytest
from django.test import override_settings

from accueil import services
from accueil.models import State, Ticket
from tests.conftest import HOST20, api_as

pytestmark = pytest.mark.django_db


def test_services_are_listed_with_their_estimated_wait(hall19, api19):
    services.ticket_take(service=hall19["casvp"])
    data = {s["slug"]: s for s in api19.get("/api/accueil/services/").json()}
    assert data["casvp"]["waiting"] == 1 and data["casvp"]["open"] is True
    assert data["casvp"]["estimated_wait_minutes"] == 12  # 2 x 12 min over 2 counters


def test_taking_a_ticket_then_reading_it_by_its_token(hall19, api19):
    response = api19.post("/api/accueil/tickets/", {"service": "etat-civil", "email": "awa@example.org"},
                          format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"] == "E001" and body["position"] == 1 and body["url"].endswith(f"/{body['token']}/")
    status = api19.get(f"/api/accueil/tickets/{body['token']}/").json()
    assert status["state"] == "waiting" and "email" not in status and "awa@" not in str(status)


def test_bad_input_is_a_400_and_a_closed_service_a_409(hall19, api19, monday):
    assert api19.post("/api/accueil/tickets/", {"service": "nope"}, format="json").status_code == 400
    response = api19.post("/api/accueil/tickets/", {"service": "casvp", "phone": "123"}, format="json")
    assert response.status_code == 400 and "phone" in response.json()["errors"]
    monday.move_to("2026-12-07 20:00+01:00")
    response = api19.post("/api/accueil/tickets/", {"service": "casvp"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "closed"
    assert not Ticket.objects.exists()


@override_settings(RATELIMITS={"ticket": "2/h"})
def test_taking_tickets_is_rate_limited(hall19, api19):
    codes = [api19.post("/api/accueil/tickets/", {"service": "casvp"}, format="json").status_code for _ in range(3)]
    assert codes == [201, 201, 429]


def test_an_unknown_token_is_a_404_and_another_mairies_ticket_too(hall19, hall20, api19):
    assert api19.get("/api/accueil/tickets/" + "x" * 32 + "/").status_code == 404
    other = services.ticket_take(service=hall20["casvp"])
    assert api19.get(f"/api/accueil/tickets/{other.token}/").status_code == 404


def test_the_agent_calls_serves_and_serving_twice_is_409(hall19, agent19):
    ticket = services.ticket_take(service=hall19["etat-civil"])
    api = api_as(agent19)
    counter = hall19["etat-civil"].counters.first()
    called = api.post(f"/api/accueil/counters/{counter.pk}/call-next/")
    assert called.status_code == 200 and called.json()["number"] == ticket.number
    assert api.post(f"/api/accueil/counters/{counter.pk}/call-next/").status_code == 409
    served = api.post(f"/api/accueil/counters/{counter.pk}/served/", {"ticket": ticket.pk}, format="json")
    assert served.status_code == 200 and served.json()["state"] == "served"
    again = api.post(f"/api/accueil/counters/{counter.pk}/served/", {"ticket": ticket.pk}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_closed"
    empty = api.post(f"/api/accueil/counters/{counter.pk}/call-next/")
    assert empty.status_code == 409 and empty.json()["code"] == "empty_queue"


def test_transfer_through_the_api(hall19, agent19):
    services.ticket_take(service=hall19["etat-civil"])
    api = api_as(agent19)
    counter = hall19["etat-civil"].counters.first()
    api.post(f"/api/accueil/counters/{counter.pk}/call-next/")
    response = api.post(f"/api/accueil/counters/{counter.pk}/transfer/", {"service": "casvp"}, format="json")
    assert response.status_code == 200 and response.json()["number"] == "S001"
    assert Ticket.objects.filter(state=State.TRANSFERRED).count() == 1


def test_the_hall_screen_json_shows_called_numbers_and_no_contact(hall19, agent19, api19):
    services.ticket_take(service=hall19["etat-civil"], email="awa@example.org")
    counter = hall19["etat-civil"].counters.first()
    services.ticket_call_next(counter=counter, user=agent19)
    from accueil.selectors import forget_screen

    forget_screen(counter.mairie_id)  # on_commit does it in production; here the test's transaction never commits
    data = api19.get("/api/accueil/screen/").json()
    assert data["called"][0]["number"] == "E001" and data["called"][0]["counter"] == counter.number
    assert "awa@" not in str(data)


def test_counters_need_an_agent_of_this_mairie(hall19, api19, resident19, agent20):
    counter = hall19["etat-civil"].counters.first()
    assert api19.get("/api/accueil/counters/").status_code == 401
    assert api_as(resident19).post(f"/api/accueil/counters/{counter.pk}/call-next/").status_code == 403
    assert api_as(agent20).post(f"/api/accueil/counters/{counter.pk}/call-next/").status_code == 403  # on the 19e
    # On the 20e's host, the 19e's counter does not exist.
    assert api_as(agent20, host=HOST20).post(f"/api/accueil/counters/{counter.pk}/call-next/").status_code == 404


def test_the_api_is_in_the_schema(api19):
    schema = api19.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/accueil/tickets/" in schema and "/api/accueil/counters/{id}/call-next/" in schema
