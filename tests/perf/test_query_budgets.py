"""Query budgets: a page or an endpoint runs as many queries with 100 items as with 5 (no N+1),
and stays under a fixed budget. Each test measures the same request twice: with 5 items, then
after adding 95 more; anonymous and logged-in (a logged-in visitor sees their supports, reply
forms...). The page cache is off here (test settings): these are the real renders."""

import pytest

from participation.bureau.models import Status
from tests.conftest import api_as, client_as
from tests.factories import perf as many
from tests.factories import resident
from tests.factories.bureau import ProjectFactory, bureau_index

from .budgets import API_BUDGET, PAGE_BUDGET, assert_all_flat, assert_flat


@pytest.fixture
def people(mairie19):
    return [resident(mairie19, username=f"voisin{i}") for i in range(4)]


def _projects(mairie, n, start=0, **kwargs):
    made = []
    for i in range(start, start + n):
        project = ProjectFactory(mairie=mairie, title=f"Projet {i}", **kwargs)
        project.tags.add(f"thème-{i % 7}", "quartier")
        made.append(project)
    return made


@pytest.mark.parametrize("who", ["anonymous", "resident"])
def test_home_and_standard_pages_do_not_depend_on_content_volume(who, client19, mairie19, resident19):
    client = client19 if who == "anonymous" else client_as(resident19)
    bureau_index(mairie19)
    _projects(mairie19, 5)
    for url in ("/", "/a-propos/"):
        assert_flat(client, url, lambda: None, PAGE_BUDGET)
    assert_flat(client, "/", lambda: _projects(mairie19, 95, start=5), PAGE_BUDGET)


@pytest.mark.parametrize("who", ["anonymous", "resident"])
def test_bureau_index_page(who, client19, mairie19, resident19, people):
    client = client19 if who == "anonymous" else client_as(resident19)
    index = bureau_index(mairie19)
    for project in _projects(mairie19, 5):
        many.supports(project, [resident19, *people])

    def grow():
        for project in _projects(mairie19, 95, start=5, status=Status.INCUBATED):
            many.supports(project, [resident19])

    first, second = assert_flat(client, index.url, grow, PAGE_BUDGET)
    assert "Projet 4" in first.content.decode() and "Projet 99" in second.content.decode()
    assert_flat(client, f"{index.url}?tri=soutiens&statut=incubated&tag=quartier", lambda: None, PAGE_BUDGET)


@pytest.mark.parametrize("who", ["anonymous", "resident"])
def test_bureau_project_page(who, client19, mairie19, resident19, organiser19, people):
    from participation import services
    from participation.bureau.models import ProjectUpdate

    client = client19 if who == "anonymous" else client_as(resident19)
    index = bureau_index(mairie19)
    project = _projects(mairie19, 1, status=Status.INCUBATED)[0]
    url = f"{index.url}projets/{project.pk}/"
    many.comments(project, people, 5)
    many.audit_entries(project, organiser19, 5)
    services.follow_add(user=resident19, target=project)

    def grow():
        many.comments(project, people, 95, start=5)
        many.audit_entries(project, organiser19, 95)
        ProjectUpdate.objects.bulk_create([ProjectUpdate(project=project, author=people[0], text=f"Nouvelle {i}")
                                           for i in range(30)])
        many.supports(project, people)

    first, second = assert_flat(client, url, grow, PAGE_BUDGET)
    assert "Commentaire n° 99" in second.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "resident"])
def test_bureau_api_list_and_detail(who, api19, mairie19, resident19):
    client = api19 if who == "anonymous" else api_as(resident19)
    _projects(mairie19, 5, status=Status.INCUBATED)
    url = "/api/bureau/projects/?page_size=100"
    first, second = assert_flat(client, url, lambda: _projects(mairie19, 95, start=5, status=Status.INCUBATED),
                                API_BUDGET)
    assert first.json()["count"] == 5 and len(second.json()["results"]) == 100
    assert_flat(client, "/api/bureau/projects/?status=incubated&ordering=soutiens&tag=quartier&page_size=100",
                lambda: None, API_BUDGET)
    project = second.json()["results"][0]
    assert_flat(client, f"/api/bureau/projects/{project['id']}/", lambda: None, API_BUDGET)


def test_comments_api(api19, mairie19, people):
    project = _projects(mairie19, 1)[0]
    many.comments(project, people, 5)
    url = f"/api/participation/comments/?target=bureau.project:{project.pk}"
    first, second = assert_flat(api19, url, lambda: many.comments(project, people, 95, start=5), API_BUDGET)
    assert len(first.json()) == 5 and len(second.json()) == 100


def test_timeline_api(api19, mairie19, organiser19):
    project = _projects(mairie19, 1)[0]
    many.audit_entries(project, organiser19, 5)
    url = f"/api/participation/timeline/?target=bureau.project:{project.pk}"
    first, second = assert_flat(api19, url, lambda: many.audit_entries(project, organiser19, 95), API_BUDGET)
    assert len(second.json()) == 100


def test_notifications_api_and_page(mairie19, resident19):
    project = _projects(mairie19, 1)[0]
    many.notifications(resident19, project, 5)

    def grow():
        many.notifications(resident19, project, 95)

    (first, second), (page, _page) = assert_all_flat(
        [(api_as(resident19), "/api/participation/notifications/", API_BUDGET),
         (client_as(resident19), "/notifications/", PAGE_BUDGET)], grow)
    assert len(first.json()) == 5 and len(second.json()) == 50
    assert "Nouveau commentaire n° 4" in page.content.decode()


def test_moderation_queue(mairie19, organiser19, people):
    projects = _projects(mairie19, 5)
    many.reports(projects, people[:2])

    def grow():
        many.reports(_projects(mairie19, 95, start=5), people[:2])

    (first, second), (_page, page) = assert_all_flat(
        [(api_as(organiser19), "/api/participation/moderation/queue/", API_BUDGET),
         (client_as(organiser19), "/moderation/", PAGE_BUDGET)], grow)
    assert len(first.json()) == 5 and len(second.json()) == 100
    assert "Projet 99" in page.content.decode()


def test_quartiers_api(api19):
    assert_flat(api19, "/api/participation/quartiers/", lambda: None, API_BUDGET)


@pytest.mark.parametrize("who", ["anonymous", "resident"])
def test_search_page_and_api(who, client19, api19, mairie19, resident19):
    from search import services
    from tests.factories.search import search_doc

    def docs(start, n):
        services.document_index(documents=[search_doc(f"Jardin partagé n° {i}", "Un jardin pour le quartier.",
                                                      tags=[f"thème-{i % 5}"], key=f"perf{i}")
                                           for i in range(start, start + n)])

    docs(0, 5)
    client = client19 if who == "anonymous" else client_as(resident19)
    api = api19 if who == "anonymous" else api_as(resident19)
    first, second = assert_flat(client, "/recherche/?q=jardin", lambda: docs(5, 95), PAGE_BUDGET)
    assert "n° 4" in first.content.decode() and "n° 99" not in first.content.decode()
    assert_flat(api, "/api/search/?q=jardin", lambda: docs(100, 20), API_BUDGET)


@pytest.mark.urls("bench.urls")  # the bare view is served by the bench URLconf only
def test_bare_view_touches_no_database(client19, django_assert_num_queries):
    """The benchmarks' ceiling: no query, not even the request's transaction."""
    with django_assert_num_queries(0):
        assert client19.get("/bare/").content == b"ok"
