"""FranceConnect (cms/franceconnect) against a real OpenID Connect server on loopback (tests/oidc): a first
login asks for the home mairie and creates a confirmed resident; a login with the verified email of an
existing account logs into that account; a wrong state, a wrong nonce or a forged signature logs nobody in."""

from http.client import HTTPConnection
from urllib.parse import urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from django.test import Client
from django.urls import reverse

from cms.models import User
from tests.conftest import HOST19
from tests.oidc.fixtures import oidc_server  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def franceconnect(settings, oidc_server):  # noqa: F811
    settings.SOCIALACCOUNT_PROVIDERS = {"franceconnect": {"APPS": [{
        "client_id": oidc_server.client_id, "secret": oidc_server.client_secret,
        "settings": {"server_url": oidc_server.issuer, "token_auth_method": "client_secret_post"}}]}}
    settings.FRANCECONNECT_CLIENT_ID = oidc_server.client_id
    oidc_server.reset()
    yield oidc_server
    oidc_server.reset()


def provider_redirect(location):
    """What the browser does at the provider: GET its authorize URL, which answers with a redirect back."""
    url = urlsplit(location)
    connection = HTTPConnection(url.hostname, url.port, timeout=10)
    connection.request("GET", f"{url.path}?{url.query}")
    response = connection.getresponse()
    assert response.status in (302, 303), response.read()
    back = urlsplit(response.getheader("Location"))
    return f"{back.path}?{back.query}"


def franceconnect_login(client):
    start = client.post(reverse("franceconnect_login"), {"process": "login"})
    assert start.status_code == 302, start.content
    return client.get(provider_redirect(start.url))


def logged_in_as(client):
    return client.session.get("_auth_user_id")


def test_the_login_page_offers_franceconnect_only_when_configured(client19, settings, franceconnect):
    assert "S'identifier avec FranceConnect" in client19.get(reverse("login")).content.decode()
    settings.SOCIALACCOUNT_PROVIDERS = {"franceconnect": {"APPS": []}}
    assert "FranceConnect" not in client19.get(reverse("login")).content.decode()


def test_a_first_login_asks_for_the_mairie_and_creates_a_confirmed_resident(franceconnect, mairie19):
    franceconnect.set_next_login(sub="fc-zoe", email="zoe@example.org", given_name="Zoé", family_name="Roux")
    client = Client(HTTP_HOST=HOST19)
    response = franceconnect_login(client)
    assert response.status_code == 302 and response.url == reverse("socialaccount_signup")
    form = client.get(response.url)
    assert form.status_code == 200 and 'name="mairie"' in form.content.decode()
    done = client.post(reverse("socialaccount_signup"), {"username": "zoe", "email": "zoe@example.org",
                                                         "mairie": mairie19.pk, "display_name": ""})
    assert done.status_code == 302
    user = User.objects.get(username="zoe")
    assert (user.mairie, user.email_confirmed, user.first_name) == (mairie19, True, "Zoé")
    assert user.groups.filter(name="Habitants").exists()
    assert SocialAccount.objects.get(user=user).uid == "fc-zoe"
    assert logged_in_as(client) == str(user.pk)


def test_a_verified_email_of_an_existing_account_logs_into_it(franceconnect, resident19):
    franceconnect.set_next_login(sub="fc-resident", email=resident19.email, email_verified=True)
    client = Client(HTTP_HOST=HOST19)
    response = franceconnect_login(client)
    assert response.status_code == 302
    assert logged_in_as(client) == str(resident19.pk)
    assert SocialAccount.objects.filter(user=resident19, uid="fc-resident").exists()


@pytest.mark.parametrize("kind", ["nonce", "signature", "issuer", "audience", "expired"])
def test_a_tampered_answer_logs_nobody_in(franceconnect, resident19, kind):
    franceconnect.set_next_login(sub="fc-resident", email=resident19.email)
    franceconnect.tamper(kind)
    client = Client(HTTP_HOST=HOST19)
    response = franceconnect_login(client)
    assert response.status_code in (400, 401)
    assert logged_in_as(client) is None
    assert not SocialAccount.objects.exists()


def test_a_wrong_state_is_refused(franceconnect, resident19):
    franceconnect.set_next_login(sub="fc-resident", email=resident19.email)
    client = Client(HTTP_HOST=HOST19)
    start = client.post(reverse("franceconnect_login"), {"process": "login"})
    back = provider_redirect(start.url).replace("state=", "state=x")
    response = client.get(back)
    assert response.status_code in (400, 401)
    assert logged_in_as(client) is None


def test_the_provider_saying_no_logs_nobody_in(franceconnect):
    franceconnect.tamper("access_denied")
    client = Client(HTTP_HOST=HOST19)
    start = client.post(reverse("franceconnect_login"), {"process": "login"})
    response = client.get(provider_redirect(start.url))
    assert response.status_code == 302 and response.url == reverse("socialaccount_login_cancelled")
    assert logged_in_as(client) is None
