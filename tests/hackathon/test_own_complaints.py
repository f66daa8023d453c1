"""A resident sees their own complaints (online, and the letters an agent digitised under their account) with
what became of them, on a page and through the API; never anyone else's."""

import datetime as dt

import pytest

from hackathon import services
from hackathon.models import Complaint
from tests.conftest import HOST20, api_as, client_as
from tests.factories import agent, resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(mairie19, resident19):
    return services.complaint_submit(user=resident19, mairie=mairie19, subject="Le square est fermé le dimanche",
                                     full_text="Depuis trois semaines, le portail reste fermé.")


def test_my_complaint_through_the_api_and_not_someone_elses(mine, resident19, mairie19, api19):
    other = services.complaint_submit(user=resident(mairie19, username="voisin-plainte"), mairie=mairie19,
                                      subject="Le bruit", full_text="La nuit.")
    own = api_as(resident19).get(f"/api/hackathon/complaints/{mine.pk}/")
    assert own.status_code == 200, own.json()
    assert own.json()["subject"] == "Le square est fermé le dimanche" and own.json()["issue"] is None
    assert "contact" not in own.json()
    assert api_as(resident19).get(f"/api/hackathon/complaints/{other.pk}/").status_code == 404
    assert api_as(resident19).get("/api/hackathon/complaints/").status_code == 403  # the list stays the agents'
    assert api19.get(f"/api/hackathon/complaints/{mine.pk}/").status_code in (401, 403)
    listed = api_as(resident19).get("/api/hackathon/complaints/mine/").json()
    assert [c["id"] for c in listed] == [mine.pk]
    staff = api_as(agent(mairie19, username="agent-plaintes")).get(f"/api/hackathon/complaints/{mine.pk}/").json()
    assert "contact" in staff  # the agents' view is unchanged


def test_a_letter_digitised_under_my_account_and_its_issue(mine, resident19, mairie19, mairie20):
    from tests.factories.hackathon import issue_with_complaints

    clerk = agent(mairie19, username="agent-courrier")
    letter = services.complaint_record(actor=clerk, mairie=mairie19, channel=Complaint.Channel.PAPER,
                                       received_on=dt.date(2026, 12, 1), subject="Courrier papier", full_text="Écrit à la main.",
                                       author_account=resident19.username.upper())
    assert letter.personal.author == resident19
    issue = issue_with_complaints(mairie19, 1, title="Horaires des squares")
    services.complaint_group(actor=clerk, complaint=mine, issue=issue)
    page = client_as(resident19).get("/service-lab/mes-courriers/").content.decode()
    assert "Courrier papier" in page and "Le square est fermé le dimanche" in page
    assert issue.is_public() and "Horaires des squares" in page
    issue.is_hidden = True
    issue.save(update_fields=["is_hidden"])
    page = client_as(resident19).get("/service-lab/mes-courriers/").content.decode()
    assert "Horaires des squares" not in page and "que les agents préparent" in page
    hidden = api_as(resident19).get(f"/api/hackathon/complaints/{mine.pk}/").json()["issue"]
    assert hidden["title"] is None
    listed = api_as(resident19, host=HOST20).get("/api/hackathon/complaints/mine/").json()  # every mairie
    assert {c["id"] for c in listed} == {mine.pk, letter.pk}
    assert client_as(resident(mairie20, username="autre-20")).get("/service-lab/mes-courriers/").content.decode().count(
        "Courrier n°") == 0


def test_the_agents_form_records_a_letter_under_an_account_by_email(resident19, mairie19):
    clerk = client_as(agent(mairie19, username="agent-guichet"))
    form = {"received_on": "2026-12-01", "channel": Complaint.Channel.PAPER, "subject": "Lettre remise au guichet",
            "full_text": "Le trottoir est défoncé.", "author_account": resident19.email.upper()}
    response = clerk.post("/service-lab/agents/courriers/nouveau/", form)
    assert response.status_code == 302
    letter = Complaint.objects.get(personal__subject="Lettre remise au guichet")
    assert letter.personal.author == resident19
    assert "Lettre remise au guichet" in client_as(resident19).get("/service-lab/mes-courriers/").content.decode()


@pytest.mark.parametrize("who", ["personne-inconnue", "pas-confirme"])
def test_an_unknown_or_unconfirmed_account_is_refused_and_nothing_saved(mairie19, who):
    resident(mairie19, username="pas-confirme", email_confirmed=False)
    api = api_as(agent(mairie19, username="agent-api-courrier"))
    response = api.post("/api/hackathon/complaints/", {"subject": "Lettre", "full_text": "Texte.",
                                                       "received_on": "2026-12-01", "author_account": who},
                        format="json")
    assert response.status_code == 400 and "author_account" in str(response.json())
    assert not Complaint.objects.exists()
