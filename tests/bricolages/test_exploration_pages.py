"""Explorations through the HTML pages and the API: the same services, the same refusals, and a
logbook that nobody but its author reads until it is shared."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bricolages.explorations import services
from bricolages.models import BricolagePage, ExplorationApplication, LogbookEntry
from tests.conftest import HOST20, api_as, client_as
from tests.factories import agent
from tests.factories.bricolages import bricolage, png_upload
from tests.factories.explorations import accepted_exploration, exploration_day, move_day_to_the_past

GOALS = "Voir comment le service trie le courrier."
SECRET = "Note privée : le logiciel plante tous les mardis"


@pytest.fixture
def day(agent19):
    return exploration_day(agent19, capacity=1)


@pytest.fixture
def exploration(day, agent19, agent20):
    application = accepted_exploration(agent20, day, agent19)
    services.logbook_add(user=agent20, application=application, text=SECRET, photo=png_upload("bureau.png"),
                         photo_alt="Le bureau du courrier")
    return application


# --- HTML ----------------------------------------------------------------------------------------


def test_the_pages_are_for_agents_only(day, resident19, client19):
    url = reverse("bricolages:explorations")
    assert client19.get(url).status_code == 302  # anonymous: the login page
    assert client_as(resident19).get(url).status_code == 403
    assert client_as(resident19).post(reverse("bricolages:exploration-apply", args=[day.pk]),
                                      {"goals": GOALS}).status_code == 403
    assert not ExplorationApplication.objects.exists()


def test_an_agent_of_another_mairie_applies_through_the_page(day, agent20, agent19):
    visitor = client_as(agent20, host=HOST20)
    page = visitor.get(day.get_absolute_url())
    assert page.status_code == 200 and day.contact in page.content.decode()
    response = visitor.post(reverse("bricolages:exploration-apply", args=[day.pk]), {"goals": GOALS})
    application = ExplorationApplication.objects.get()
    assert response.status_code == 302 and response.url == application.get_absolute_url()
    again = visitor.post(reverse("bricolages:exploration-apply", args=[day.pk]), {"goals": GOALS})
    assert again.status_code == 409 and ExplorationApplication.objects.count() == 1

    host = client_as(agent19)
    assert agent20.public_name in host.get(day.get_absolute_url()).content.decode()
    host.post(reverse("bricolages:exploration-accept", args=[application.pk]))
    application.refresh_from_db()
    assert application.is_accepted


def test_empty_goals_and_a_past_day_are_refused_with_400(day, agent20):
    visitor = client_as(agent20, host=HOST20)
    assert visitor.post(reverse("bricolages:exploration-apply", args=[day.pk]), {"goals": " "}).status_code == 400
    move_day_to_the_past(day)
    assert visitor.post(reverse("bricolages:exploration-apply", args=[day.pk]), {"goals": GOALS}).status_code == 400
    assert not ExplorationApplication.objects.exists()


def test_a_logbook_photo_that_is_not_an_image_is_refused_by_the_page(exploration, agent20):
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a picture", content_type="image/jpeg")
    response = client_as(agent20, host=HOST20).post(
        reverse("bricolages:exploration-logbook", args=[exploration.pk]),
        {"carnet-text": "Encore une note", "carnet-photo": fake, "carnet-photo_alt": "Une photo"})
    assert response.status_code == 400
    assert "« photo.jpg » ne correspond pas à un format accepté" in response.content.decode()
    assert LogbookEntry.objects.filter(application=exploration).count() == 1


def test_logbook_text_and_photo_stay_with_the_author_until_shared(exploration, agent19, agent20, mairie20):
    entry = LogbookEntry.objects.get(application=exploration)
    photo_url = reverse("bricolages:exploration-photo", args=[exploration.pk, entry.pk])
    author = client_as(agent20, host=HOST20)
    assert SECRET in author.get(exploration.get_absolute_url()).content.decode()
    assert author.get(photo_url).status_code == 200
    host = client_as(agent19)
    assert SECRET not in host.get(exploration.get_absolute_url()).content.decode()
    assert host.get(photo_url).status_code == 404
    stranger = client_as(agent(mairie20), host=HOST20)
    assert stranger.get(exploration.get_absolute_url()).status_code == 404
    assert stranger.get(photo_url).status_code == 404

    author.post(reverse("bricolages:exploration-share", args=[exploration.pk]))
    assert SECRET in host.get(exploration.get_absolute_url()).content.decode()
    assert host.get(photo_url).status_code == 200
    assert stranger.get(photo_url).status_code == 404


def test_summary_is_published_and_a_bricolage_links_to_it(exploration, agent19, agent20):
    move_day_to_the_past(exploration.day)
    author = client_as(agent20, host=HOST20)
    response = author.post(reverse("bricolages:exploration-summary-publish", args=[exploration.pk]),
                           {"synthese-title": "Trier le courrier autrement", "synthese-text": "Trois bacs au lieu d'un."})
    summary = exploration.summary.__class__.objects.get()
    assert response.status_code == 302 and response.url == summary.get_absolute_url()
    tool = bricolage(agent19, title="Bacs de tri du courrier")
    other = client_as(agent19)
    assert other.post(reverse("bricolages:born-from", args=[tool.pk]), {"summary": summary.pk}).status_code == 302
    assert BricolagePage.objects.get(pk=tool.pk).born_from_id == summary.pk
    assert api_as(agent19).get(reverse("bricolages-api:bricolage-detail", args=[tool.pk])).json()["born_from"] == \
        summary.pk
    linked = api_as(agent20, host=HOST20).get(reverse("bricolages-api:exploration-summary-detail", args=[summary.pk]))
    assert linked.json()["bricolages"] == [tool.pk]
    page = other.get(tool.get_absolute_url()).content.decode()
    assert summary.get_absolute_url() in page
    assert tool.title in other.get(summary.get_absolute_url()).content.decode()
    assert SECRET not in other.get(summary.get_absolute_url()).content.decode()


def test_born_from_an_unknown_summary_is_404_and_changes_nothing(agent19):
    tool = bricolage(agent19)
    response = client_as(agent19).post(reverse("bricolages:born-from", args=[tool.pk]), {"summary": 999999})
    assert response.status_code == 404
    assert BricolagePage.objects.get(pk=tool.pk).born_from_id is None


def test_the_calendar_is_for_organisers(day, organiser19, agent19):
    services.exploration_apply(user=agent19, day=day, goals=GOALS)
    assert client_as(agent19).get(reverse("bricolages:exploration-calendar")).status_code == 403
    page = client_as(organiser19).get(reverse("bricolages:exploration-calendar"))
    assert page.status_code == 200 and day.service in page.content.decode()


# --- API ----------------------------------------------------------------------------------------


def test_api_apply_twice_full_and_resident(day, agent20, mairie20, resident19, api19):
    url = reverse("bricolages-api:exploration-day-apply", args=[day.pk])
    assert api19.post(url, {"goals": GOALS}).status_code == 401
    assert api_as(resident19).post(url, {"goals": GOALS}).status_code == 403
    first = api_as(agent20, host=HOST20).post(url, {"goals": GOALS})
    assert first.status_code == 201 and first.json()["status"] == "confirmed"
    assert api_as(agent20, host=HOST20).post(url, {"goals": GOALS}).status_code == 409
    waiting = api_as(agent(mairie20), host=HOST20).post(url, {"goals": GOALS})
    assert waiting.status_code == 201 and waiting.json()["status"] == "waiting" and waiting.json()["position"] == 1
    assert api_as(agent20, host=HOST20).post(url, {}).status_code == 400


def test_api_logbook_is_the_authors_until_shared(exploration, agent19, agent20, mairie20):
    url = reverse("bricolages-api:exploration-application-logbook", args=[exploration.pk])
    author = api_as(agent20, host=HOST20)
    assert SECRET in str(author.get(url).json())
    assert api_as(agent19).get(url).status_code == 404
    assert api_as(agent(mairie20), host=HOST20).get(url).status_code == 404
    detail = api_as(agent19).get(reverse("bricolages-api:exploration-application-detail", args=[exploration.pk]))
    assert detail.status_code == 200 and SECRET not in detail.content.decode()
    author.post(reverse("bricolages-api:exploration-application-share", args=[exploration.pk]))
    assert SECRET in str(api_as(agent19).get(url).json())


def test_api_logbook_photo_must_be_an_image(exploration, agent20):
    url = reverse("bricolages-api:exploration-application-logbook", args=[exploration.pk])
    fake = SimpleUploadedFile("photo.png", b"MZ\x90\x00 executable", content_type="image/png")
    response = api_as(agent20, host=HOST20).post(url, {"text": "Note", "photo": fake, "photo_alt": "x"},
                                                 format="multipart")
    assert response.status_code == 400 and "photo" in response.json()["errors"]
    good = api_as(agent20, host=HOST20).post(url, {"text": "Note", "photo": png_upload(), "photo_alt": "x"},
                                             format="multipart")
    assert good.status_code == 201 and good.json()["photo"]
    assert LogbookEntry.objects.filter(application=exploration).count() == 2


def test_api_schema_lists_the_exploration_endpoints(api19):
    schema = api19.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in ("/api/bricolages/explorations/days/", "/api/bricolages/explorations/applications/{id}/logbook/",
                 "/api/bricolages/explorations/summaries/{id}/link/"):
        assert path in schema


# --- search -------------------------------------------------------------------------------------


def _search(client, q):
    return client.get("/api/search/", {"q": q}).json()


def test_search_finds_days_and_summaries_for_agents_and_never_a_logbook(exploration, agent19, agent20,
                                                                       resident19, api19):
    import io

    from django.core.management import call_command

    from search.registry import adapters

    move_day_to_the_past(exploration.day)
    services.summary_publish(user=agent20, application=exploration, title="Le tri en trois bacs",
                             text="Ce que le courrier m'a appris.")
    services.logbook_share(user=agent20, application=exploration)
    call_command("rebuild_search_index", stdout=io.StringIO())
    agent_client = api_as(agent19)
    types = {hit["type"] for hit in _search(agent_client, "courrier")["results"]}
    assert {"bricolages.exploration_summary"} <= types
    assert any(hit["type"] == "bricolages.exploration_day" for hit in _search(agent_client, "familles")["results"])
    for client in (api19, api_as(resident19)):
        for q in ("courrier", "familles", "bacs"):
            assert not [hit for hit in _search(client, q)["results"] if hit["type"].startswith("bricolages.")]
    for client in (agent_client, api_as(agent20, host=HOST20)):  # not even its author: never indexed
        assert _search(client, "plante mardis")["count"] == 0
    assert _search(agent_client, "Leroy")["count"] == 0  # the day's contact is not in the documents
    assert not [key for key in adapters() if "logbook" in key]


# --- admin listings -------------------------------------------------------------------------------


def test_the_host_organisers_list_and_export_their_days_and_applications_only(exploration, agent20, mairie19,
                                                                            mairie20, organiser19):
    import csv
    import io

    from tests.factories import organiser

    exploration_day(agent20, service="Voirie du 20e")
    client = client_as(organiser19)
    days = client.get("/admin/bricolages_exploration_days/").content.decode()
    assert exploration.day.service in days and "Voirie du 20e" not in days
    exported = client.get("/admin/bricolages_exploration_applications/?export=csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(exported.streaming_content).decode())))
    assert [(row["Agent"], row["Mairie de l'agent"]) for row in rows] == [(agent20.public_name, mairie20.short_name)]
    assert SECRET not in str(rows)  # logbooks are not in the admin
    other = client_as(organiser(mairie20), host=HOST20)
    assert exploration.day.service not in other.get("/admin/bricolages_exploration_days/").content.decode()
    assert other.get(f"/admin/bricolages_exploration_applications/inspect/{exploration.pk}/").status_code == 404
    assert client_as(agent20, host=HOST20).get("/admin/bricolages_exploration_days/").status_code == 302
