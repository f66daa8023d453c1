"""An unconfirmed account asks for a new link; a password change or reset revokes the account's API tokens
and its other sessions."""

import re

from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.conftest import HOST19, client_as
from tests.factories import PASSWORD, resident

NEW_PASSWORD = "nouveau-secret-2026!"


def _logged_in(client):
    return "_auth_user_id" in client.session


def test_an_unconfirmed_account_asks_for_a_new_link_from_its_email_page(mairie19):
    newcomer = resident(mairie19, username="nouvelle", email_confirmed=False)
    client = client_as(newcomer)
    assert reverse("account_email") in client.get(reverse("account")).content.decode()
    response = client.post(reverse("account_email"), {"action_send": "", "email": newcomer.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [newcomer.email]
    link = re.search(r"/compte/e-mail/confirmer/[-:\w]+/", mail.outbox[0].body).group(0)
    client.post(link)
    newcomer.refresh_from_db()
    assert newcomer.email_confirmed


def test_the_confirmation_link_of_a_replaced_address_confirms_nothing(mairie19):
    newcomer = resident(mairie19, username="nouvelle", email_confirmed=False)
    client = client_as(newcomer)
    client.post(reverse("account_email"), {"action_send": "", "email": newcomer.email})
    old_link = re.search(r"/compte/e-mail/confirmer/[-:\w]+/", mail.outbox[-1].body).group(0)
    client.post(reverse("account_email"), {"action_add": "", "email": "autre@example.org"})
    client.post(re.search(r"/compte/e-mail/confirmer/[-:\w]+/", mail.outbox[-1].body).group(0))
    client.post(old_link)
    newcomer.refresh_from_db()
    assert newcomer.email == "autre@example.org"
    assert not EmailAddress.objects.filter(user=newcomer, email="nouvelle@example.org", verified=True).exists()


def _reset_password(client, user):
    client.post(reverse("password_reset"), {"email": user.email})
    link = re.search(r"https?://[^/\s]+(/compte/mot-de-passe/nouveau/\S+/)", mail.outbox[-1].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
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
    assert elsewhere.post(reverse("login"), {"login": "resident19", "password": PASSWORD}).status_code == 302
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
