"""The REST API: calls with their phase, proposals (filter, create), votes, schedule, programme."""

import time_machine

from occupai.models import Event, Proposal
from participation.models import Support
from tests.conftest import HOST20, api_as
from tests.factories import occupai as f

BASE = "/api/occupai"


def payload(call, **extra):
    start, end = f.event_slot(call, day=1)
    return {"call": call.pk, "title": "Repas de quartier", "description": "Chacun apporte un plat.", "kind": "meal",
            "proposer_type": "association", "proposer_name": "Les Voisins de Crimée", "expected_audience": 120,
            "needs": ["tables", "water"], "slots": [{"starts_at": start.isoformat(), "ends_at": end.isoformat()}],
            **extra}


def test_calls_list_their_phase_dates_and_spaces(api19, call_voting):
    data = api19.get(f"{BASE}/calls/").json()
    (call,) = data["results"]
    assert call["phase"] == {"key": "voting", "label": "Vote en cours"}
    assert call["next_phase"]["key"] == "selection"
    assert call["voting_closes_at"] and call["event_starts_on"]
    assert {s["name"] for s in call["spaces"]} == {"Salle des fêtes", "Parvis avant", "Salon d'honneur"}
    assert call["vote_budget"] == 3 and call["supports_left"] is None


def test_calls_are_scoped_to_the_mairie_of_the_host(api19, api20, call_voting, call20):
    assert [c["id"] for c in api19.get(f"{BASE}/calls/").json()["results"]] == [call_voting.pk]
    assert [c["id"] for c in api20.get(f"{BASE}/calls/").json()["results"]] == [call20.pk]
    assert api20.get(f"{BASE}/calls/{call_voting.pk}/").status_code == 404


def test_resident_creates_a_proposal_through_the_api(call_submission, resident19, spaces19):
    response = api_as(resident19).post(f"{BASE}/proposals/", {**payload(call_submission),
                                                               "preferred_spaces": [spaces19["parvis"].pk]},
                                       format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "submitted" and data["is_mine"]
    assert data["proposer"] == "Les Voisins de Crimée"
    assert data["preferred_spaces"] == [spaces19["parvis"].pk]
    assert len(data["slots"]) == 1


def test_multipart_create_with_an_image_and_slots_as_json(call_submission, resident19):
    import json
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (20, 20), "blue").save(buffer, "PNG")
    body = payload(call_submission, image=SimpleUploadedFile("a.png", buffer.getvalue(), content_type="image/png"),
                   image_alt="Un carré bleu")
    body["slots"] = json.dumps(body["slots"])
    response = api_as(resident19).post(f"{BASE}/proposals/", body, format="multipart")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["image"].startswith("http://paris19.localhost/occupai/photos/")  # the permission-checked view
    assert len(data["slots"]) == 1 and data["needs"] == ["tables", "water"]
    Proposal.objects.get().image.delete(save=False)


def test_a_draft_then_submit(call_submission, resident19):
    client = api_as(resident19)
    draft = client.post(f"{BASE}/proposals/", payload(call_submission, submit=False), format="json").json()
    assert draft["status"] == "draft"
    edited = client.patch(f"{BASE}/proposals/{draft['id']}/", {"title": "Grand repas"}, format="json")
    assert edited.status_code == 200 and edited.json()["status"] == "draft"
    submitted = client.post(f"{BASE}/proposals/{draft['id']}/submit/")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"


def test_no_proposal_outside_the_submission_window_with_a_clear_400(call_voting, resident19):
    response = api_as(resident19).post(f"{BASE}/proposals/", payload(call_voting), format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "submission_closed"
    assert "fermé" in response.json()["detail"]
    assert not Proposal.objects.exists()


def test_invalid_proposal_answers_field_errors(call_submission, resident19):
    response = api_as(resident19).post(f"{BASE}/proposals/", payload(call_submission, expected_audience=0,
                                                                      kind="rodeo"), format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) >= {"expected_audience", "kind"}


def test_slot_outside_period_is_a_400_on_slots(call_submission, resident19):
    start = call_submission.event_ends_at
    body = payload(call_submission, slots=[{"starts_at": start.isoformat(), "ends_at": start.isoformat()}])
    response = api_as(resident19).post(f"{BASE}/proposals/", body, format="json")
    assert response.status_code == 400
    assert "slots" in response.json()["errors"]


def test_call_of_another_mairie_cannot_be_named(call20, resident19):
    response = api_as(resident19).post(f"{BASE}/proposals/", payload(call20), format="json")
    assert response.status_code == 400
    assert "call" in response.json()["errors"]


def test_anonymous_cannot_create(api19, call_submission):
    assert api19.post(f"{BASE}/proposals/", payload(call_submission), format="json").status_code in (401, 403)


def test_list_filters_by_call_and_hides_unpublished(api19, make_call):
    first, second = make_call("voting"), make_call("voting")
    shown = f.proposal(first)
    f.proposal(first, status=Proposal.Status.SUBMITTED)
    f.proposal(first, is_hidden=True)
    f.proposal(second)
    ids = [p["id"] for p in api19.get(f"{BASE}/proposals/", {"call": first.pk}).json()["results"]]
    assert ids == [shown.pk]


def test_vote_post_and_delete_with_supports_left(call_voting, resident19):
    proposal = f.proposal(call_voting)
    client = api_as(resident19)
    response = client.post(f"{BASE}/proposals/{proposal.pk}/vote/")
    assert response.status_code == 201
    assert response.json() == {"supports_count": 1, "supports_left": 2, "supported": True}
    assert client.get(f"{BASE}/proposals/{proposal.pk}/").json()["supported"] is True
    assert client.get(f"{BASE}/calls/{call_voting.pk}/").json()["supports_left"] == 2
    assert client.post(f"{BASE}/proposals/{proposal.pk}/vote/").status_code == 409
    response = client.delete(f"{BASE}/proposals/{proposal.pk}/vote/")
    assert response.status_code == 200 and response.json()["supports_left"] == 3


def test_fourth_vote_is_refused_with_409_naming_the_budget(call_voting, resident19):
    client = api_as(resident19)
    proposals = [f.proposal(call_voting) for _ in range(4)]
    for proposal in proposals[:3]:
        assert client.post(f"{BASE}/proposals/{proposal.pk}/vote/").status_code == 201
    response = client.post(f"{BASE}/proposals/{proposals[3].pk}/vote/")
    assert response.status_code == 409
    assert response.json()["code"] == "budget_spent" and "3 soutiens" in response.json()["detail"]
    assert Support.objects.count() == 3


def test_vote_outside_window_is_400(call_selection, resident19):
    proposal = f.proposal(call_selection)
    response = api_as(resident19).post(f"{BASE}/proposals/{proposal.pk}/vote/")
    assert response.status_code == 400
    assert not Support.objects.exists()


def test_resident_of_the_20e_cannot_vote_on_a_19e_call(call_voting, resident20):
    proposal = f.proposal(call_voting)
    response = api_as(resident20).post(f"{BASE}/proposals/{proposal.pk}/vote/")
    assert response.status_code == 403 and "19e" in response.json()["detail"]
    assert api_as(resident20, host=HOST20).post(f"{BASE}/proposals/{proposal.pk}/vote/").status_code == 404
    assert not Support.objects.exists()


def test_counts_hidden_during_voting_when_the_call_says_so(make_call, resident19, organiser19):
    call = make_call("voting", show_counts_during_voting=False)
    proposal = f.proposal(call, supports_count=4)
    assert api_as(resident19).get(f"{BASE}/proposals/{proposal.pk}/").json()["supports_count"] is None
    assert api_as(resident19).post(f"{BASE}/proposals/{proposal.pk}/vote/").json()["supports_count"] is None
    assert api_as(organiser19).get(f"{BASE}/proposals/{proposal.pk}/").json()["supports_count"] == 5


def test_organiser_accepts_and_rejects_through_the_api(call_submission, organiser19, resident19):
    pending = f.proposal(call_submission, status=Proposal.Status.SUBMITTED)
    other = f.proposal(call_submission, status=Proposal.Status.SUBMITTED)
    client = api_as(organiser19)
    assert client.get(f"{BASE}/proposals/", {"status": "submitted"}).json()["count"] == 2
    assert client.post(f"{BASE}/proposals/{pending.pk}/accept/").json()["status"] == "accepted"
    response = client.post(f"{BASE}/proposals/{other.pk}/reject/", {"reason": "Hors charte"}, format="json")
    assert response.json()["status"] == "rejected" and response.json()["status_reason"] == "Hors charte"
    assert client.post(f"{BASE}/proposals/{other.pk}/reject/", {}, format="json").status_code == 400


def test_residents_cannot_accept_and_learn_nothing_about_pending_ones(call_submission, resident19):
    """The role is refused before the proposal is looked up: the same 403 whether it exists or not."""
    pending = f.proposal(call_submission, status=Proposal.Status.SUBMITTED)
    assert api_as(resident19).post(f"{BASE}/proposals/{pending.pk}/accept/").status_code == 403
    assert api_as(resident19).post(f"{BASE}/proposals/999999/accept/").status_code == 403


def test_resident_cannot_accept_a_published_one(call_submission, resident19):
    shown = f.proposal(call_submission, status=Proposal.Status.REJECTED, author=resident19)
    response = api_as(resident19).post(f"{BASE}/proposals/{shown.pk}/accept/")
    assert response.status_code == 403


def test_schedule_endpoint_and_its_refusals(call_selection, organiser19, spaces19, resident19):
    first, second = f.proposal(call_selection, title="Bal"), f.proposal(call_selection, expected_audience=100)
    start, end = f.event_slot(call_selection, day=0)
    client = api_as(organiser19)
    body = {"space": spaces19["salle"].pk, "start": start.isoformat(), "end": end.isoformat()}
    response = client.post(f"{BASE}/proposals/{first.pk}/schedule/", body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["space"]["name"] == "Salle des fêtes"
    clash = client.post(f"{BASE}/proposals/{second.pk}/schedule/", body, format="json")
    assert clash.status_code == 409 and "Bal" in clash.json()["detail"]
    small = client.post(f"{BASE}/proposals/{second.pk}/schedule/", {**body, "space": spaces19["salon"].pk},
                        format="json")
    assert small.status_code == 400 and "space" in small.json()["errors"]
    assert api_as(resident19).post(f"{BASE}/proposals/{second.pk}/schedule/", body, format="json").status_code == 403
    assert Event.objects.count() == 1


def test_schedule_before_voting_closes_is_400(call_voting, organiser19, spaces19):
    proposal = f.proposal(call_voting)
    start, end = f.event_slot(call_voting)
    response = api_as(organiser19).post(f"{BASE}/proposals/{proposal.pk}/schedule/", {
        "space": spaces19["salle"].pk, "start": start.isoformat(), "end": end.isoformat()}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "voting_not_closed"
    assert not Event.objects.exists()


def test_decline_endpoint(call_selection, organiser19):
    proposal = f.proposal(call_selection)
    response = api_as(organiser19).post(f"{BASE}/proposals/{proposal.pk}/decline/", {"reason": "Complet"},
                                        format="json")
    assert response.status_code == 200 and response.json()["status"] == "not_selected"


def test_programme_is_public_after_results(api19, call_selection, organiser19, spaces19):
    proposal = f.proposal(call_selection, title="Fanfare")
    start, end = f.event_slot(call_selection, day=2)
    api_as(organiser19).post(f"{BASE}/proposals/{proposal.pk}/schedule/", {
        "space": spaces19["parvis"].pk, "start": start.isoformat(), "end": end.isoformat()}, format="json")
    hidden = api19.get(f"{BASE}/calls/{call_selection.pk}/programme/").json()
    assert hidden["published"] is False and hidden["events"] == []
    assert api_as(organiser19).get(f"{BASE}/calls/{call_selection.pk}/programme/").json()["events"]
    with time_machine.travel(call_selection.results_at, tick=False):
        data = api19.get(f"{BASE}/calls/{call_selection.pk}/programme/").json()
        agenda = api19.get(f"{BASE}/events/").json()
    assert data["published"] is True
    (event,) = data["events"]
    assert event["title"] == "Fanfare" and event["space"]["name"] == "Parvis avant"
    assert data["ics"].endswith("/programme.ics")
    assert [e["title"] for e in agenda["results"]] == ["Fanfare"]


def test_ranking_is_for_organisers(call_selection, organiser19, resident19):
    f.proposal(call_selection, supports_count=1, title="B")
    f.proposal(call_selection, supports_count=5, title="A")
    assert [p["title"] for p in api_as(organiser19).get(f"{BASE}/calls/{call_selection.pk}/ranking/").json()] == ["A", "B"]
    assert api_as(resident19).get(f"{BASE}/calls/{call_selection.pk}/ranking/").status_code == 403


def test_api_root_lists_occupai(api19):
    endpoints = api19.get("/api/").json()["endpoints"]
    assert endpoints["occupai-calls"].endswith("/api/occupai/calls/")


def test_public_output_carries_no_personal_data(api19, call_voting, resident19):
    f.proposal(call_voting, author=resident19, author_anonymous=True)
    body = api19.get(f"{BASE}/proposals/").content.decode()
    assert resident19.email not in body and resident19.username not in body
    assert resident19.display_name not in body
