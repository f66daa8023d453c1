"""API tokens expire (API_TOKEN_DAYS), are replaced when asked again after that, are shown (never their key) and
revoked on the account page, and a password change from the account page revokes them."""

import datetime as dt

import pytest
from rest_framework.authtoken.models import Token

from tests.conftest import client_as
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _token(api19, username):
    response = api19.post("/api/auth/token/", {"username": username, "password": PASSWORD}, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def test_a_token_expires_and_asking_again_gives_a_new_one(resident19, api19, settings):
    settings.API_TOKEN_DAYS = 30
    first = _token(api19, "resident19")
    assert first["expires_at"]
    api19.credentials(HTTP_AUTHORIZATION=f"Token {first['token']}")
    assert api19.get("/api/me/").status_code == 200
    Token.objects.filter(key=first["token"]).update(created=Token.objects.get().created - dt.timedelta(days=31))
    refused = api19.get("/api/me/")
    assert refused.status_code == 401 and "expiré" in refused.json()["detail"]
    assert not Token.objects.filter(key=first["token"]).exists()
    api19.credentials()
    second = _token(api19, "resident19")
    assert second["token"] != first["token"]


def test_a_token_that_never_expires_when_the_setting_is_zero(resident19, api19, settings):
    settings.API_TOKEN_DAYS = 0
    token = _token(api19, "resident19")
    assert token["expires_at"] is None
    Token.objects.update(created=Token.objects.get().created - dt.timedelta(days=3650))
    api19.credentials(HTTP_AUTHORIZATION=f"Token {token['token']}")
    assert api19.get("/api/me/").status_code == 200


def test_the_account_page_shows_and_revokes_the_token_without_its_key(resident19, api19):
    key = _token(api19, "resident19")["token"]
    client = client_as(resident19)
    page = client.get("/compte/").content.decode()
    assert "Vous avez un jeton d'accès à l'API" in page and key not in page
    assert client.get("/compte/jeton/revoquer/").status_code == 405
    assert client.post("/compte/jeton/revoquer/").status_code == 302
    assert not Token.objects.exists()
    api19.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api19.get("/api/me/").status_code == 401
    assert "Vous n'avez pas de jeton" in client.get("/compte/").content.decode()


def test_changing_the_password_from_the_account_revokes_the_token(resident19, api19):
    _token(api19, "resident19")
    client = client_as(resident19)
    assert client.get("/compte/mot-de-passe/changer/").status_code == 200
    wrong = client.post("/compte/mot-de-passe/changer/", {"oldpassword": "faux", "password1": "x",
                                                          "password2": "y"})
    assert wrong.status_code == 400 and Token.objects.exists()  # the form again, with its errors
    done = client.post("/compte/mot-de-passe/changer/", {"oldpassword": PASSWORD,
                                                         "password1": "un-autre-mot-de-passe-2027",
                                                         "password2": "un-autre-mot-de-passe-2027"})
    assert done.status_code == 302 and not Token.objects.exists()
    assert client.get("/compte/").status_code == 200  # this session stays


def test_anonymous_visitors_are_sent_to_the_login(client19):
    assert client19.get("/compte/mot-de-passe/changer/").status_code == 302
    assert client19.post("/compte/jeton/revoquer/").status_code == 302
