"""Anonymity holds everywhere: a Bureau project, an amendment and an Occupai proposal published as
« un·e habitant·e du quartier » never show their author's username, names or email in any public
output (timeline API and HTML, detail and list pages and APIs, comments, notifications and emails
to followers, search documents and suggestions, Wagtail API v2, iCalendar feeds, the charter's
wording history), whoever reads them: an anonymous visitor, another resident, an agent or an
organiser of another mairie. The organisers (moderators) of the item's mairie do see the author."""

import json

import pytest
from django.core import mail

from cms import roles
from occupai import services as occupai_services
from participation import selectors as engine_selectors
from participation import services as engine
from participation.bureau import services as bureau_services
from participation.bureau.models import Status
from participation.commandements import services as charter_services
from participation.models import Notification
from tests.conftest import HOST19, api_as, client_as
from tests.factories import UserFactory, agent, organiser, resident
from tests.factories import occupai as f
from tests.factories.bureau import bureau_index
from tests.factories.commandements import make_charter

ANONYMOUS = "un·e habitant·e du quartier"
NEEDLES = ("zquasi", "Zephyrine", "Quasimodobrun", "zquasi@example.org", "Zeph Q")


@pytest.fixture
def author(mairie19):
    return UserFactory(mairie=mairie19, roles=[roles.RESIDENTS], username="zquasi", first_name="Zephyrine",
                       last_name="Quasimodobrun", email="zquasi@example.org", display_name="Zeph Q")


@pytest.fixture
def neighbour(mairie19):
    """Another resident of the 19e, who follows, supports and comments everything."""
    return resident(mairie19, username="voisine")


@pytest.fixture
def world(site_ctx, mairie19, author, neighbour, organiser19, editor19, on_commit, mailoutbox):
    """Everything the anonymous author publishes, taken through its whole life by the services,
    with the notifications' emails sent and the search documents written (after commit)."""
    with on_commit(execute=True):
        bureau_index(mairie19)
        project = bureau_services.project_create(
            author=author, mairie=mairie19, submit=True,
            data={"title": "Un verger partagé square Tanger", "summary": "Des fruitiers pour tout le quartier.",
                  "description": "Planter six pommiers et les entretenir ensemble.", "author_anonymous": True})
    with on_commit(execute=True):
        project = bureau_services.project_transition(actor=organiser19, project=project,
                                                     to_status=Status.UNDER_REVIEW, rationale="Bienvenue au Bureau.")
        engine.follow_add(user=neighbour, target=project)
        project = bureau_services.project_update(actor=author, project=project,
                                                 data={"summary": "Des pommiers pour tous."})
        engine.comment_post(user=neighbour, target=project, text="Je sais greffer les pommiers !")
        engine.support_add(user=neighbour, target=project)
        project = bureau_services.project_transition(
            actor=organiser19, project=project, to_status=Status.INCUBATED,
            rationale="Le service des espaces verts accompagne le projet.")
        bureau_services.project_post_update(actor=author, project=project, text="Les pommiers sont commandés.")

    charter = make_charter(mairie19, user=editor19)
    with on_commit(execute=True):
        withdrawn = charter_services.amendment_submit(
            user=author, charter=charter, number=2, proposed_resident_commitment="Vous lisez un roman.",
            rationale="Pour patienter en paix.", anonymous=True)
        engine.support_add(user=neighbour, target=withdrawn)
        charter_services.amendment_withdraw(user=author, amendment=withdrawn)
        adopted = charter_services.amendment_submit(
            user=author, charter=charter, number=3, proposed_mairie_commitment="La mairie répond en huit jours.",
            rationale="Huit jours suffisent.", anonymous=True)
        engine.follow_add(user=neighbour, target=adopted)
        charter_services.amendment_adopt(actor=editor19, amendment=adopted, note="Bonne idée.")
        charter.refresh_from_db()
        charter.get_latest_revision().publish(user=editor19)

    index = f.index_page(site_ctx.homes["paris19"])
    parvis = f.space(mairie19, name="Parvis de la mairie", capacity=500)
    call = f.call_page(index, phase="submission", spaces=[parvis], title="L'été au parvis")
    with on_commit(execute=True):
        proposal = occupai_services.proposal_create(
            user=author, call=call, slots=[f.event_slot(call, day=1)], submit=True,
            fields={"title": "Bal musette du canal", "description": "Un accordéon et une piste de danse.",
                    "kind": "concert", "proposer_type": "resident", "expected_audience": 120,
                    "author_anonymous": True})
        occupai_services.proposal_accept(actor=organiser19, proposal=proposal)
        engine.follow_add(user=neighbour, target=proposal)
    call = f.set_phase(call, "selection", keep_event_period=True)
    proposal = type(proposal).objects.get(pk=proposal.pk)  # with the call in its new phase
    with on_commit(execute=True):
        start, end = f.event_slot(call, day=1)
        occupai_services.proposal_schedule(actor=organiser19, proposal=proposal, space=parvis, starts_at=start,
                                           ends_at=end)
    call = f.set_phase(call, "programme", keep_event_period=True)
    proposal = type(proposal).objects.get(pk=proposal.pk)
    return {"project": project, "withdrawn": withdrawn, "adopted": adopted, "charter": charter,
            "proposal": proposal, "call": call, "index": index, "event": proposal.event}


def _viewers(mairie20):
    return {"anonymous visitor": None, "agent of the 20e": agent(mairie20, username="agent-vingt"),
            "organiser of the 20e": organiser(mairie20, username="orga-vingt")}


def _get(user, path, api=False, **params):
    client = (api_as(user, HOST19) if user else _anonymous_api()) if api else (
        client_as(user, HOST19) if user else _anonymous_client())
    response = client.get(path, params)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def _anonymous_api():
    from rest_framework.test import APIClient

    return APIClient(HTTP_HOST=HOST19)


def _anonymous_client():
    from django.test import Client

    return Client(HTTP_HOST=HOST19)


def assert_no_author(text, where):
    for needle in NEEDLES:
        assert needle.lower() not in text.lower(), f"{where} shows {needle!r}"


def _public_outputs(world):
    """(name, api?, path, params, a text the output must hold, so that the scan is not vacuous)."""
    project, withdrawn, adopted = world["project"], world["withdrawn"], world["adopted"]
    proposal, call, index, charter = world["proposal"], world["call"], world["index"], world["charter"]
    event = world["event"]
    timeline = "/api/participation/timeline/"
    return [
        ("project timeline API", True, timeline, {"target": project.target_ref}, "Projet déposé"),
        ("withdrawn amendment timeline API", True, timeline, {"target": withdrawn.target_ref}, "Retiré"),
        ("adopted amendment timeline API", True, timeline, {"target": adopted.target_ref}, "Adopté"),
        ("proposal timeline API", True, timeline, {"target": proposal.target_ref}, "accepted"),
        ("project comments API", True, "/api/participation/comments/", {"target": project.target_ref}, "greffer"),
        ("project page", False, project.get_absolute_url(), {}, "Un verger partagé"),
        ("Bureau list", False, bureau_index(project.mairie).url, {}, "Un verger partagé"),
        ("project API", True, f"/api/bureau/projects/{project.pk}/", {}, "Un verger partagé"),
        ("project list API", True, "/api/bureau/projects/", {}, "Un verger partagé"),
        ("project news API", True, f"/api/bureau/projects/{project.pk}/updates/", {}, "commandés"),
        ("withdrawn amendment page", False, withdrawn.get_absolute_url(), {}, "roman"),
        ("adopted amendment page", False, adopted.get_absolute_url(), {}, "huit jours"),
        ("amendments API", True, "/api/commandements/amendments/", {}, "huit jours"),
        ("withdrawn amendments API", True, "/api/commandements/amendments/", {"status": "withdrawn"}, "roman"),
        ("amendment API", True, f"/api/commandements/amendments/{adopted.pk}/", {}, "huit jours"),
        ("wording history page", False, charter.subpage_path("commandement", 3), {}, "huit jours"),
        ("wording history API", True, "/api/commandements/3/history/", {}, "huit jours"),
        ("charter API", True, "/api/commandements/", {}, "huit jours"),
        ("proposal page", False, proposal.get_absolute_url(), {}, "Bal musette"),
        ("proposals API", True, "/api/occupai/proposals/", {"call": call.pk}, "Bal musette"),
        ("proposal API", True, f"/api/occupai/proposals/{proposal.pk}/", {}, "Bal musette"),
        ("events API", True, "/api/occupai/events/", {}, "Bal musette"),
        ("programme page", False, call.subpath("programme"), {}, "Bal musette"),
        ("event page", False, event.get_absolute_url(), {}, "Bal musette"),
        ("programme iCal", False, call.programme_ics_path, {}, "Bal musette"),
        ("event iCal", False, call.event_ics_path(proposal.pk), {}, "Bal musette"),
        ("agenda iCal", False, index.agenda_ics_path, {}, "Bal musette"),
        ("search API", True, "/api/search/", {"q": "verger pommiers"}, "Un verger partagé"),
        ("search API by name", True, "/api/search/", {"q": "Quasimodobrun zquasi"}, '"count"'),
        ("search suggestions", True, "/api/search/suggest/", {"q": "verg"}, "verger"),
        ("search page", False, "/recherche/", {"q": "bal musette"}, "Bal musette"),
        ("amendment search", True, "/api/search/", {"q": "huit jours"}, "Amendement"),
        ("Wagtail API v2 charter", True, f"/api/v2/pages/{charter.pk}/", {}, "huit jours"),
        ("Wagtail API v2 call", True, f"/api/v2/pages/{call.pk}/", {}, "L'été au parvis"),
        ("Wagtail API v2 listing", True, "/api/v2/pages/", {"type": "commandements.CharterPage", "fields": "*"},
         "huit jours"),
    ]


def test_no_public_output_shows_the_anonymous_author(world, mairie20, neighbour):
    viewers = {**_viewers(mairie20), "another resident": neighbour}
    for who, user in viewers.items():
        for name, api, path, params, expected in _public_outputs(world):
            text = _get(user, path, api=api, **params)
            assert expected.lower() in text.lower(), f"{name} ({who}) does not hold {expected!r}"
            assert_no_author(text, f"{name} ({who})")


def test_timelines_name_the_anonymous_author_as_a_resident_of_the_quartier(world, neighbour):
    for key, action in (("project", "submitted"), ("withdrawn", "withdrawn")):
        entries = json.loads(_get(neighbour, "/api/participation/timeline/", api=True,
                                  target=world[key].target_ref))
        entry = next(e for e in entries if e["action"] == action)
        assert entry["actor"] == ANONYMOUS


def test_notifications_and_emails_to_followers_never_name_the_author(world, neighbour, author, organiser19):
    notes = Notification.objects.exclude(user__in=[author, organiser19])
    assert notes.filter(user=neighbour).count() >= 5  # edited, status, news, withdrawn, published, selected
    for note in notes:
        assert_no_author(f"{note.title} {note.message} {note.url}", f"notification {note.verb} to {note.user}")
    sent = [m for m in mail.outbox if organiser19.email not in m.to and author.email not in m.to]
    assert sent
    for message in sent:
        assert_no_author(f"{message.subject} {message.body}", f"email {message.subject!r} to {message.to}")
    assert_no_author(_get(neighbour, "/api/participation/notifications/", api=True), "notifications API")
    assert_no_author(_get(neighbour, "/notifications/"), "notifications page")


def test_the_audit_log_keeps_that_the_author_acted_anonymously(world, author, organiser19):
    entries = {e.action: e for e in engine_selectors.audit_log(world["project"])}
    assert entries["submitted"].actor == author and entries["submitted"].actor_anonymous
    assert entries["transition"].actor == organiser19 and not entries["transition"].actor_anonymous
    withdrawn = {e.action: e for e in engine_selectors.audit_log(world["withdrawn"])}["withdrawn"]
    assert withdrawn.actor == author and withdrawn.actor_anonymous


def test_an_entry_written_anonymously_stays_anonymous_when_the_item_is_renamed_later(world, neighbour):
    project = world["project"]
    type(project).objects.filter(pk=project.pk).update(author_anonymous=False)
    entries = json.loads(_get(neighbour, "/api/participation/timeline/", api=True, target=project.target_ref))
    assert next(e for e in entries if e["action"] == "submitted")["actor"] == ANONYMOUS


def test_the_organisers_of_the_item_s_mairie_see_the_author(world, organiser19):
    project, withdrawn = world["project"], world["withdrawn"]
    for item, action in ((project, "submitted"), (withdrawn, "withdrawn")):
        entries = json.loads(_get(organiser19, "/api/participation/timeline/", api=True, target=item.target_ref))
        assert next(e for e in entries if e["action"] == action)["actor"] == "Zeph Q"
    queue = _get(organiser19, f"{bureau_index(project.mairie).url}a-relire/")
    assert "Zeph Q" in queue
    assert "Zeph Q" in _get(organiser19, world["call"].subpath("organise"))


# --- an agent's anonymous flag is honoured or refused, never dropped ------------------------------


def test_an_agent_asking_for_an_anonymous_amendment_in_the_api_gets_a_400_saying_why(mairie19, agent19, editor19):
    from participation.commandements.models import Amendment

    make_charter(mairie19, user=editor19)
    response = api_as(agent19).post("/api/commandements/amendments/", {
        "number": 2, "proposed_resident_commitment": "Vous lisez un roman.", "rationale": "Pour patienter.",
        "anonymous": True}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and "ne publient pas anonymement" in body["errors"]["anonymous"][0]
    assert not Amendment.objects.exists()


def test_an_agent_sending_anonymity_through_the_form_is_told_why_and_nothing_is_saved(mairie19, agent19, editor19):
    from participation.commandements.models import Amendment

    charter = make_charter(mairie19, user=editor19)
    response = client_as(agent19).post(charter.subpage_path("propose", 2), {
        "kind": "wording", "proposed_resident_commitment": "Vous lisez un roman.", "rationale": "Pour patienter.",
        "anonymous": "on"})
    assert response.status_code == 400
    assert "ne publient pas anonymement" in response.content.decode()
    assert not Amendment.objects.exists()


def test_an_agent_s_anonymous_bureau_project_is_honoured(mairie19, agent19, organiser19):
    bureau_index(mairie19)
    response = api_as(agent19).post("/api/bureau/projects/", {
        "title": "Une boîte à livres", "summary": "Échanger des livres.", "description": "Devant la mairie.",
        "author_anonymous": True, "submit": True}, format="json")
    assert response.status_code == 201
    assert response.json()["author"] == ANONYMOUS
    entries = json.loads(_get(organiser19, "/api/participation/timeline/", api=True,
                              target=f"bureau.project:{response.json()['id']}"))
    assert entries[0]["actor"] == agent19.public_name
