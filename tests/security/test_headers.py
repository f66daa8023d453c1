"""Hardening: Content-Security-Policy without 'unsafe-inline' on public pages (a looser one only
in the Wagtail admin), no inline script or style in our HTML, clickjacking and sniffing
protection, HttpOnly cookies, and HTTPS-only cookies, HSTS and redirect in production."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.conftest import client_as
from tests.factories.bureau import ProjectFactory, bureau_index

ROOT = Path(__file__).resolve().parents[2]


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_public_pages_have_a_strict_policy(client19):
    csp = directives(client19.get("/"))
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]


def test_error_pages_and_the_api_carry_the_strict_policy_too(client19):
    for url in ("/cette-page-n-existe-pas/", "/api/", "/api/docs/"):
        csp = directives(client19.get(url))
        assert "'unsafe-inline'" not in csp["script-src"], url
        assert "'unsafe-inline'" not in csp["style-src"], url


def test_only_the_wagtail_admin_gets_inline_scripts_and_styles(client19):
    csp = directives(client19.get("/admin/login/"))
    assert "'unsafe-inline'" in csp["script-src"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'self'"]  # the page preview frames the admin in itself
    # A path that merely starts like the admin gets the strict policy.
    assert "'unsafe-inline'" not in directives(client19.get("/administration/"))["script-src"]


def test_api_docs_load_their_script_from_a_file(client19):
    html = client19.get("/api/docs/").content.decode()
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html), "inline script in /api/docs/"
    assert "<style" not in html
    script = client19.get("/api/docs/?script=")
    assert script.status_code == 200
    assert "javascript" in script["Content-Type"]


def test_protective_headers_on_every_response(client19):
    response = client19.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_session_cookie_is_http_only_and_same_site(client19, resident19):
    from tests.factories import PASSWORD

    response = client19.post(reverse("login"), {"login": "resident19", "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


INLINE = [
    (re.compile(r"<script(?![^>]*\ssrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style[\s>]", re.I), "<style> element"),
    (re.compile(r"\sstyle=\"", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+=\"", re.I), "event handler attribute"),
    (re.compile(r"href=\"javascript:", re.I), "javascript: link"),
]


def inline_code(html):
    return [label for pattern, label in INLINE if pattern.search(html)]


@pytest.fixture
def pages(site_ctx, mairie19, resident19):
    """Public and personal pages of the core and the engine; the lead adds the apps' pages."""
    index = bureau_index(mairie19)
    project = ProjectFactory(mairie=mairie19, author=resident19)
    base = index.get_url_parts()[2]
    return {
        "anonymous": ["/", reverse("privacy-policy"), reverse("accessibility"), reverse("legal-notice"), "/a-propos/", reverse("signup"), reverse("login"),
                      reverse("password_reset"), base, f"{base}projets/{project.pk}/", "/n-existe-pas/"],
        "resident": [reverse("account"), reverse("notifications"), reverse("privacy-delete"), f"{base}proposer/",
                     f"{base}projets/{project.pk}/", f"{reverse('participation-report')}?target={project.target_ref}"],
    }


def test_our_pages_have_no_inline_script_or_style(pages, client19, resident19):
    found = {}
    for client, urls in ((client19, pages["anonymous"]), (client_as(resident19), pages["resident"])):
        for url in urls:
            response = client.get(url)
            assert response.status_code in (200, 404), url
            if inline_code(response.content.decode()):
                found[url] = inline_code(response.content.decode())
    assert found == {}


def _production(code):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG", "DJANGO_SETTINGS_MODULE"}}
    env.update(DJANGO_SETTINGS_MODULE="cms.settings.production", SECRET_KEY="p" * 40 + "-Zq8!vR2#pL0@wN5",
               ALLOWED_HOSTS="mairie19.paris.fr")
    out = subprocess.run([sys.executable, "-c", "import django; django.setup(); from django.conf import settings as s; "
                          + code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_production_sends_cookies_over_https_only_with_hsts_and_redirect():
    values = _production(
        "import json; print(json.dumps({k: getattr(s, k) for k in ('SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
        "'LANGUAGE_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', "
        "'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'X_FRAME_OPTIONS', 'SECURE_CONTENT_TYPE_NOSNIFF')} | "
        "{'upgrade': s.CONTENT_SECURITY_POLICY['DIRECTIVES'].get('upgrade-insecure-requests'), "
        "'script': s.CONTENT_SECURITY_POLICY['DIRECTIVES']['script-src']}))")
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"] and values["LANGUAGE_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_HTTPONLY"]
    assert values["SECURE_SSL_REDIRECT"]
    assert values["SECURE_HSTS_SECONDS"] >= 31536000 and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert values["X_FRAME_OPTIONS"] == "DENY" and values["SECURE_CONTENT_TYPE_NOSNIFF"]
    assert values["upgrade"] is True
    assert values["script"] == ["'self'"]


# --- The policy is built once from the settings (cms.security), and stays what django-csp sends ---


class _Reference:
    """django-csp 4.0's own process_response (it builds each policy for each response) around our
    admin policy: what SecurityHeadersMiddleware sent before it kept its headers."""

    def __new__(cls, get_response):
        from csp.middleware import CSPMiddleware

        from cms.security import SecurityHeadersMiddleware

        reference = type("Reference", (SecurityHeadersMiddleware,), {"process_response": CSPMiddleware.process_response})
        return reference(get_response)


def _csp_headers(middleware_class, path, view):
    from django.test import RequestFactory

    response = middleware_class(view)(RequestFactory().get(path))
    return response.get("Content-Security-Policy"), response.get("Content-Security-Policy-Report-Only")


def _plain(request):
    from django.http import HttpResponse

    return HttpResponse("ok")


def _with_nonce(request):
    from django.http import HttpResponse

    return HttpResponse(f'<script nonce="{request.csp_nonce}"></script>')


def _updated(request):
    from csp.decorators import csp_update

    return csp_update({"img-src": ["https://tuiles.example.org"]})(_plain)(request)


def _exempt(request):
    from csp.decorators import csp_exempt

    return csp_exempt()(_plain)(request)




@pytest.mark.parametrize("report_only", [False, True])
def test_kept_policies_are_the_ones_django_csp_builds(settings, report_only):
    from csp.constants import NONCE

    from cms.security import SecurityHeadersMiddleware

    policy = {"DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "script-src": ["'self'", NONCE]},
              "EXCLUDE_URL_PREFIXES": ["/exclu/"]}
    settings.CONTENT_SECURITY_POLICY = policy
    if report_only:
        settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {**policy, "EXCLUDE_URL_PREFIXES": ["/exclu-ro/"]}
    for path in ("/", "/admin/login/", "/administration/", "/exclu/page/", "/exclu-ro/page/"):
        for view in (_plain, _with_nonce, _updated, _exempt, _plain):  # twice plain: the kept header
            ours = _csp_headers(SecurityHeadersMiddleware, path, view)
            reference = _csp_headers(_Reference, path, view)
            if view is _with_nonce:  # each response its own nonce: compare with the nonces taken out
                ours, reference = ([re.sub(r"'nonce-[^']+'", "'nonce'", h) if h else h for h in pair]
                                   for pair in (ours, reference))
            assert ours == reference, (path, view.__name__)


def test_each_response_gets_its_own_nonce_in_the_kept_policy(settings):
    from csp.constants import NONCE

    from cms.security import SecurityHeadersMiddleware

    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'self'"], "script-src": ["'self'", NONCE]}}
    first, second = (_csp_headers(SecurityHeadersMiddleware, "/", _with_nonce)[0] for _ in range(2))
    nonces = [re.search(r"'nonce-([^']+)'", header).group(1) for header in (first, second)]
    assert nonces[0] != nonces[1]
    assert first.replace(nonces[0], "") == second.replace(nonces[1], "")
    # A page that used no nonce has none in its header, and the next one still gets its own.
    assert "nonce-" not in _csp_headers(SecurityHeadersMiddleware, "/", _plain)[0]
    assert "nonce-" in _csp_headers(SecurityHeadersMiddleware, "/", _with_nonce)[0]


def test_a_changed_setting_changes_the_kept_policy(settings):
    from cms.security import SecurityHeadersMiddleware

    before = _csp_headers(SecurityHeadersMiddleware, "/", _plain)[0]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert _csp_headers(SecurityHeadersMiddleware, "/", _plain)[0] == "default-src 'none'"
    settings.CONTENT_SECURITY_POLICY_ADMIN = {"URL_PREFIXES": ["/gestion/"], "DIRECTIVES": {"default-src": ["'self'"]}}
    assert _csp_headers(SecurityHeadersMiddleware, "/gestion/", _plain)[0] == "default-src 'self'"
    assert _csp_headers(SecurityHeadersMiddleware, "/admin/", _plain)[0] == "default-src 'none'"
    assert before != "default-src 'none'"


def test_a_view_own_policy_is_not_kept_for_the_next_response(client19):
    from cms.security import SecurityHeadersMiddleware

    updated = _csp_headers(SecurityHeadersMiddleware, "/", _updated)[0]
    assert "https://tuiles.example.org" in updated
    assert "https://tuiles.example.org" not in _csp_headers(SecurityHeadersMiddleware, "/", _plain)[0]
    assert _csp_headers(SecurityHeadersMiddleware, "/", _exempt)[0] is None
