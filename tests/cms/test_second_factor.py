"""Two-factor for staff (allauth.mfa, cms/second_factor.py), switched on here as in production: a staff
member without a second factor reaches only their account pages, sets one up with a TOTP code, then logs
in with it; they cannot remove it; the API's token endpoint asks staff for a code; residents are free."""

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.conftest import HOST19, client_as
from tests.factories import PASSWORD

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def second_factor_on(settings):
    settings.MFA_REQUIRED_FOR_STAFF = True


def with_totp(user):
    TOTP.activate(user, SECRET)
    return user


def code():
    return pyotp.TOTP(SECRET).now()


@pytest.mark.parametrize("role", ["agent19", "editor19", "organiser19"])
def test_staff_without_a_second_factor_reach_only_their_account(request, role):
    user = request.getfixturevalue(role)
    client = client_as(user)
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url == reverse("mfa_activate_totp")
    assert client.get(reverse("account")).status_code == 200
    api = APIClient(HTTP_HOST=HOST19)
    api.force_login(user)
    response = api.get(reverse("api-me"))
    assert response.status_code == 403 and response.json()["code"] == "second_factor_required"
    assert client.post("/service-lab/", {}).status_code == 302  # a staff action: sent to set it up first


def test_residents_are_not_asked(resident19):
    client = client_as(resident19)
    assert client.get(reverse("api-me")).status_code == 200
    assert client.get(reverse("mfa_index")).status_code == 200  # but may add one


def test_a_staff_member_sets_up_totp_then_reaches_the_admin(agent19):
    client = Client(HTTP_HOST=HOST19)
    assert client.post(reverse("login"), {"login": "agent19", "password": PASSWORD}).status_code == 302
    assert client.get("/admin/").url == reverse("mfa_activate_totp")
    page = client.get(reverse("mfa_activate_totp"))
    if page.status_code == 302:  # allauth asks for the password again before a security change
        client.post(page.url.split("?")[0], {"password": PASSWORD})
        page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert wrong.status_code == 400 and not Authenticator.objects.filter(user=agent19).exists()
    response = client.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=agent19, type="totp").exists()
    assert Authenticator.objects.filter(user=agent19, type="recovery_codes").exists()  # made with it
    assert client.get("/admin/").status_code == 200


def test_a_recovery_code_logs_in_once(agent19):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    with_totp(agent19)
    recovery = RecoveryCodes.activate(agent19).get_unused_codes()[0]
    first = Client(HTTP_HOST=HOST19)
    first.post(reverse("login"), {"login": "agent19", "password": PASSWORD})
    assert first.post(reverse("mfa_authenticate"), {"code": recovery}).status_code == 302
    assert first.get("/admin/").status_code == 200
    again = Client(HTTP_HOST=HOST19)
    again.post(reverse("login"), {"login": "agent19", "password": PASSWORD})
    assert again.post(reverse("mfa_authenticate"), {"code": recovery}).status_code == 400
    assert "_auth_user_id" not in again.session


def test_login_asks_for_the_code_and_refuses_a_wrong_one(agent19):
    with_totp(agent19)
    client = Client(HTTP_HOST=HOST19)
    response = client.post(reverse("login"), {"login": "agent19", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # not logged in with the password alone
    assert client.get("/admin/").status_code == 302
    wrong = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert wrong.status_code == 400 and "_auth_user_id" not in client.session
    assert client.post(reverse("mfa_authenticate"), {"code": code()}).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_staff_cannot_remove_their_second_factor(agent19):
    with_totp(agent19)
    client = Client(HTTP_HOST=HOST19)
    client.post(reverse("login"), {"login": "agent19", "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": code()})
    assert client.get(reverse("account")).status_code == 200
    asked = client.post(reverse("mfa_deactivate_totp"))
    assert asked.status_code == 302 and asked.url.startswith(reverse("account_reauthenticate"))
    assert client.post(reverse("account_reauthenticate"), {"password": PASSWORD}).status_code == 302
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 400
    assert "ne pouvez pas la désactiver" in response.content.decode()
    assert Authenticator.objects.filter(user=agent19, type="totp").exists()


def test_the_token_endpoint_asks_staff_for_a_code(agent19, resident19):
    api = APIClient(HTTP_HOST=HOST19)
    without = api.post(reverse("api-token"), {"username": "agent19", "password": PASSWORD}, format="json")
    assert without.status_code == 403 and without.json()["code"] == "second_factor_required"
    with_totp(agent19)
    missing = api.post(reverse("api-token"), {"username": "agent19", "password": PASSWORD}, format="json")
    assert missing.status_code == 401 and missing.json()["code"] == "second_factor_invalid"
    wrong = api.post(reverse("api-token"), {"username": "agent19", "password": PASSWORD, "code": "000000"},
                     format="json")
    assert wrong.status_code == 401 and "token" not in wrong.json()
    current = code()
    good = api.post(reverse("api-token"), {"username": "agent19", "password": PASSWORD, "code": current},
                    format="json")
    assert good.status_code == 200 and good.json()["token"]
    replayed = api.post(reverse("api-token"), {"username": "agent19", "password": PASSWORD, "code": current},
                        format="json")
    assert replayed.status_code == 401  # a code works once
    resident = api.post(reverse("api-token"), {"username": "resident19", "password": PASSWORD}, format="json")
    assert resident.status_code == 200


def test_wagtail_login_is_no_way_around_the_second_factor(agent19):
    with_totp(agent19)
    client = Client(HTTP_HOST=HOST19)
    client.post("/admin/login/", {"username": "agent19", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_a_staff_token_made_before_the_second_factor_was_required_is_refused(agent19):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=agent19)
    api = APIClient(HTTP_HOST=HOST19, HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.get(reverse("api-me"))
    assert response.status_code == 403 and response.json()["code"] == "second_factor_required"
    with_totp(agent19)
    assert api.get(reverse("api-me")).status_code == 200
