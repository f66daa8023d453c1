import pytest
from django.core.management import call_command
from django.test import Client
from wagtail.models import Page

from tests.conftest import built_once_per_module

# The whole demo as `make run` seeds it, once for the module: the tests only read it.
_demo = built_once_per_module(lambda: call_command("seed_demo", "--port", "80", stdout=open("/dev/null", "w")))  # noqa: SIM115


@pytest.fixture
def full_demo(_demo, db):
    return _demo


def test_every_page_of_the_demo_renders(full_demo):
    """Every live page answers 200 to anonymous visitors, except the agents' wiki, which sends
    them to the login page and answers 200 to an agent."""
    from cms.models import User

    agent = User.objects.get(username="agent")
    pages = Page.objects.live().filter(depth__gt=1).specific()
    assert pages.count() >= 6
    for page in pages:
        site = page.get_site()
        url = page.get_url(current_site=site)
        response = Client(HTTP_HOST=site.hostname).get(url)
        if response.status_code == 302:
            assert "/compte/connexion/" in response["Location"], url
            logged = Client(HTTP_HOST=site.hostname)
            logged.force_login(agent)
            response = logged.get(url)
        assert response.status_code == 200, f"{url} on {site.hostname}: {response.status_code}"


def test_home_presents_the_sections(full_demo):
    html = Client(HTTP_HOST="paris19.localhost").get("/").content.decode()
    for title in ("Les 19 commandements", "Occupai", "Bureau de l", "Service lab"):
        assert title in html
    assert "Bricolages" not in html  # agents only
    assert '<html lang="fr" dir="ltr">' in html and 'class="skip-link"' in html and '<main id="contenu"' in html


def test_english_is_available(full_demo):
    client = Client(HTTP_HOST="paris19.localhost", HTTP_ACCEPT_LANGUAGE="en")
    html = client.get("/").content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "Skip to content" in html
