"""Open Bricolage tried as a stranger would: who may change an edition hosted by another mairie,
odd ids in every route (404 or 400, never 500), replayed POSTs, huge numbers, feedback too early or
by an agent who did not come, the waiting list when a seat frees, and no agent's name or email in
what the public reads (page, API, search)."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from bricolages.models import BricolagePage, EditionFeedback, OpenBricolageEdition, Registration, Workshop
from bricolages.openbricolage import services
from cms.errors import NotAllowed
from participation.models import Notification
from tests.conftest import HOST20, api_as, client_as
from tests.factories import agent, organiser
from tests.factories.bricolages import bricolage
from tests.factories.openbricolage import edition, move_edition_to_the_past, workshop

Status = Registration.Status
API = "/api/bricolages/open-bricolage"
ODD_IDS = ("0", str(2**31), str(2**63 - 1), str(2**63), str(2**64), "9" * 30)
LEADER = "Gaspard Outilleur"


@pytest.fixture
def leader(mairie19):
    return agent(mairie19, username="gaspard", display_name=LEADER, email="gaspard@example.org")


@pytest.fixture
def tool(leader):
    return bricolage(leader, title="Tableur des rendez-vous")


@pytest.fixture
def day(organiser19):
    return edition(organiser19, capacity=1)


@pytest.fixture
def atelier(organiser19, day, tool):
    return workshop(organiser19, day, tool, capacity=1, title="Atelier rendez-vous")


@pytest.fixture
def orga20(mairie20):
    return organiser(mairie20, username="orga20-ob")


# --- the host mairie's organisers change an edition; another mairie's may not ----------------------


def test_another_mairie_s_organiser_may_not_change_the_edition_nor_its_workshops(day, atelier, orga20, tool):
    for attempt in (lambda: services.edition_update(actor=orga20, edition=day, place="Ailleurs"),
                    lambda: services.workshop_update(actor=orga20, workshop=atelier, title="Détourné"),
                    lambda: workshop(orga20, day, tool, title="Intrus")):
        with pytest.raises(NotAllowed) as refused:
            attempt()
        assert refused.value.code == "not_host"
    day.refresh_from_db()
    atelier.refresh_from_db()
    assert (day.place, atelier.title, Workshop.objects.count()) == ("Salle des fêtes", "Atelier rendez-vous", 1)


def test_another_mairie_s_organiser_gets_403_on_the_pages_even_with_bad_input(day, atelier, orga20):
    client = client_as(orga20, host=HOST20)
    for url in (reverse("bricolages:openbricolage-edit", args=[day.pk]),
                reverse("bricolages:openbricolage-workshop-create", args=[day.pk]),
                reverse("bricolages:openbricolage-workshop-edit", args=[atelier.pk])):
        assert client.get(url).status_code == 403
        assert client.post(url, {"title": "", "capacity": "-4"}).status_code == 403
    page = client.get(day.get_absolute_url()).content.decode()
    assert reverse("bricolages:openbricolage-edit", args=[day.pk]) not in page
    assert 'id="comptes"' not in page  # the registrants are the host's


def test_another_mairie_s_organiser_gets_403_in_the_api_before_validation(day, atelier, orga20, agent20, leader,
                                                                          tool):
    services.registration_create(user=agent20, edition=day, workshop=atelier)
    api = api_as(orga20, host=HOST20)
    assert api.patch(f"{API}/editions/{day.pk}/", {"capacity": 10**9}, format="json").status_code == 403
    assert api.get(f"{API}/editions/{day.pk}/registrations/").status_code == 403
    assert api.patch(f"{API}/workshops/{atelier.pk}/", {"capacity": "x"}, format="json").status_code == 403
    refused = api.post(f"{API}/workshops/", {"edition": day.pk, "title": "Intrus", "description": "Non",
                                             "starts_at": "11:00", "capacity": 3, "leader": leader.pk,
                                             "bricolage": tool.pk}, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "not_host"
    assert Workshop.objects.count() == 1


def test_an_organiser_of_another_mairie_announces_an_edition_their_mairie_hosts(orga20, mairie20, organiser19):
    hosted = edition(orga20, title="Open Bricolage du 20e")
    assert hosted.mairie == mairie20
    services.edition_update(actor=orga20, edition=hosted, place="Préau du 20e")
    with pytest.raises(NotAllowed):
        services.edition_update(actor=organiser19, edition=hosted, place="Chez nous")


# --- odd ids: 404 or 400, never 500 ------------------------------------------------------------------


@pytest.mark.parametrize("pk", ODD_IDS)
def test_odd_ids_in_the_pages_are_404(pk, organiser19):
    client = client_as(organiser19)
    for path in ("", "modifier/", "ateliers/nouveau/"):
        assert client.get(f"/open-bricolage/{pk}/{path}").status_code == 404
    for path in ("inscription/", "annuler/", "retour/", "modifier/"):
        assert client.post(f"/open-bricolage/{pk}/{path}", {}).status_code == 404
    assert client.get(f"/open-bricolage/ateliers/{pk}/modifier/").status_code == 404


@pytest.mark.parametrize("pk", ["-1", "abc", "1.5", "%20"])
def test_ids_that_are_not_numbers_match_no_page(pk, organiser19):
    client = client_as(organiser19)
    assert client.get(f"/open-bricolage/{pk}/").status_code == 404
    assert client.post(f"/open-bricolage/{pk}/inscription/", {}).status_code == 404
    assert client.get(f"/open-bricolage/ateliers/{pk}/modifier/").status_code == 404


@pytest.mark.parametrize("pk", [*ODD_IDS, "-1", "abc"])
def test_odd_ids_in_the_api_are_404(pk, organiser19, agent19):
    organiser_api, agent_api = api_as(organiser19), api_as(agent19)
    assert api_as(agent19).get(f"{API}/editions/{pk}/").status_code == 404
    for action in ("register", "cancel", "feedback"):
        assert agent_api.post(f"{API}/editions/{pk}/{action}/", {"rating": 3, "text": "x"},
                              format="json").status_code == 404
    assert agent_api.get(f"{API}/editions/{pk}/feedback/").status_code == 404
    assert organiser_api.get(f"{API}/editions/{pk}/registrations/").status_code == 404
    assert organiser_api.patch(f"{API}/editions/{pk}/", {"place": "X"}, format="json").status_code == 404
    assert organiser_api.patch(f"{API}/workshops/{pk}/", {"title": "X"}, format="json").status_code == 404


@pytest.mark.parametrize("page", ["0", "-1", str(2**63), "9" * 30, "abc"])
def test_odd_pages_of_the_list_are_404_or_400(page, day, api19):
    assert api19.get(f"{API}/editions/", {"page": page}).status_code in (400, 404)
    assert api19.get(f"{API}/editions/", {"page_size": page}).status_code in (200, 400)


@pytest.mark.parametrize("value", [0, -1, 2**63, 2**70, "abc", True, 1.5, [1], {"id": 1}])
def test_odd_ids_in_the_bodies_are_400_and_nothing_is_saved(value, day, atelier, agent20, organiser19, tool,
                                                            leader):
    agent_api = api_as(agent20, host=HOST20)
    assert agent_api.post(f"{API}/editions/{day.pk}/register/", {"workshop": value},
                          format="json").status_code == 400
    organiser_api = api_as(organiser19)
    payload = {"edition": day.pk, "title": "T", "description": "D", "starts_at": "10:00", "capacity": 2,
               "leader": leader.pk, "bricolage": tool.pk}
    for field in ("edition", "leader", "bricolage"):
        assert organiser_api.post(f"{API}/workshops/", {**payload, field: value},
                                  format="json").status_code == 400
    assert organiser_api.patch(f"{API}/workshops/{atelier.pk}/", {"leader": value},
                               format="json").status_code == 400
    assert not Registration.objects.exists() and Workshop.objects.count() == 1


@pytest.mark.parametrize("value", ["0", "-1", str(2**63), "9" * 30, "abc"])
def test_odd_ids_in_the_forms_are_400_and_nothing_is_saved(value, day, atelier, agent20, organiser19):
    client = client_as(agent20, host=HOST20)
    assert client.post(reverse("bricolages:openbricolage-register", args=[day.pk]),
                       {"workshop": value}).status_code == 400
    form = {"title": "T", "description": "D", "starts_at": "10:00", "capacity": "2", "leader": value,
            "bricolage": value}
    organiser_client = client_as(organiser19)
    assert organiser_client.post(reverse("bricolages:openbricolage-workshop-create", args=[day.pk]),
                                 form).status_code == 400
    assert organiser_client.post(reverse("bricolages:openbricolage-workshop-edit", args=[atelier.pk]),
                                 form).status_code == 400
    assert not Registration.objects.exists() and Workshop.objects.count() == 1


# --- huge numbers ------------------------------------------------------------------------------------


@pytest.mark.parametrize("capacity", [0, -5, 501, 2**15, 2**63, 10**40, "1e3", True])
def test_huge_or_odd_capacities_are_400(capacity, day, atelier, organiser19):
    api = api_as(organiser19)
    assert api.patch(f"{API}/editions/{day.pk}/", {"capacity": capacity}, format="json").status_code == 400
    assert api.patch(f"{API}/workshops/{atelier.pk}/", {"capacity": capacity}, format="json").status_code == 400
    client = client_as(organiser19)
    form = {"title": "T", "date": "2099-01-01", "place": "P", "description": "D", "capacity": str(capacity)}
    assert client.post(reverse("bricolages:openbricolage-edit", args=[day.pk]), form).status_code == 400
    assert client.post(reverse("bricolages:openbricolage-create"), form).status_code == 400
    day.refresh_from_db()
    atelier.refresh_from_db()
    assert (day.capacity, atelier.capacity, OpenBricolageEdition.objects.count()) == (1, 1, 1)


@pytest.mark.parametrize("rating", [0, 6, -1, 2**63, 10**40, "5 étoiles", None, True, 4.5])
def test_huge_or_odd_ratings_are_400(rating, day, atelier, agent20):
    services.registration_create(user=agent20, edition=day, workshop=atelier)
    move_edition_to_the_past(day)
    api = api_as(agent20, host=HOST20)
    assert api.post(f"{API}/editions/{day.pk}/feedback/", {"rating": rating, "text": "Bien"},
                    format="json").status_code == 400
    client = client_as(agent20, host=HOST20)
    assert client.post(reverse("bricolages:openbricolage-feedback", args=[day.pk]),
                       {"retour-rating": "" if rating is None else str(rating), "retour-text": "Bien"}
                       ).status_code == 400
    assert not EditionFeedback.objects.exists()


# --- replayed POSTs ----------------------------------------------------------------------------------


def test_replayed_register_cancel_and_feedback(day, atelier, agent20):
    api = api_as(agent20, host=HOST20)
    register = f"{API}/editions/{day.pk}/register/"
    assert api.post(register, {"workshop": atelier.pk}, format="json").status_code == 201
    again = api.post(register, {"workshop": atelier.pk}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_registered"
    page = client_as(agent20, host=HOST20)
    assert page.post(reverse("bricolages:openbricolage-register", args=[day.pk]),
                     {"workshop": atelier.pk}).status_code == 409
    assert api.post(f"{API}/editions/{day.pk}/cancel/", format="json").status_code == 200
    twice = api.post(f"{API}/editions/{day.pk}/cancel/", format="json")
    assert twice.status_code == 409 and twice.json()["code"] == "not_registered"
    assert Registration.objects.get().status == Status.CANCELLED
    # Back after cancelling: one row still, at the end of the queue.
    assert api.post(register, {}, format="json").status_code == 201
    move_edition_to_the_past(day)
    feedback = f"{API}/editions/{day.pk}/feedback/"
    assert api.post(feedback, {"rating": 2, "text": "Bof"}, format="json").status_code == 200
    assert api.post(feedback, {"rating": 5, "text": "Finalement très bien"}, format="json").status_code == 200
    assert [(f.rating, f.text) for f in EditionFeedback.objects.all()] == [(5, "Finalement très bien")]
    assert Registration.objects.count() == 1


# --- feedback: from the day on, by those who had a seat -----------------------------------------------


def test_feedback_before_the_day_is_400_and_by_who_did_not_come_403(day, atelier, agent19, agent20, mairie20):
    services.registration_create(user=agent20, edition=day, workshop=atelier)  # the seat
    services.registration_create(user=agent19, edition=day, workshop=atelier)  # waits, never promoted
    quitter = agent(mairie20, username="quitter-ob")
    services.registration_create(user=quitter, edition=day)
    services.registration_cancel(user=quitter, edition=day)
    stranger = agent(mairie20, username="stranger-ob")
    body = {"rating": 4, "text": "Super"}
    early = api_as(agent20, host=HOST20).post(f"{API}/editions/{day.pk}/feedback/", body, format="json")
    assert early.status_code == 400 and early.json()["code"] == "too_early"
    move_edition_to_the_past(day)
    for user in (agent19, quitter, stranger):
        refused = api_as(user).post(f"{API}/editions/{day.pk}/feedback/", body, format="json")
        assert refused.status_code == 403 and refused.json()["code"] == "not_registered"
    assert not EditionFeedback.objects.exists()


# --- the waiting list when a seat frees -----------------------------------------------------------------


def test_a_cancelled_workshop_seat_goes_to_the_first_waiting_for_that_workshop_only(day, atelier, agent19, agent20,
                                                                                   mairie20):
    first, second = agent(mairie20, username="first-ob"), agent(mairie20, username="second-ob")
    services.registration_create(user=agent20, edition=day, workshop=atelier)
    services.registration_create(user=first, edition=day, workshop=atelier)
    services.registration_create(user=agent19, edition=day)  # the day's only seat
    services.registration_create(user=second, edition=day)  # waits for the day
    api = api_as(second, host=HOST20)
    assert api.get(f"{API}/editions/{day.pk}/").json()["workshops"][0]["free"] == 0
    assert api_as(agent20, host=HOST20).post(f"{API}/editions/{day.pk}/cancel/", format="json").status_code == 200
    statuses = dict(Registration.objects.values_list("agent__username", "status"))
    assert statuses == {agent20.username: Status.CANCELLED, "first-ob": Status.CONFIRMED,
                        agent19.username: Status.CONFIRMED, "second-ob": Status.WAITING}
    assert Notification.objects.filter(user=first, verb="openbricolage_accepted").exists()
    assert not Notification.objects.filter(user=second, verb="openbricolage_accepted").exists()
    # The day's seat freed: the one waiting for the day gets it.
    services.registration_cancel(user=agent19, edition=day)
    assert Registration.objects.get(agent=second).status == Status.CONFIRMED


def test_more_seats_promote_those_waiting_in_order(day, atelier, organiser19, agent20, mairie20):
    queue = [agent(mairie20, username=f"queue-ob{n}") for n in range(3)]
    services.registration_create(user=agent20, edition=day, workshop=atelier)
    for user in queue:
        services.registration_create(user=user, edition=day, workshop=atelier)
    assert api_as(organiser19).patch(f"{API}/workshops/{atelier.pk}/", {"capacity": 3},
                                     format="json").status_code == 200
    assert [r.agent.username for r in Registration.objects.filter(status=Status.WAITING)] == ["queue-ob2"]
    waiting = api_as(queue[2], host=HOST20).post(f"{API}/editions/{day.pk}/register/", {}, format="json")
    assert waiting.status_code == 409


# --- what the public reads --------------------------------------------------------------------------------


def test_no_agent_name_or_email_in_the_public_page_api_search_and_feedback(day, atelier, leader, agent20, client19,
                                                                          api19, resident19, mairie20):
    services.registration_create(user=agent20, edition=day, workshop=atelier, first_time=True)
    move_edition_to_the_past(day)
    services.feedback_give(user=agent20, edition=day, rating=4, text="Écrit par un agent")
    call_command("rebuild_search_index", stdout=io.StringIO())
    private = (LEADER, leader.email, leader.username, agent20.public_name, agent20.email, agent20.username,
               "Écrit par un agent")
    outputs = []
    for client in (client19, client_as(resident19)):
        outputs += [client.get("/open-bricolage/"), client.get(day.get_absolute_url()),
                    client.get("/recherche/?q=tableur")]
    for api in (api19, api_as(resident19)):
        outputs += [api.get(f"{API}/editions/"), api.get(f"{API}/editions/{day.pk}/"),
                    api.get("/api/search/?q=tableur")]
    assert all(response.status_code == 200 for response in outputs), [r.status_code for r in outputs]
    for response in outputs:
        text = response.content.decode()
        for secret in private:
            assert secret not in text, (response.wsgi_request.path, secret)
    assert "Atelier rendez-vous" in outputs[1].content.decode()
    assert "Atelier rendez-vous" in outputs[2].content.decode()  # the search finds the programme
    assert "bricolages.openbricolage_workshop" in outputs[-1].content.decode()
    # The feedback texts and the registrants are never for the public.
    assert api19.get(f"{API}/editions/{day.pk}/feedback/").status_code == 401
    assert api_as(resident19).get(f"{API}/editions/{day.pk}/feedback/").status_code == 403
    assert api_as(resident19).get(f"{API}/editions/{day.pk}/registrations/").status_code == 403


def test_a_bricolage_hidden_since_leaves_the_public_programme(day, atelier, tool, client19, api19, agent19):
    def programme_hits():
        call_command("rebuild_search_index", stdout=io.StringIO())
        return [hit for hit in api19.get("/api/search/", {"q": "tableur"}).json()["results"]
                if hit["type"].startswith("bricolages.openbricolage")]

    assert programme_hits()
    BricolagePage.objects.filter(pk=tool.pk).update(is_hidden=True)
    assert not programme_hits()
    assert "Tableur des rendez-vous" not in client19.get(day.get_absolute_url()).content.decode()
    assert "Tableur des rendez-vous" not in client_as(agent19).get(day.get_absolute_url()).content.decode()
    for api in (api19, api_as(agent19)):
        shown = api.get(f"{API}/editions/{day.pk}/").json()["workshops"][0]
        assert (shown["title"], shown["bricolage_title"], shown["bricolage"]) == ("Atelier rendez-vous", None, None)
