"""Lockout after repeated failed logins (django-axes): by username and address together, with a
clear French page (429 + Retry-After); nobody can lock a resident out from another address."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD
from tests.security.logins import attempt, client_from, token_after_lockout

pytestmark = pytest.mark.usefixtures("lockout_on")


def test_five_wrong_passwords_lock_the_account_from_that_address(resident19, settings):
    client = client_from("198.51.100.20")
    for _n in range(settings.AXES_FAILURE_LIMIT - 1):
        response = attempt(client, "resident19", "pas-le-bon")
        assert response.status_code == 400
        assert "incorrect" in response.content.decode()
    response = attempt(client, "resident19", "pas-le-bon")
    assert response.status_code == 429
    body = response.content.decode()
    assert "Connexion temporairement bloquée" in body
    assert "15 minutes" in body
    assert 'role="alert"' in body
    assert response["Retry-After"] == str(15 * 60)
    # Even the right password is refused while locked.
    response = attempt(client, "resident19", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_an_attacker_cannot_lock_a_resident_out_from_elsewhere(resident19, settings):
    attacker = client_from("203.0.113.66")
    for _n in range(settings.AXES_FAILURE_LIMIT + 1):
        attempt(attacker, "resident19", "devinette")
    assert attempt(attacker, "resident19", PASSWORD).status_code == 429
    resident = client_from("198.51.100.21")
    response = attempt(resident, "resident19", PASSWORD)
    assert response.status_code == 302
    assert resident.get(reverse("account")).status_code == 200


def test_the_lock_ends_after_the_cool_off(resident19, settings):
    client = client_from("198.51.100.22")
    for _n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "resident19", "pas-le-bon")
    assert attempt(client, "resident19", PASSWORD).status_code == 429
    with time_machine.travel(timezone.now() + timedelta(minutes=16), tick=False):
        assert attempt(client, "resident19", PASSWORD).status_code == 302


def test_a_success_resets_the_failure_count(resident19, settings):
    client = client_from("198.51.100.23")
    for _n in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "resident19", "pas-le-bon")
    assert attempt(client, "resident19", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _n in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "resident19", "pas-le-bon").status_code == 400
    assert attempt(client, "resident19", PASSWORD).status_code == 302


def test_the_api_token_endpoint_is_covered_by_the_same_lockout(resident19, settings):
    response = token_after_lockout(settings, "198.51.100.24")
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"
    assert "token" not in response.json()


def test_logging_in_by_email_is_covered_too(resident19, settings):
    client = client_from("198.51.100.26")
    for _n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, resident19.email, "pas-le-bon")
    assert attempt(client, resident19.email, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_wagtail_admin_login_is_no_way_around(agent19):
    """Wagtail's own login form would skip the lockout's field and the second factor: it sends to ours."""
    client = client_from("198.51.100.25")
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302 and response.url == f"{reverse('login')}?next=/admin/pages/"
    response = client.post("/admin/login/", {"username": "agent19", "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").url.startswith(reverse("login"))
