"""Throwaway accounts cannot take part: only an account whose email is confirmed may report,
comment, propose (Bureau project, Occupai proposal, amendment), support or write a complaint
online. Every door says the same thing: 403 "unconfirmed", with how to get a new link."""

import pytest
from django.urls import reverse

from cms.errors import NotAllowed
from hackathon import services as hackathon_services
from hackathon.models import Complaint
from participation import selectors, services
from participation.bureau import services as bureau_services
from participation.bureau.models import Project
from participation.models import Report
from tests.conftest import api_as, client_as
from tests.factories import resident
from tests.factories.bureau import ProjectFactory, bureau_index


@pytest.fixture
def newcomer(mairie19):
    return resident(mairie19, username="nouvelle", email_confirmed=False)


@pytest.fixture
def project(mairie19, resident19):
    bureau_index(mairie19)
    return ProjectFactory(mairie=mairie19, author=resident19)


def _says_how_to_confirm(message):
    message = str(message)
    assert "Confirmez" in message
    assert "nouveau lien" in message and "Mon compte" in message


def test_an_unconfirmed_account_cannot_report(project, newcomer):
    with pytest.raises(NotAllowed) as caught:
        services.report_add(user=newcomer, target=project, reason="spam")
    assert caught.value.code == "unconfirmed"
    _says_how_to_confirm(caught.value.message)
    assert not Report.objects.exists()


def test_an_unconfirmed_account_cannot_comment(project, newcomer):
    with pytest.raises(NotAllowed) as caught:
        services.comment_post(user=newcomer, target=project, text="Bonjour")
    assert caught.value.code == "unconfirmed"
    project.refresh_from_db()
    assert project.comments_count == 0 and selectors.comments_for(project) == []


def test_an_unconfirmed_account_cannot_create_a_bureau_project(mairie19, newcomer):
    data = {"title": "Jardin", "summary": "Un jardin.", "description": "Un jardin partagé.", "role": "resident"}
    with pytest.raises(NotAllowed) as caught:
        bureau_services.project_create(author=newcomer, mairie=mairie19, data=data)
    assert caught.value.code == "unconfirmed"
    assert not Project.objects.exists()


def test_an_unconfirmed_account_cannot_write_a_complaint_online(mairie19, newcomer):
    with pytest.raises(NotAllowed) as caught:
        hackathon_services.complaint_submit(user=newcomer, mairie=mairie19, subject="Trottoir",
                                            full_text="Le trottoir est cassé.")
    assert caught.value.code == "unconfirmed"
    assert not Complaint.objects.exists()


def test_every_kind_of_action_gives_the_same_refusal(project, newcomer):
    """Support and the apps' proposals share the engine's message (one check, one wording)."""
    with pytest.raises(NotAllowed) as support:
        services.support_add(user=newcomer, target=project)
    with pytest.raises(NotAllowed) as comment:
        services.comment_post(user=newcomer, target=project, text="Bonjour")
    assert support.value.code == comment.value.code == "unconfirmed"
    assert str(support.value.message) == str(comment.value.message)
    _says_how_to_confirm(support.value.message)


@pytest.mark.parametrize(("url", "payload"), [
    ("/api/participation/comments/", {"text": "Bonjour"}),
    ("/api/participation/reports/", {"reason": "spam"}),
])
def test_the_api_answers_403_unconfirmed_for_comments_and_reports(project, newcomer, url, payload):
    response = api_as(newcomer).post(url, {"target": project.target_ref, **payload}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "unconfirmed"
    _says_how_to_confirm(response.json()["detail"])
    assert not Report.objects.exists()


def test_the_api_answers_403_unconfirmed_for_a_project_and_a_complaint(mairie19, newcomer):
    bureau_index(mairie19)
    api = api_as(newcomer)
    project = api.post("/api/bureau/projects/", {"title": "Jardin", "summary": "Un jardin.",
                                                 "description": "Un jardin partagé."}, format="json")
    assert project.status_code == 403 and project.json()["code"] == "unconfirmed"
    complaint = api.post("/api/hackathon/complaints/", {"subject": "Trottoir", "full_text": "Cassé."}, format="json")
    assert complaint.status_code == 403 and complaint.json()["code"] == "unconfirmed"
    assert not Project.objects.exists() and not Complaint.objects.exists()


def test_the_html_report_door_shows_the_message_and_saves_nothing(project, newcomer):
    response = client_as(newcomer).post(reverse("participation-report"),
                                        {"target": project.target_ref, "reason": "spam", "next": "/"}, follow=True)
    _says_how_to_confirm(response.content.decode())
    assert not Report.objects.exists()


def test_a_confirmed_account_still_takes_part(project, mairie19):
    neighbour = resident(mairie19)
    services.comment_post(user=neighbour, target=project, text="Bonjour")
    services.report_add(user=neighbour, target=project, reason="spam")
    assert Report.objects.count() == 1
