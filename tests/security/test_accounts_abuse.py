"""One account per email, supports only from confirmed accounts, and the API's throttles answer
429 with Retry-After and a French message."""

from django.urls import reverse

from cms.models import User
from tests.conftest import api_as, client_as
from tests.factories import resident
from tests.factories.bureau import ProjectFactory, bureau_index


def signup(client, mairie, **overrides):
    data = {"username": "lina", "display_name": "", "email": "lina@example.org", "mairie": mairie.pk,
            "password1": "canal-ourcq-2026!", "password2": "canal-ourcq-2026!", **overrides}
    return client.post(reverse("signup"), data)


def test_one_account_per_email_whatever_the_case(client19, mairie19):
    assert signup(client19, mairie19).status_code == 302
    response = signup(client19, mairie19, username="lina2", email="LINA@Example.ORG")
    assert response.status_code == 302  # the same answer as a new address: the owner gets an email instead
    assert User.objects.filter(email__iexact="lina@example.org").count() == 1
    assert not User.objects.filter(username="lina2").exists()


def test_the_database_refuses_a_second_account_with_the_same_email(mairie19):
    import pytest
    from django.db import IntegrityError, transaction

    resident(mairie19, username="awa", email="awa@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="awa2", email="awa@example.org")


def _project(mairie):
    bureau_index(mairie)
    return ProjectFactory(mairie=mairie)


def test_an_unconfirmed_account_cannot_support_through_the_api(mairie19):
    project = _project(mairie19)
    newcomer = resident(mairie19, username="nouvelle", email_confirmed=False)
    response = api_as(newcomer).post(f"/api/bureau/projects/{project.pk}/vote/")
    assert response.status_code == 403
    assert response.json()["code"] == "unconfirmed"
    assert "Confirmez" in response.json()["detail"]
    project.refresh_from_db()
    assert project.supports_count == 0


def test_an_unconfirmed_account_cannot_support_through_the_html_form(mairie19):
    project = _project(mairie19)
    newcomer = resident(mairie19, username="nouvelle", email_confirmed=False)
    client = client_as(newcomer)
    response = client.post(reverse("participation-support"), {"target": project.target_ref}, follow=True)
    assert "Confirmez" in response.content.decode()
    project.refresh_from_db()
    assert project.supports_count == 0


def test_a_confirmed_account_can_support(mairie19, resident19):
    project = _project(mairie19)
    response = api_as(resident19).post(f"/api/bureau/projects/{project.pk}/vote/")
    assert response.status_code == 201
    assert response.json()["supports_count"] == 1


def test_api_throttles_answer_429_in_french_with_retry_after(resident19):
    from rest_framework.settings import api_settings

    limit = int(api_settings.DEFAULT_THROTTLE_RATES["write"].split("/")[0])
    api = api_as(resident19)
    for _n in range(limit):
        assert api.post("/api/participation/comments/", {"target": "bureau.project:0", "text": "x"},
                        format="json").status_code != 429
    response = api.post("/api/participation/comments/", {"target": "bureau.project:0", "text": "x"}, format="json")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert response.json()["code"] == "throttled"
    assert "Disponible à nouveau dans" in response.json()["detail"]  # DRF's French catalogue
