"""The wall: every route of bricolages/urls.py and bricolages/api/urls.py, read from the URL conf
itself (a new route cannot be forgotten), tried as anonymous, resident and agent."""

import pytest
from django.urls import URLPattern, URLResolver, reverse
from rest_framework.test import APIClient

from bricolages import urls as html_urls
from bricolages.api import urls as api_urls
from bricolages.models import (
    BricolageChange,
    BricolagePage,
    ExplorationApplication,
    ExplorationDay,
    ExplorationSummary,
    Feedback,
    LogbookEntry,
    Rating,
)
from tests.conftest import HOST19, HOST20, api_as, client_as
from tests.factories.bricolages import png_upload
from tests.factories.explorations import accepted_exploration, exploration_day, move_day_to_the_past


def _patterns(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, prefix)
        elif isinstance(entry, URLPattern) and entry.name and not entry.name.startswith("openbricolage"):
            yield entry  # Open Bricolage's programme is public: its own wall is tests/bricolages/test_openbricolage_web.py


# The explorations' routes name their day, application or summary `pk` (the longest prefix wins).
EXPLORATION_PKS = (("exploration-summary-publish", "application"), ("exploration-application", "application"),
                   ("exploration-summary", "summary"), ("exploration-day", "day"), ("exploration-apply", "day"),
                   ("exploration", "application"))
# Routes that answer POST only (a GET is 405).
POST_ONLY = {"rate", "unrate", "feedback", "born-from", "exploration-apply", "exploration-accept",
             "exploration-decline", "exploration-cancel", "exploration-logbook", "exploration-share",
             "exploration-summary-publish"}
API_POST_ONLY = {"bricolage-restore", "exploration-day-apply", "exploration-application-accept",
                 "exploration-application-decline", "exploration-application-cancel", "exploration-application-share",
                 "exploration-application-summary", "exploration-summary-link"}


def _kwargs(pattern, objects):
    names = set(pattern.pattern.regex.groupindex)
    kind = next((kind for prefix, kind in EXPLORATION_PKS if pattern.name.startswith(prefix)), None)
    values = {**objects, "pk": objects[kind]} if kind else objects
    return {name: values[name] for name in names}


@pytest.fixture
def objects(queue_tool, agent20):
    """A variant (so that "difference with the original" has something to show), with its parent's
    picture and file."""
    from bricolages import services
    from bricolages.explorations import services as exploration_services

    data = services.BricolageInput.from_page(queue_tool, title="File d'attente, version du 20e")
    variant = services.bricolage_create(author=agent20, data=data, variant_of=queue_tool)
    # An exploration of the 20e's agent in a service of their own mairie (so they are host and visitor),
    # with a logbook photo and a summary.
    day = exploration_day(agent20)
    application = accepted_exploration(agent20, day, agent20)
    entry = exploration_services.logbook_add(user=agent20, application=application, text="Note", photo=png_upload(),
                                             photo_alt="Une photo")
    move_day_to_the_past(day)
    summary = exploration_services.summary_publish(user=agent20, application=application, title="Appris", text="Tout")
    return {
        "pk": variant.pk,
        "revision_id": variant.live_revision_id,
        "attachment_id": variant.attachments.first().pk,
        "image_id": variant.step_list[0]["image"].pk,
        "size": "etape",
        "day": day.pk, "application": application.pk, "summary": summary.pk, "entry_id": entry.pk,
    }


def html_routes(objects):
    return [(p.name, reverse(f"bricolages:{p.name}", kwargs=_kwargs(p, objects)))
            for p in _patterns(html_urls.urlpatterns)]


def api_routes(objects):
    return [(p.name, reverse(f"bricolages-api:{p.name}", kwargs=_kwargs(p, objects)))
            for p in _patterns(api_urls.urlpatterns)]


def _counts():
    return (BricolagePage.objects.count(), BricolageChange.objects.count(), Rating.objects.count(),
            Feedback.objects.count(), sum(len(p.step_list) for p in BricolagePage.objects.all()),
            ExplorationDay.objects.count(), ExplorationApplication.objects.count(), LogbookEntry.objects.count(),
            ExplorationSummary.objects.count(), list(BricolagePage.objects.values_list("born_from", flat=True)))


def test_the_url_conf_lists_every_route_the_wall_tries(objects):
    names = {name for name, _url in html_routes(objects)}
    assert names >= {"list", "create", "detail", "edit", "variant", "history", "compare", "revision", "restore",
                     "rate", "unrate", "feedback", "attachment", "image", "parent-diff"}
    api_names = {name for name, _url in api_routes(objects)}
    assert api_names >= {"bricolage-list", "bricolage-detail", "bricolage-revisions", "bricolage-rating",
                         "bricolage-feedback", "bricolage-restore", "exploration-day-apply",
                         "exploration-application-logbook", "exploration-summary-link"}
    assert names >= {"explorations", "exploration-day", "exploration-apply", "exploration", "exploration-logbook",
                     "exploration-photo", "exploration-share", "exploration-summary", "born-from"}


@pytest.mark.parametrize("host", [HOST19, HOST20])
def test_anonymous_visitors_are_sent_to_the_login_page_everywhere(objects, host):
    client = __import__("django.test", fromlist=["Client"]).Client(HTTP_HOST=host)
    before = _counts()
    for _name, url in html_routes(objects):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, (method, url)
            assert response["Location"].startswith(reverse("login")), url
    assert _counts() == before


def test_anonymous_api_calls_get_401(objects):
    client = APIClient(HTTP_HOST=HOST19)
    before = _counts()
    for _name, url in api_routes(objects):
        for method in ("get", "post", "put", "patch", "delete"):
            response = getattr(client, method)(url, {}, format="json")
            assert response.status_code == 401, (method, url, response.status_code)
            assert response.json()["code"] == "not_authenticated"
    assert _counts() == before


@pytest.mark.parametrize("host", [HOST19, HOST20])
def test_residents_get_403_everywhere_and_change_nothing(objects, resident19, host):
    client = client_as(resident19, host=host)
    before = _counts()
    for _name, url in html_routes(objects):
        for method, data in (("get", {}), ("post", {"stars": "4", "outcome": "worked", "note": "x", "title": "x",
                                                     "goals": "x", "summary": "", "text": "x"})):
            response = getattr(client, method)(url, data)
            assert response.status_code == 403, (method, url, response.status_code)
            assert "pas accès à cette page" in response.content.decode()
    assert _counts() == before


def test_residents_get_403_on_every_api_route(objects, resident19):
    client = api_as(resident19)
    before = _counts()
    for _name, url in api_routes(objects):
        for method in ("get", "post", "put", "patch", "delete"):
            response = getattr(client, method)(url, {"stars": 4}, format="json")
            assert response.status_code == 403, (method, url, response.status_code)
    assert _counts() == before


@pytest.mark.parametrize("host", [HOST19, HOST20])
def test_agents_of_either_mairie_reach_every_page(objects, agent20, host):
    client = client_as(agent20, host=host)
    for name, url in html_routes(objects):
        response = client.get(url)
        if name in POST_ONLY:
            assert response.status_code == 405, url  # POST-only actions
        elif name == "exploration-calendar":
            assert response.status_code == 403, url  # the season's calendar is the organisers'
        elif name == "compare":
            assert response.status_code in (200, 302), url
        else:
            assert response.status_code == 200, (url, response.status_code)


def test_agents_reach_every_api_route(objects, agent20):
    client = api_as(agent20, host=HOST20)
    for name, url in api_routes(objects):
        response = client.get(url)
        if name in API_POST_ONLY:
            assert response.status_code == 405, url
        else:
            assert response.status_code == 200, (url, response.status_code)


def test_editors_and_organisers_are_staff_too(objects, editor19, organiser19):
    for user in (editor19, organiser19):
        assert client_as(user).get(reverse("bricolages:detail", args=[objects["pk"]])).status_code == 200
        assert api_as(user).get(reverse("bricolages-api:bricolage-list")).status_code == 200


def test_a_resident_does_not_see_the_section_on_the_home_page(client19, resident19, agent19):
    home = client_as(resident19).get("/").content.decode()
    assert "/bricolages/" not in home
    assert "/bricolages/" in client_as(agent19).get("/").content.decode()
    assert "/bricolages/" not in client19.get("/").content.decode()


def test_comments_of_a_bricolage_are_hidden_from_residents(objects, resident19, agent20):
    from participation import services as engine

    engine.comment_post(user=agent20, target=BricolagePage.objects.get(pk=objects["pk"]), text="Merci !")
    target = f"bricolages.bricolagepage:{objects['pk']}"
    assert api_as(agent20).get("/api/participation/comments/", {"target": target}).status_code == 200
    assert api_as(resident19).get("/api/participation/comments/", {"target": target}).status_code == 404
    response = api_as(resident19).post("/api/participation/comments/", {"target": target, "text": "Coucou"},
                                       format="json")
    assert response.status_code == 404
