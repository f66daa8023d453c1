"""Shared fixtures: the two demo mairies, one user per role, API clients."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from cms.demo import DemoContext, seed_core
from tests.factories import agent, editor, organiser, resident

HOST19 = "paris19.localhost"
HOST20 = "paris20.localhost"


@pytest.hookimpl(trylast=True)  # after tests/e2e/conftest.py marks its tests
def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests skipped on SQLite, saying why. And the tests that need no database first (a
    stable sort: the order within each part stays): the test processes run them while the run's template
    database is still being built (tests/template_db.py), instead of waiting for it."""
    from django.conf import settings

    items.sort(key=_needs_database)

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL: run with DATABASE_URL=postgres://... "
                                                    "(.ci/run does)"))


def _needs_database(item) -> bool:
    return bool(item.get_closest_marker("django_db")) or bool(
        {"db", "transactional_db", "live_server", "django_db_setup"} & set(getattr(item, "fixturenames", ())))


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache, and in French (a request in English leaves English
    active in the thread, and several tests run one after another in each test process)."""
    from django.conf import settings
    from django.core.cache import cache
    from django.utils import translation

    cache.clear()
    _forget_pending_search_syncs()
    yield
    cache.clear()
    translation.activate(settings.LANGUAGE_CODE)


def _forget_pending_search_syncs():
    """Search syncs noted in a rolled-back transaction wait on the connection for the next commit
    (harmless in production, search/sync.py). A test's rollback is not a commit: its syncs must not
    reach the next test's index."""
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        connection.__dict__.pop("_search_pending", None)


def built_once_per_module(build):
    """A module-scoped fixture holding `build()`'s value: built once per module and test process, in a
    transaction rolled back when the module's tests are done; each test (which asks for `db` too) runs
    in a savepoint of it. For modules whose tests only read a large data set (the whole demo) or whose
    writes their own savepoint removes; not for transactional tests or live servers.

        demo = built_once_per_module(lambda: seed_demo(only=("occupai",)))
    """
    @pytest.fixture(scope="module")
    def fixture(django_db_setup, django_db_blocker):
        from django.db import transaction

        with django_db_blocker.unblock(), transaction.atomic():
            yield build()
            transaction.set_rollback(True)
    return fixture


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """`with on_commit(execute=True): ...` runs what the code deferred to transaction commit."""
    return django_capture_on_commit_callbacks


def pytest_configure(config):
    """Under pytest-xdist on SQLite, the controlling process builds the workers' database once
    (tests/template_db.py) while they start and collect."""
    import os
    import tempfile
    from pathlib import Path

    from django.conf import settings

    from tests import template_db

    workers = config.getoption("numprocesses", default=None)
    on_sqlite = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
    if hasattr(config, "workerinput") or not workers or not on_sqlite or template_db.ENV_VAR in os.environ:
        return
    folder = Path(tempfile.mkdtemp(prefix="mdd-test-db-"))
    config._template_db = (folder, template_db.start(folder / "template.sqlite3"))
    os.environ[template_db.ENV_VAR] = str(folder / "template.sqlite3")


def pytest_unconfigure(config):
    import os
    import shutil

    from tests import template_db

    if getattr(config, "_template_db", None):
        folder, process = config._template_db
        if process.poll() is None:
            process.kill()
        process.wait()
        shutil.rmtree(folder, ignore_errors=True)
        os.environ.pop(template_db.ENV_VAR, None)


def _template_db_path(config):
    import os

    from tests import template_db

    return os.environ.get(template_db.ENV_VAR) if hasattr(config, "workerinput") else None


@pytest.fixture(scope="session")
def django_db_modify_db_settings(request, django_db_modify_db_settings_parallel_suffix):
    """A worker that copies the template creates its database without migrating (the copy
    replaces it whole)."""
    from django.conf import settings

    if _template_db_path(request.config):
        settings.DATABASES["default"].setdefault("TEST", {})["MIGRATE"] = False


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, django_db_blocker):
    """The core demo (the two mairies, their sites, home and standard pages, the demo accounts) is
    built once per test database (or copied from the run's template, above); every test's
    transaction is rolled back to it."""
    with django_db_blocker.unblock():
        _build_core(request.config)


def _build_core(config):
    from pathlib import Path

    from django.db import connection

    from search.models import SearchEntry
    from tests import template_db

    template = _template_db_path(config)
    if template:
        template_db.copy_into(connection, Path(template))
        return
    seed_core(DemoContext(stdout=lambda line: None), port=80)
    # Built outside a test's transaction, its pages were indexed on commit; tests start, as a
    # demo seeded inside their own transaction would, with nothing in the search index.
    SearchEntry.objects.all().delete()


_flushed = {"core": False}


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(item.fixturenames))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """A transactional test (browser, concurrency) empties every table when it ends. The next test that
    runs in a transaction gets the core demo back, committed, before its fixtures open that transaction:
    once, instead of each later test building it again inside its own rolled-back transaction."""
    uses_db = item.get_closest_marker("django_db") or "db" in item.fixturenames
    if _flushed["core"] and uses_db and not _transactional(item):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            _build_core(item.config)
        _flushed["core"] = False


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    try:
        return (yield)
    finally:
        if _transactional(item):
            _flushed["core"] = True


def core_demo() -> DemoContext:
    """The core demo as the session built it, read back from the database; built again when a
    transactional test (which empties the tables when it ends) ran before."""
    from cms.demo import ACCOUNTS
    from cms.models import HomePage, Mairie, User

    ctx = DemoContext(stdout=lambda line: None)
    mairies = {m.slug: m for m in Mairie.objects.select_related("site")}
    if set(mairies) != {"paris19", "paris20"}:
        seed_core(ctx, port=80)
        return ctx
    ctx.mairies = mairies
    ctx.homes = {home.slug.removeprefix("accueil-"): home
                 for home in HomePage.objects.filter(slug__in=[f"accueil-{slug}" for slug in mairies])}
    ctx.users = User.objects.in_bulk(list(ACCOUNTS), field_name="username")
    return ctx


@pytest.fixture
def site_ctx(db):
    """The core demo: the 19e (default site) and the 20e, with their home pages and demo accounts."""
    return core_demo()


@pytest.fixture
def mairie19(site_ctx):
    return site_ctx.mairies["paris19"]


@pytest.fixture
def mairie20(site_ctx):
    return site_ctx.mairies["paris20"]


@pytest.fixture
def resident19(mairie19):
    return resident(mairie19, username="resident19")


@pytest.fixture
def resident20(mairie20):
    return resident(mairie20, username="resident20")


@pytest.fixture
def agent19(mairie19):
    return agent(mairie19, username="agent19")


@pytest.fixture
def agent20(mairie20):
    return agent(mairie20, username="agent20b")


@pytest.fixture
def editor19(mairie19):
    return editor(mairie19, username="editor19")


@pytest.fixture
def organiser19(mairie19):
    return organiser(mairie19, username="organiser19")


@pytest.fixture
def client19(site_ctx):
    return Client(HTTP_HOST=HOST19)


@pytest.fixture
def client20(site_ctx):
    return Client(HTTP_HOST=HOST20)


@pytest.fixture
def api19(site_ctx):
    return APIClient(HTTP_HOST=HOST19)


@pytest.fixture
def api20(site_ctx):
    return APIClient(HTTP_HOST=HOST20)


def api_as(user, host=HOST19):
    client = APIClient(HTTP_HOST=host)
    client.force_authenticate(user)
    return client


def client_as(user, host=HOST19):
    client = Client(HTTP_HOST=host)
    client.force_login(user)
    return client


class _Server:
    def __init__(self, url, server, thread):
        self.url, self._server, self._thread = url, server, thread


@pytest.fixture
def concurrent_server(transactional_db):
    """A threaded WSGI server of the whole project, with a listen backlog large enough for
    bursts of simultaneous requests (Django's live_server accepts 10 pending connections).
    Each request thread uses its own database connection, closed when the request ends.
    After the flush that ends such a test, post_migrate brings back what migrations created
    (permissions, role groups, Wagtail's root page: see cms.signals)."""
    import threading

    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    class Server(ThreadedWSGIServer):
        request_queue_size = 256

    server = Server(("127.0.0.1", 0), QuietHandler, allow_reuse_address=True, connections_override=None)
    server.set_app(WSGIHandler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield _Server(f"http://localhost:{server.server_address[1]}", server, thread)
    server.shutdown()
    server.server_close()
