"""The anonymous page cache (cms/cache.py): what it serves, to whom, and when it lets go."""

import re

import pytest
import time_machine
from django.test import Client

from cms import cache as page_cache_module
from cms.models import StandardPage
from participation import services
from tests.conftest import HOST19, HOST20, client_as
from tests.factories.bureau import ProjectFactory, bureau_index

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _state(response):
    return response["X-Page-Cache"]


def test_anonymous_page_is_rendered_once_then_served_from_the_cache(page_cache, client19):
    first, second = client19.get("/a-propos/"), client19.get("/a-propos/")
    assert (_state(first), _state(second)) == ("miss", "hit")
    assert first.status_code == second.status_code == 200
    assert TOKEN.sub("", first.content.decode()) == TOKEN.sub("", second.content.decode())


def test_the_cache_never_holds_a_csrf_token_and_each_visitor_gets_a_working_one(page_cache, site_ctx):
    first = Client(HTTP_HOST=HOST19, enforce_csrf_checks=True)
    second = Client(HTTP_HOST=HOST19, enforce_csrf_checks=True)
    assert _state(first.get("/")) == "miss"
    response = second.get("/")
    assert _state(response) == "hit"
    token = TOKEN.search(response.content.decode()).group(1)
    assert "csrftoken" in response.cookies  # the visitor's own secret, sent with the cached page
    # The footer's language form (a POST form with a CSRF token) works from the cached page.
    switched = second.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token})
    assert switched.status_code == 302
    # Another visitor's token does not work for this one.
    other = TOKEN.search(first.get("/").content.decode()).group(1)
    third = Client(HTTP_HOST=HOST19, enforce_csrf_checks=True)
    third.get("/")
    assert third.post("/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": other}).status_code == 403


def test_stored_entries_hold_a_placeholder_instead_of_the_token(page_cache, client19):
    client19.get("/")
    pages = [page_cache.get(key.removeprefix(":1:")) for key in list(page_cache._cache)
             if key.startswith(":1:pagecache:page:")]
    assert pages
    for _version, _mairie_id, _status, _headers, content, used_token in pages:
        assert used_token and page_cache_module.TOKEN_PLACEHOLDER in content
        assert set(TOKEN.findall(content.decode())) == {page_cache_module.TOKEN_PLACEHOLDER.decode()}


def test_logged_in_pages_are_never_stored_nor_served_to_someone_else(page_cache, site_ctx, resident19, organiser19):
    alice, bob = client_as(resident19), client_as(organiser19)
    anonymous = Client(HTTP_HOST=HOST19)
    # A logged-in visitor first: their page is rendered for them and not stored.
    first = alice.get("/")
    assert _state(first) == "bypass" and resident19.public_name in first.content.decode()
    assert _state(anonymous.get("/")) == "miss"
    # Once the anonymous page is cached, logged-in people still get their own.
    page = bob.get("/").content.decode()
    assert organiser19.public_name in page and resident19.public_name not in page
    page = alice.get("/").content.decode()
    assert resident19.public_name in page and organiser19.public_name not in page
    cached = anonymous.get("/")
    assert _state(cached) == "hit"
    html = cached.content.decode()
    assert resident19.public_name not in html and organiser19.public_name not in html
    assert "Se connecter" in html


def test_a_session_a_flash_message_or_an_authorization_header_bypass_the_cache(page_cache, client19):
    client19.get("/a-propos/")
    with_session = Client(HTTP_HOST=HOST19)
    with_session.cookies["sessionid"] = "whatever"
    assert _state(with_session.get("/a-propos/")) == "bypass"
    with_message = Client(HTTP_HOST=HOST19)
    with_message.cookies["messages"] = "x"
    assert _state(with_message.get("/a-propos/")) == "bypass"
    assert _state(client19.get("/a-propos/", HTTP_AUTHORIZATION="Token abc")) == "bypass"
    assert _state(client19.get("/a-propos/")) == "hit"


def test_accounts_admin_and_api_are_never_cached(page_cache, client19):
    for path in ("/compte/connexion/", "/api/", "/admin/login/"):
        client19.get(path)
        assert _state(client19.get(path)) == "bypass"


def test_errors_and_redirects_are_not_stored(page_cache, client19):
    client19.get("/page-qui-n-existe-pas/")
    assert _state(client19.get("/page-qui-n-existe-pas/")) == "miss"
    client19.get("/compte/")  # login required: a redirect
    assert client19.get("/compte/").status_code == 302


def test_the_key_holds_host_path_query_and_language(page_cache, site_ctx):
    c19, c20 = Client(HTTP_HOST=HOST19), Client(HTTP_HOST=HOST20)
    page19, page20 = c19.get("/").content.decode(), c20.get("/").content.decode()
    assert _state(c20.get("/")) == "hit"
    assert "19e" in page19 and "20e" in page20 and page19 != page20
    assert _state(c19.get("/?x=1")) == "miss" and _state(c19.get("/?x=1")) == "hit"
    english = c19.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert _state(english) == "miss" and english["Content-Language"] == "en"
    assert _state(c19.get("/", HTTP_ACCEPT_LANGUAGE="en")) == "hit"
    assert c19.get("/")["Content-Language"] == "fr"


def test_publishing_a_page_shows_at_once(page_cache, client19, mairie19):
    page = StandardPage.objects.get(slug="a-propos", url_path__startswith="/accueil-paris19/")
    assert "Nouveau titre" not in client19.get("/a-propos/").content.decode()
    page.title = "Nouveau titre de la page"
    page.save_revision().publish()
    response = client19.get("/a-propos/")
    assert _state(response) == "miss" and "Nouveau titre de la page" in response.content.decode()


def test_unpublishing_a_page_shows_at_once(page_cache, client19):
    page = StandardPage.objects.get(slug="a-propos", url_path__startswith="/accueil-paris19/")
    assert client19.get("/a-propos/").status_code == 200
    page.unpublish()
    assert client19.get("/a-propos/").status_code == 404


def test_moderation_hides_a_cached_page_at_once(page_cache, client19, mairie19, organiser19):
    index = bureau_index(mairie19)
    project = ProjectFactory(mairie=mairie19, title="Des bancs partout")
    url = f"{index.url}projets/{project.pk}/"
    assert client19.get(url).status_code == 200 and _state(client19.get(url)) == "hit"
    assert "Des bancs partout" in client19.get(index.url).content.decode()
    services.moderation_hide(actor=organiser19, target=project, reason="Propos injurieux")
    assert client19.get(url).status_code == 404
    assert "Des bancs partout" not in client19.get(index.url).content.decode()
    services.moderation_restore(actor=organiser19, target=project, reason="Relu")
    assert client19.get(url).status_code == 200


def test_an_audit_entry_renews_only_its_own_mairie_s_pages(page_cache, site_ctx, mairie20):
    from tests.factories import organiser

    c19, c20 = Client(HTTP_HOST=HOST19), Client(HTTP_HOST=HOST20)
    index20 = bureau_index(mairie20)
    project20 = ProjectFactory(mairie=mairie20, title="Un banc au square")
    for client in (c19, c20):
        client.get("/a-propos/")
        assert _state(client.get("/a-propos/")) == "hit"
    services.moderation_hide(actor=organiser(mairie20, username="orga20"), target=project20, reason="Doublon")
    assert _state(c19.get("/a-propos/")) == "hit"  # the 19e's pages are still fresh
    assert _state(c20.get("/a-propos/")) == "miss"
    assert "Un banc au square" not in c20.get(index20.url).content.decode()


def test_an_audit_entry_renews_only_the_values_remembered_for_its_mairie(page_cache, site_ctx, mairie19, mairie20):
    from participation.models import AuditEntry

    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    def remembered(mairie):
        with page_cache_module.made_for(mairie.pk):
            return page_cache_module.remember("k", compute)

    assert (remembered(mairie19), remembered(mairie20)) == (1, 2)  # one copy per mairie
    project20 = ProjectFactory(mairie=mairie20)
    services.audit_record(actor=None, target=project20, action="essai")
    assert AuditEntry.objects.get(action="essai").mairie_id == mairie20.pk
    assert (remembered(mairie19), remembered(mairie20)) == (1, 3)
    services.audit_record(actor=None, target=site_ctx.homes["paris19"], action="sans mairie")  # no mairie: all
    assert (remembered(mairie19), remembered(mairie20)) == (4, 5)


def test_a_new_support_shows_within_the_cache_lifetime(page_cache, client19, mairie19, resident19):
    index = bureau_index(mairie19)
    project = ProjectFactory(mairie=mairie19, title="Un composteur")
    url = f"{index.url}projets/{project.pk}/"
    count = re.compile(r'class="supports-count"><strong>(\d+)</strong>')
    with time_machine.travel("2026-06-01 18:00:00 +0200", tick=False) as clock:
        assert count.search(client19.get(url).content.decode()).group(1) == "0"
        services.support_add(user=resident19, target=project)
        assert count.search(client19.get(url).content.decode()).group(1) == "0"  # still cached
        clock.shift(page_cache_module._settings()[0] + 1)
        response = client19.get(url)
        assert _state(response) == "miss" and count.search(response.content.decode()).group(1) == "1"


def test_no_page_cache_decorator_and_zero_seconds_turn_it_off(page_cache, settings, rf, client19):
    from django.http import HttpResponse

    view = page_cache_module.no_page_cache(lambda request: HttpResponse("<p>x</p>"))
    assert view(rf.get("/")).page_cache_exempt is True
    settings.PAGE_CACHE_SECONDS = 0
    client19.get("/a-propos/")
    assert _state(client19.get("/a-propos/")) == "bypass"


def test_without_a_pages_cache_alias_the_page_cache_is_off(settings, client19):
    assert "pages" not in settings.CACHES  # the test settings
    client19.get("/a-propos/")
    assert _state(client19.get("/a-propos/")) == "bypass"


@pytest.fixture
def redis_pages(settings):
    import redis

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("needs Redis on 127.0.0.1:6379 (the page cache's production backend)")
    from django.core.cache import caches

    settings.CACHES = {**settings.CACHES, "pages": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                                    "LOCATION": url, "KEY_PREFIX": "perf-test"}}
    settings.PAGE_CACHE_SECONDS = 5
    caches["pages"].clear()
    yield url
    caches["pages"].clear()


def test_with_redis_an_invalidation_reaches_every_app_server(redis_pages, client19):
    """Two app servers share Redis: a publish handled by one makes the other's pages stale."""
    from django.core.cache.backends.redis import RedisCache

    other_server = RedisCache(redis_pages, {"KEY_PREFIX": "perf-test"})
    client19.get("/a-propos/")
    assert _state(client19.get("/a-propos/")) == "hit"
    before = page_cache_module.current_version(other_server)
    page = StandardPage.objects.get(slug="a-propos", url_path__startswith="/accueil-paris19/")
    page.title = "Publié ailleurs"
    page.save_revision().publish()
    assert page_cache_module.current_version(other_server) != before
    assert "Publié ailleurs" in client19.get("/a-propos/").content.decode()


def test_section_urls_are_computed_once_then_kept_until_a_page_is_published(page_cache, client19, site_ctx,
                                                                            monkeypatch, resident19):
    from cms import sections

    calls = []

    def url(request, mairie):
        calls.append(mairie.pk)
        return "/essai/" if StandardPage.objects.filter(slug="essai", live=True).exists() else None

    monkeypatch.setitem(sections._sections, "essai", sections.Section(key="essai", title="Essai", summary="",
                                                                      order=99, url=url))
    client = client_as(resident19)  # logged in: pages are rendered, never served from the page cache
    client.get("/")
    assert len(calls) == 1  # the navigation and the home page share one computation
    client.get("/")
    assert len(calls) == 1  # kept across requests
    home = site_ctx.homes["paris19"]
    page = home.add_child(instance=StandardPage(title="Essai", slug="essai", live=False))
    page.save_revision().publish()  # publishing renews the site-wide version
    assert 'href="/essai/"' in client.get("/").content.decode()
    assert len(calls) == 2
