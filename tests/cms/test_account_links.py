"""The confirmation link confirms once and is no login link; a password change or reset revokes
the account's API tokens and its other sessions; an unconfirmed account can ask for a new link."""

import re

from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cms.models import User
from tests.conftest import HOST19, client_as
from tests.factories import PASSWORD, resident

NEW_PASSWORD = "nouveau-secret-2026!"


def _signup(client, mairie, on_commit):
    with on_commit(execute=True):
        client.post(reverse("signup"), {"username": "lina", "display_name": "", "email": "lina@example.org",
                                        "mairie": mairie.pk, "password1": "canal-ourcq-2026!",
                                        "password2": "canal-ourcq-2026!"})
    return re.search(r"/compte/confirmer/\S+/", mail.outbox[-1].body).group(0)


def _logged_in(client):
    return "_auth_user_id" in client.session


def test_the_confirmation_link_confirms_once_and_is_no_login_link(client19, mairie19, on_commit):
    link = _signup(client19, mairie19, on_commit)
    assert client19.get(link).status_code == 302
    assert _logged_in(client19)
    assert User.objects.get(username="lina").email_confirmed
    someone_else = Client(HTTP_HOST=HOST19)
    response = someone_else.get(link, follow=True)
    assert not _logged_in(someone_else)
    body = response.content.decode()
    assert "déjà confirmée" in body and "connectez-vous" in body.lower()
    assert response.redirect_chain[-1][0].startswith(reverse("login"))


def test_the_confirmation_link_dies_with_a_password_reset(client19, mairie19, on_commit):
    link = _signup(client19, mairie19, on_commit)
    user = User.objects.get(username="lina")
    user.set_password(NEW_PASSWORD)
    user.save()
    response = client19.get(link)
    assert response.status_code == 400
    assert "plus valide" in response.content.decode()
    assert not _logged_in(client19)
    assert not User.objects.get(username="lina").email_confirmed


def test_an_unconfirmed_account_asks_for_a_new_link(mairie19, on_commit):
    newcomer = resident(mairie19, username="nouvelle", email_confirmed=False)
    client = client_as(newcomer)
    assert "Recevoir un nouveau lien" in client.get(reverse("account")).content.decode()
    with on_commit(execute=True):
        response = client.post(reverse("signup-confirm-resend"), follow=True)
    assert response.status_code == 200
    assert "nouveau lien" in response.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [newcomer.email]
    link = re.search(r"/compte/confirmer/\S+/", mail.outbox[0].body).group(0)
    client.get(link)
    newcomer.refresh_from_db()
    assert newcomer.email_confirmed


def test_a_confirmed_account_gets_no_new_link(resident19, on_commit):
    client = client_as(resident19)
    with on_commit(execute=True):
        response = client.post(reverse("signup-confirm-resend"), follow=True)
    assert "déjà confirmée" in response.content.decode()
    assert mail.outbox == []


def _reset_password(client, user):
    client.post(reverse("password_reset"), {"email": user.email})
    link = re.search(r"https?://[^/\s]+(/compte/mot-de-passe/nouveau/\S+/)", mail.outbox[-1].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302


def test_a_password_reset_revokes_api_tokens(client19, resident19):
    token = Token.objects.create(user=resident19)
    api = APIClient(HTTP_HOST=HOST19, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get(reverse("api-me")).status_code == 200
    _reset_password(client19, resident19)
    assert api.get(reverse("api-me")).status_code == 401
    assert not Token.objects.filter(user=resident19).exists()


def test_a_password_reset_ends_the_other_sessions(client19, resident19):
    elsewhere = Client(HTTP_HOST=HOST19)
    assert elsewhere.post(reverse("login"), {"username": "resident19", "password": PASSWORD}).status_code == 302
    assert elsewhere.get(reverse("account")).status_code == 200
    _reset_password(client19, resident19)
    assert elsewhere.get(reverse("account")).status_code == 302  # to the login page
    assert not _logged_in(elsewhere)


def test_a_password_change_in_the_admin_revokes_api_tokens(resident19):
    token = Token.objects.create(user=resident19)
    resident19.set_password(NEW_PASSWORD)  # what Wagtail's account page and `changepassword` do
    resident19.save()
    assert not Token.objects.filter(pk=token.pk).exists()
    api = APIClient(HTTP_HOST=HOST19, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get(reverse("api-me")).status_code == 401


def test_a_new_token_after_the_reset_works(client19, resident19):
    Token.objects.create(user=resident19)
    _reset_password(client19, resident19)
    response = APIClient(HTTP_HOST=HOST19).post(reverse("api-token"), {"username": "resident19",
                                                                      "password": NEW_PASSWORD}, format="json")
    assert response.status_code == 200
    assert APIClient(HTTP_HOST=HOST19, HTTP_AUTHORIZATION=f"Token {response.json()['token']}").get(
        reverse("api-me")).status_code == 200
