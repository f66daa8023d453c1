"""Request ids, JSON logs, and Sentry events without personal data (cms/observability.py)."""

import io
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cms.observability import FILTERED, JsonFormatter, RequestIdFilter, scrub_event

ROOT = Path(__file__).resolve().parents[2]


def test_every_response_carries_a_request_id(client19):
    first, second = client19.get("/"), client19.get("/")
    assert re.fullmatch(r"[0-9a-f]{32}", first["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_the_proxy_s_request_id_is_kept_and_a_forged_one_replaced(client19):
    nginx_id = "5f0c3c6e8a4b4e0f9d1e2a3b4c5d6e7f"
    assert client19.get("/", HTTP_X_REQUEST_ID=nginx_id)["X-Request-ID"] == nginx_id
    for forged in ("abc\nERROR fake line", "x" * 200, "short", "<script>"):
        assert client19.get("/", HTTP_X_REQUEST_ID=forged)["X-Request-ID"] != forged


@pytest.fixture
def json_log():
    """The console handler of LOG_FORMAT=json, writing into a buffer, on the root logger."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


def test_a_request_s_log_lines_are_json_with_its_id(client19, json_log):
    request_id = "0123456789abcdef0123456789abcdef"
    response = client19.get("/n-existe-pas/?email=awa@example.org", HTTP_X_REQUEST_ID=request_id)
    assert response.status_code == 404
    lines = [line for line in json_log() if line["logger"] == "django.request"]
    assert lines, "Django logs a 404 as a warning"
    line = lines[-1]
    assert line["request_id"] == request_id and line["level"] == "WARNING"
    assert line["path"] == "/n-existe-pas/" and line["method"] == "GET" and line["status_code"] == 404
    assert "timestamp" in line and "awa@example.org" not in json.dumps(line)


def test_a_line_outside_any_request_has_no_request_id(json_log):
    logging.getLogger("cms.tests").warning("hors requête")
    assert json_log()[-1]["request_id"] == "-"


def test_log_format_json_and_admins_come_from_the_environment():
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "SENTRY_DSN", "SECURITY_CONTACT"}}
    env.update(LOG_FORMAT="json", ADMINS="Équipe technique <tech@mairie.example>, secu@mairie.example")
    code = ("import django, logging, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'cms.settings.dev'; django.setup(); "
            "from django.conf import settings; print(settings.ADMINS, settings.SECURITY_CONTACT); "
            "logging.getLogger('cms.check').warning('bonjour')")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ("[('Équipe technique', 'tech@mairie.example'), ('', 'secu@mairie.example')] "
                                     "tech@mairie.example")
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["message"] == "bonjour" and line["logger"] == "cms.check" and line["request_id"] == "-"


def test_sentry_events_lose_bodies_cookies_users_and_email_addresses():
    event = {
        "message": "Échec d'envoi à awa.diallo@example.org",
        "request": {"url": "https://paris19.example/compte/?email=awa@example.org", "method": "POST",
                    "query_string": "email=awa@example.org", "data": {"password": "secret", "email": "awa@example.org"},
                    "cookies": {"sessionid": "abc"}, "env": {"REMOTE_ADDR": "192.0.2.4"},
                    "headers": {"Cookie": "sessionid=abc", "Authorization": "Token xyz", "User-Agent": "Firefox",
                                "X-Forwarded-For": "192.0.2.4"}},
        "user": {"id": 7, "email": "awa@example.org", "ip_address": "192.0.2.4"},
        "exception": {"values": [{"type": "SMTPRecipientsRefused", "value": "{'awa@example.org': (550, 'no')}"}]},
        "breadcrumbs": {"values": [{"message": "mail to karim@example.org"}]},
        "extra": {"recipients": ["karim@example.org"]},
    }
    scrubbed = scrub_event(event, {})
    text = json.dumps(scrubbed)
    assert "example.org" not in text and "secret" not in text and "abc" not in text and "192.0.2.4" not in text
    assert "user" not in scrubbed and "data" not in scrubbed["request"] and "cookies" not in scrubbed["request"]
    assert scrubbed["request"]["headers"] == {"User-Agent": "Firefox"}
    assert scrubbed["request"]["url"] == "https://paris19.example/compte/"
    assert scrubbed["message"] == f"Échec d'envoi à {FILTERED}"
    assert scrubbed["exception"]["values"][0]["type"] == "SMTPRecipientsRefused"  # what failed stays
