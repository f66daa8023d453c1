"""Browser tests: Playwright for Python driving Debian's chromium (never a downloaded browser)."""

import os
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.factories import PASSWORD
from tests.factories.demo import seed_demo
from tests.oidc.fixtures import oidc_server  # noqa: F401 (FranceConnect stand-in, tests/oidc)

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-quic", "--no-first-run"]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(str(item.fspath)).parent.name == "e2e":
            item.add_marker(pytest.mark.e2e)
            # A live server needs committed data. After each test's flush, post_migrate brings back
            # what migrations created (permissions, the role groups, Wagtail's root: cms.signals).
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Debian's chromium is not at {CHROMIUM}: `apt-get install chromium` (.ci/run installs it)")
    # Playwright's sync API runs an event loop in this thread; Django's ORM is called from the
    # same thread by the test itself, which is safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def seed_e2e_ctx(live_server):
    ctx = seed_demo(port=int(live_server.url.rsplit(":", 1)[1]), only=())
    ctx.url = live_server.url
    ctx.url20 = live_server.url.replace("localhost", "paris20.localhost").replace("127.0.0.1", "paris20.localhost")
    return ctx


@pytest.fixture
def e2e_ctx(live_server):
    return seed_e2e_ctx(live_server)


_snapshots: dict[str, tuple] = {}


def seeded_once(name, build):
    """`build()`'s data, built by the first test of this process that asks for `name`; on SQLite
    the later ones get an exact copy of the database as it was just after that build (sqlite3's
    backup API, in a fraction of a second) instead of building it again, and the same value.
    On PostgreSQL every test builds it. The files the build wrote stay where it wrote them."""
    from django.db import connection

    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        return build()
    if name in _snapshots:
        copy, value = _snapshots[name]
        copy.backup(connection.connection)
        _forget_process_caches(connection)
        return value
    value = build()
    copy = sqlite3.connect(":memory:", check_same_thread=False)
    connection.connection.backup(copy)
    _snapshots[name] = (copy, value)
    return value


def _forget_process_caches(connection):
    """What this process remembers of the database the copy replaced."""
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.sites.models import Site
    from django.core.cache import cache

    ContentType.objects.clear_cache()
    Site.objects.clear_cache()
    cache.clear()
    connection.__dict__.pop("_search_pending", None)


@pytest.fixture
def new_page(browser):
    contexts = []

    def make():
        context = browser.new_context(locale="fr-FR")
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def login(page, base_url, username, password):
    page.goto(f"{base_url}/compte/connexion/")
    page.get_by_label("Nom d'utilisateur ou adresse e-mail").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


@pytest.fixture
def page_as(new_page):
    """`page_as(username, url)`: a new browser window in which `username` logged in on the site of `url` (each
    address has its own session cookie), opened at `url`."""

    def make(username, url, *, password=PASSWORD):
        page = new_page()
        parts = urlsplit(url)
        login(page, f"{parts.scheme}://{parts.netloc}", username, password)
        page.goto(url)
        return page

    return make
