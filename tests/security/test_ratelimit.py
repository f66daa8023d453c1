"""Abuse limits of the HTML doors: 429 with a clear French message and Retry-After, per address
or per user, configurable in settings."""

import json

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import reverse

from cms.errors import TooMany
from cms.models import User
from cms.ratelimit import client_ip, enforce, parse_rate, ratelimit


def signup_data(n):
    return {"username": f"lina{n}", "display_name": "", "email": f"lina{n}@example.org",
            "password1": "canal-ourcq-2026!", "password2": "canal-ourcq-2026!"}


@pytest.mark.parametrize(("rate", "expected"), [("5/h", (5, 3600)), ("10/15min", (10, 900)), ("3/s", (3, 1)),
                                                ("100/d", (100, 86400)), ("2/10m", (2, 600))])
def test_rates_are_read_from_a_short_notation(rate, expected):
    assert parse_rate(rate) == expected


@pytest.mark.parametrize("rate", ["", "5", "5/week", "x/h", "-1/h"])
def test_a_bad_rate_is_refused_loudly(rate):
    with pytest.raises(ValueError):
        parse_rate(rate)


@override_settings(RATELIMITS={"signup": "2/h"})
def test_signup_past_the_limit_answers_429_in_french_with_retry_after(client19, mairie19):
    for n in range(2):
        assert client19.post(reverse("signup"), {**signup_data(n), "mairie": mairie19.pk}).status_code == 302
    response = client19.post(reverse("signup"), {**signup_data(9), "mairie": mairie19.pk})
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    body = response.content.decode()
    assert "Trop de tentatives" in body and "réessayez dans" in body
    assert 'role="alert"' in body
    assert not User.objects.filter(username="lina9").exists()


@override_settings(RATELIMITS={"signup": "1/h"})
def test_reading_the_signup_form_is_not_limited(client19):
    for _n in range(3):
        assert client19.get(reverse("signup")).status_code == 200


@override_settings(RATELIMITS={"signup": "1/h"})
def test_the_limit_is_per_address(client19, mairie19):
    from django.test import Client

    assert client19.post(reverse("signup"), {**signup_data(1), "mairie": mairie19.pk}).status_code == 302
    assert client19.post(reverse("signup"), {**signup_data(2), "mairie": mairie19.pk}).status_code == 429
    other = Client(HTTP_HOST="paris19.localhost", REMOTE_ADDR="192.0.2.44")
    assert other.post(reverse("signup"), {**signup_data(3), "mairie": mairie19.pk}).status_code == 302


@override_settings(RATELIMITS={"login": "3/15min"})
def test_login_attempts_are_limited_per_account_and_address(client19, resident19):
    for _n in range(3):
        assert client19.post(reverse("login"), {"login": "resident19", "password": "y"}).status_code == 400
    response = client19.post(reverse("login"), {"login": "resident19", "password": "y"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) <= 900
    # Another account from the same address has its own budget (tests/security/test_login_limits.py).
    assert client19.post(reverse("login"), {"login": "x", "password": "y"}).status_code == 400


@override_settings(RATELIMITS={"password_reset": "2/h"})
def test_password_reset_requests_are_limited(client19, resident19):
    from django.core import mail

    for _n in range(2):
        assert client19.post(reverse("password_reset"), {"email": resident19.email}).status_code == 302
    response = client19.post(reverse("password_reset"), {"email": resident19.email})
    assert response.status_code == 429
    assert len(mail.outbox) == 2


@override_settings(RATELIMITS={"signup": "1/h"}, RATELIMIT_ENABLED=False)
def test_limits_can_be_switched_off(client19, mairie19):
    for n in range(3):
        assert client19.post(reverse("signup"), {**signup_data(n), "mairie": mairie19.pk}).status_code == 302


@override_settings(RATELIMITS={"comment": "2/min"})
def test_decorated_view_counts_per_user_and_answers_json_under_api(resident19, resident20):
    @ratelimit("comment")
    def view(request):
        return HttpResponse("ok")

    factory = RequestFactory()

    def post(user, path="/api/x/"):
        request = factory.post(path)
        request.user = user
        return view(request)

    assert [post(resident19).status_code for _ in range(2)] == [200, 200]
    refused = post(resident19)
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/json"
    payload = json.loads(refused.content)
    assert payload["code"] == "throttled"
    assert "réessayez dans" in payload["detail"]
    assert post(resident20).status_code == 200  # another user, same address: their own budget


@override_settings(RATELIMITS={"search": "1/min"})
def test_enforce_raises_too_many_for_services_and_api_views(resident19):
    request = RequestFactory().get("/recherche/")
    request.user = resident19
    enforce(request, "search")
    with pytest.raises(TooMany) as caught:
        enforce(request, "search")
    assert 0 < caught.value.retry_after <= 60


@override_settings(RATELIMIT_PROXY_COUNT=1)
def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw():
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7", REMOTE_ADDR="10.0.0.2")
    assert client_ip(request) == "198.51.100.7"  # the left part is chosen by the client: never trusted


def test_without_proxy_the_forwarded_header_is_ignored():
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="203.0.113.9", REMOTE_ADDR="192.0.2.1")
    assert client_ip(request) == "192.0.2.1"


def test_every_configured_scope_has_a_valid_rate(settings):
    for scope, rate in settings.RATELIMITS.items():
        assert parse_rate(rate), scope
    assert {"signup", "login", "password_reset", "support", "comment", "report", "complaint", "search"} <= set(
        settings.RATELIMITS)


def test_rates_come_from_the_environment():
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "RATELIMIT_SIGNUP": "42/h", "DJANGO_SETTINGS_MODULE": "cms.settings.test"}
    out = subprocess.run([sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
                          "print(settings.RATELIMITS['signup'], settings.RATELIMITS['login'])"],
                         cwd=Path(__file__).resolve().parents[2], env=env, capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["42/h", "10/15min"], out.stderr


@pytest.mark.parametrize(("scope", "method", "url"), [
    ("support", "post", "/participer/soutenir/"),
    ("support", "post", "/participer/retirer-mon-soutien/"),
    ("comment", "post", "/participer/commenter/"),
    ("report", "post", "/participer/signaler/"),
    ("complaint", "post", "/service-lab/ecrire/"),
    ("search", "get", "/recherche/?q=jardin"),
])
def test_each_participation_door_has_its_limit(scope, method, url, resident19, settings):
    from django.test import Client

    settings.RATELIMITS = {**settings.RATELIMITS, scope: "1/h"}
    client = Client(HTTP_HOST="paris19.localhost")
    client.force_login(resident19)
    first = getattr(client, method)(url)
    assert first.status_code != 429
    second = getattr(client, method)(url)
    assert second.status_code == 429, (scope, url)
    assert 0 < int(second["Retry-After"]) <= 3600
    assert "Trop de tentatives" in second.content.decode()


def test_a_complaint_refused_by_the_limit_is_not_saved(resident19, settings, mairie19):
    from django.test import Client

    from hackathon.models import Complaint

    settings.RATELIMITS = {**settings.RATELIMITS, "complaint": "0/h"}
    client = Client(HTTP_HOST="paris19.localhost")
    client.force_login(resident19)
    response = client.post("/service-lab/ecrire/", {"subject": "Trottoir", "text": "Le trottoir est cassé."})
    assert response.status_code == 429
    assert not Complaint.objects.exists()
