"""Open Bricolage through the HTML pages and the API: the public programme (without any agent's
personal details, in the pages, the API and the search), the agents' registration doors and their
refusals, the organisers' counts, doors and admin listings."""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from bricolages.models import EditionFeedback, OpenBricolageEdition, Registration, Workshop
from bricolages.openbricolage import services
from tests.conftest import HOST20, api_as, client_as
from tests.factories import organiser
from tests.factories.bricolages import bricolage
from tests.factories.openbricolage import edition, move_edition_to_the_past, workshop

LEADER = "Lucienne Bricoleuse"
FEEDBACK = "Le tableur m'a fait gagner une heure par semaine"


@pytest.fixture
def leader(mairie19):
    from tests.factories import agent

    return agent(mairie19, username="lucienne", display_name=LEADER)


@pytest.fixture
def tool(leader):
    return bricolage(leader, title="Tableur de file d'attente")


@pytest.fixture
def day(organiser19):
    return edition(organiser19)


@pytest.fixture
def atelier(organiser19, day, tool):
    return workshop(organiser19, day, tool, capacity=1, title="Atelier tableur")


def _past_with_feedback(day, atelier, agent20):
    services.registration_create(user=agent20, edition=day, workshop=atelier, first_time=True)
    move_edition_to_the_past(day)
    services.feedback_give(user=agent20, edition=day, rating=5, text=FEEDBACK)


# --- the public programme ---------------------------------------------------------------------


def test_the_programme_is_public_without_any_agent_s_name(day, atelier, leader, agent20, client19, resident19):
    services.registration_create(user=agent20, edition=day, workshop=atelier)
    for client in (client19, client_as(resident19)):
        assert client.get("/open-bricolage/").status_code == 200
        page = client.get(day.get_absolute_url()).content.decode()
        assert "Atelier tableur" in page and "Tableur de file d&#x27;attente" in page
        for private in (LEADER, leader.email, agent20.public_name, agent20.email, "lucienne"):
            assert private not in page
        assert tool_link(atelier) not in page  # the bricolage itself stays in the agents' space
    agent_page = client_as(agent20, host=HOST20).get(day.get_absolute_url()).content.decode()
    assert LEADER in agent_page and tool_link(atelier) in agent_page


def tool_link(atelier):
    return f'href="{atelier.bricolage.get_absolute_url()}"'


def test_after_the_day_the_page_lists_the_bricolages_and_the_feedback_to_agents_only(day, atelier, agent20,
                                                                                   client19, agent19):
    _past_with_feedback(day, atelier, agent20)
    public = client19.get(day.get_absolute_url()).content.decode()
    assert "Les bricolages présentés" in public and "Tableur de file d&#x27;attente" in public
    assert "Note moyenne : 5,0 sur 5" in public
    assert FEEDBACK.replace("'", "&#x27;") not in public and agent20.public_name not in public
    agents = client_as(agent19).get(day.get_absolute_url()).content.decode()
    assert FEEDBACK.replace("'", "&#x27;") in agents


def test_the_public_api_gives_the_programme_without_leaders(day, atelier, leader, api19, agent19):
    data = api19.get(f"/api/bricolages/open-bricolage/editions/{day.pk}/").json()
    (entry,) = data["workshops"]
    assert entry["title"] == "Atelier tableur" and entry["bricolage_title"] == "Tableur de file d'attente"
    assert entry["leader"] is None and entry["bricolage"] is None
    assert LEADER not in str(api19.get("/api/bricolages/open-bricolage/editions/").json())
    as_agent = api_as(agent19).get(f"/api/bricolages/open-bricolage/editions/{day.pk}/").json()
    assert as_agent["workshops"][0]["leader"]["name"] == LEADER


def test_search_finds_the_programme_for_everyone_and_never_an_agent_s_name(day, atelier, agent20, api19):
    services.registration_create(user=agent20, edition=day, workshop=atelier)
    call_command("rebuild_search_index", stdout=io.StringIO())
    hits = api19.get("/api/search/", {"q": "tableur"}).json()["results"]
    types = {hit["type"] for hit in hits}
    assert {"bricolages.openbricolage_edition", "bricolages.openbricolage_workshop"} <= types
    assert not [hit for hit in hits if hit["type"] == "bricolages.bricolage"]  # the wiki stays for agents
    for name in ("Lucienne", "Bricoleuse", agent20.public_name):
        assert not [hit for hit in api19.get("/api/search/", {"q": name}).json()["results"]
                    if hit["type"].startswith("bricolages.openbricolage")]
    assert LEADER not in str(hits)


# --- registering through the page -----------------------------------------------------------------


def test_anonymous_go_to_login_and_residents_get_403(day, atelier, client19, resident19):
    url = f"/open-bricolage/{day.pk}/inscription/"
    response = client19.post(url, {"workshop": atelier.pk})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client_as(resident19).post(url, {"workshop": atelier.pk, "first_time": "on"}).status_code == 403
    assert not Registration.objects.exists()


def test_an_agent_of_another_mairie_registers_as_a_first_timer(day, atelier, agent20, organiser19):
    client = client_as(agent20, host=HOST20)
    response = client.post(f"/open-bricolage/{day.pk}/inscription/", {"workshop": atelier.pk, "first_time": "on"})
    assert response.status_code == 302
    registration = Registration.objects.get(agent=agent20)
    assert registration.first_time and registration.workshop == atelier and registration.status == "confirmed"
    again = client.post(f"/open-bricolage/{day.pk}/inscription/", {})
    assert again.status_code == 409 and "déjà inscrit" in again.content.decode()
    page = client_as(organiser19).get(day.get_absolute_url()).content.decode()
    assert "1 agent inscrit" in page and "dont 1 qui n'a jamais utilisé le wiki" in page
    assert agent20.public_name in page


def test_a_past_edition_and_an_unknown_workshop_are_400(day, atelier, agent20, organiser19, tool):
    client = client_as(agent20, host=HOST20)
    other = workshop(organiser19, edition(organiser19, title="Autre"), tool)
    assert client.post(f"/open-bricolage/{day.pk}/inscription/", {"workshop": other.pk}).status_code == 400
    move_edition_to_the_past(day)
    response = client.post(f"/open-bricolage/{day.pk}/inscription/", {"workshop": atelier.pk})
    assert response.status_code == 400 and "passée" in response.content.decode()
    assert not Registration.objects.exists()


def test_cancel_and_feedback_through_the_page(day, atelier, agent20):
    client = client_as(agent20, host=HOST20)
    client.post(f"/open-bricolage/{day.pk}/inscription/", {"workshop": atelier.pk})
    assert client.post(f"/open-bricolage/{day.pk}/annuler/").status_code == 302
    assert Registration.objects.get().status == "cancelled"
    client.post(f"/open-bricolage/{day.pk}/inscription/", {})
    move_edition_to_the_past(day)
    assert client.post(f"/open-bricolage/{day.pk}/retour/", {"retour-rating": "9", "retour-text": "x"}).status_code == 400
    assert client.post(f"/open-bricolage/{day.pk}/retour/", {"retour-rating": "4", "retour-text": FEEDBACK}
                       ).status_code == 302
    assert EditionFeedback.objects.get().rating == 4


# --- organisers' doors ----------------------------------------------------------------------------


def test_organisers_create_and_edit_through_the_pages(organiser19, agent19, tool, leader, client19):
    assert client_as(agent19).get("/open-bricolage/nouvelle/").status_code == 403
    assert client19.get("/open-bricolage/nouvelle/").status_code == 302
    client = client_as(organiser19)
    assert client.post("/open-bricolage/nouvelle/", {"title": ""}).status_code == 400
    response = client.post("/open-bricolage/nouvelle/", {
        "title": "Open Bricolage 2028", "date": "2099-04-15", "place": "Préau", "description": "Venez !",
        "capacity": "20"})
    assert response.status_code == 302
    created = OpenBricolageEdition.objects.get(title="Open Bricolage 2028")
    response = client.post(f"/open-bricolage/{created.pk}/ateliers/nouveau/", {
        "title": "Tableur", "description": "Essayer.", "starts_at": "10:00", "capacity": "5",
        "leader": leader.pk, "bricolage": tool.pk})
    assert response.status_code == 302
    made = Workshop.objects.get(edition=created)
    assert made.leader == leader
    assert client.post(f"/open-bricolage/ateliers/{made.pk}/modifier/", {
        "title": "Tableur avancé", "description": "Essayer.", "starts_at": "11:00", "capacity": "6",
        "leader": leader.pk, "bricolage": tool.pk}).status_code == 302
    assert Workshop.objects.get(pk=made.pk).title == "Tableur avancé"
    assert client.get(f"/open-bricolage/{created.pk}/modifier/").status_code == 200


# --- API -----------------------------------------------------------------------------------------


def test_api_register_twice_past_resident_and_other_mairie(day, atelier, agent20, resident19, api19, agent19):
    url = f"/api/bricolages/open-bricolage/editions/{day.pk}/register/"
    assert api19.post(url, {}, format="json").status_code == 401
    assert api_as(resident19).post(url, {"workshop": atelier.pk}, format="json").status_code == 403
    client = api_as(agent20, host=HOST20)
    created = client.post(url, {"workshop": atelier.pk, "first_time": True}, format="json")
    assert created.status_code == 201 and created.json()["first_time"] is True
    assert client.post(url, {}, format="json").status_code == 409
    waiting = api_as(agent19).post(url, {"workshop": atelier.pk}, format="json")
    assert waiting.status_code == 201 and waiting.json()["status"] == "waiting" and waiting.json()["position"] == 1
    assert api_as(agent19).post(url, {"workshop": 10**12}, format="json").status_code == 400
    move_edition_to_the_past(day)
    Registration.objects.filter(agent=agent19).delete()
    past = api_as(agent19).post(url, {"workshop": atelier.pk}, format="json")
    assert past.status_code == 400 and past.json()["code"] == "edition_past"
    assert Registration.objects.count() == 1


def test_api_organisers_see_counts_and_registrants(day, atelier, agent20, organiser19, agent19):
    services.registration_create(user=agent20, edition=day, workshop=atelier, first_time=True)
    url = f"/api/bricolages/open-bricolage/editions/{day.pk}/registrations/"
    assert api_as(agent19).get(url).status_code == 403
    data = api_as(organiser19).get(url).json()
    assert (data["registrations"], data["first_timers"], data["waiting"]) == (1, 1, 0)
    assert data["registrants"][0]["agent"]["name"] == agent20.public_name


def test_api_organisers_create_editions_and_workshops(organiser19, agent19, tool, leader, mairie20):
    payload = {"title": "Open Bricolage 2030", "date": "2099-04-15", "place": "Préau", "description": "Venez",
               "capacity": 10}
    assert api_as(agent19).post("/api/bricolages/open-bricolage/editions/", payload, format="json").status_code == 403
    created = api_as(organiser19).post("/api/bricolages/open-bricolage/editions/", payload, format="json")
    assert created.status_code == 201
    pk = created.json()["id"]
    other_orga = api_as(organiser(mairie20), host=HOST20)  # the edition is the 19e's: not theirs to change
    assert other_orga.patch(f"/api/bricolages/open-bricolage/editions/{pk}/", {"capacity": 12},
                            format="json").status_code == 403
    assert api_as(organiser19).patch(f"/api/bricolages/open-bricolage/editions/{pk}/", {"capacity": 12},
                                     format="json").status_code == 200
    workshop_payload = {"edition": pk, "title": "Tableur", "description": "Essayer", "starts_at": "10:00",
                        "capacity": 4, "leader": leader.pk, "bricolage": tool.pk}
    made = api_as(organiser19).post("/api/bricolages/open-bricolage/workshops/", workshop_payload, format="json")
    assert made.status_code == 201 and made.json()["leader"]["name"] == LEADER
    bad = api_as(organiser19).post("/api/bricolages/open-bricolage/workshops/",
                                   {**workshop_payload, "bricolage": 10**12}, format="json")
    assert bad.status_code == 400 and Workshop.objects.count() == 1


def test_api_schema_lists_the_open_bricolage_endpoints(api19):
    schema = api19.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in ("/api/bricolages/open-bricolage/editions/", "/api/bricolages/open-bricolage/editions/{id}/register/",
                 "/api/bricolages/open-bricolage/editions/{id}/registrations/",
                 "/api/bricolages/open-bricolage/workshops/"):
        assert path in schema


# --- admin listings -----------------------------------------------------------------------------


def test_the_host_organisers_list_and_export_registrations_with_the_first_time_flag(day, atelier, agent20,
                                                                                 organiser19, mairie20):
    services.registration_create(user=agent20, edition=day, workshop=atelier, first_time=True)
    client = client_as(organiser19)
    assert day.title in client.get("/admin/bricolages_openbricolage_editions/").content.decode()
    exported = client.get("/admin/bricolages_openbricolage_registrations/?export=csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(exported.streaming_content).decode())))
    assert [(row["Agent"], row["Atelier"]) for row in rows] == [(agent20.public_name, "Atelier tableur")]
    other = client_as(organiser(mairie20), host=HOST20)
    assert day.title not in other.get("/admin/bricolages_openbricolage_editions/").content.decode()
