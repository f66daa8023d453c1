"""The Service lab's API: /api/hackathon/..."""

import datetime as dt

import pytest

from hackathon.models import Complaint, Draw, Registration
from tests.conftest import HOST20, api_as
from tests.factories import resident
from tests.factories.hackathon import (
    ComplaintFactory,
    IssueFactory,
    fake_upload,
    issue_with_complaints,
    pdf_upload,
)

from .conftest import NOW, SOURCE

pytestmark = pytest.mark.usefixtures("clock")

PUBLIC_AT = NOW + dt.timedelta(days=2)
OPEN = {"entropy_source": SOURCE, "entropy_available_at": PUBLIC_AT.isoformat()}


def _letter(**extra):
    return {"received_on": "2026-04-28", "channel": "paper", "subject": "Justificatif refusé",
            "full_text": "Texte de la lettre.", "contact_email": "auteur@contact-prive.example", **extra}


def test_an_agent_records_a_letter_with_a_scan_and_reads_it_back(agent19, mairie19):
    api = api_as(agent19)
    response = api.post("/api/hackathon/complaints/", _letter(scan=pdf_upload()), format="multipart")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["contact"]["email"] == "auteur@contact-prive.example"
    assert body["scan_url"] == f"/service-lab/agents/courriers/{body['id']}/scan/"
    listed = api.get("/api/hackathon/complaints/").json()
    assert listed["count"] == 1 and listed["results"][0]["full_text"] == "Texte de la lettre."
    assert api.get(f"/api/hackathon/complaints/{body['id']}/").status_code == 200


def test_a_resident_creates_a_complaint_and_gets_a_receipt_not_the_record(resident19):
    api = api_as(resident19)
    response = api.post("/api/hackathon/complaints/", {"subject": "Bruit", "full_text": "Le bar la nuit."},
                        format="json")
    assert response.status_code == 201
    assert set(response.json()) == {"id", "received_on", "channel"}
    assert Complaint.objects.get().channel == "online"


@pytest.mark.parametrize("who", ["anonymous", "resident", "agent20", "editor"])
def test_non_agents_cannot_list_or_read_complaints(who, mairie19, resident19, agent20, editor19, api19):
    complaint = ComplaintFactory(mairie=mairie19)
    api = {"anonymous": api19, "resident": api_as(resident19), "agent20": api_as(agent20),
           "editor": api_as(editor19)}[who]
    assert api.get("/api/hackathon/complaints/").status_code in (401, 403)
    response = api.get(f"/api/hackathon/complaints/{complaint.pk}/")
    # Anyone but the mairie's agents reads their own complaints only: someone else's is not found.
    assert response.status_code in ((401, 403) if who == "anonymous" else (404,))
    assert "contact-prive" not in response.content.decode()


def test_agents_of_another_mairie_do_not_see_its_complaints_on_their_host(mairie19, agent20):
    ComplaintFactory(mairie=mairie19)
    assert api_as(agent20, host=HOST20).get("/api/hackathon/complaints/").json()["count"] == 0


def test_a_bad_scan_is_a_400_with_the_field(agent19):
    response = api_as(agent19).post("/api/hackathon/complaints/", _letter(scan=fake_upload()), format="multipart")
    assert response.status_code == 400 and "scan" in response.json()["errors"]
    assert not Complaint.objects.exists()


def test_agents_group_and_summarise_by_patch_and_get_suggestions(agent19, mairie19):
    issue = IssueFactory(mairie=mairie19, title="Justificatifs de domicile")
    ComplaintFactory(mairie=mairie19, issue=issue, personal__full_text="facture de portable refusée justificatif")
    complaint = ComplaintFactory(mairie=mairie19, personal__full_text="justificatif de domicile refusé, portable")
    api = api_as(agent19)
    suggestions = api.get(f"/api/hackathon/complaints/{complaint.pk}/suggestions/").json()
    assert suggestions[0]["id"] == issue.pk
    response = api.patch(f"/api/hackathon/complaints/{complaint.pk}/",
                         {"issue": issue.pk, "public_summary": "Justificatif refusé."}, format="json")
    assert response.status_code == 200 and response.json()["issue"] == issue.pk
    assert api.get(f"/api/hackathon/issues/{issue.pk}/").json()["complaints_count"] == 2


def test_issues_are_public_with_recurrence_apart(mairie19, api19, resident19):
    issue = issue_with_complaints(mairie19, 3)
    assert api_as(resident19).post(f"/api/hackathon/issues/{issue.pk}/vote/").status_code == 201
    assert api_as(resident19).post(f"/api/hackathon/issues/{issue.pk}/vote/").status_code == 409
    body = api19.get(f"/api/hackathon/issues/{issue.pk}/").json()
    assert (body["complaints_count"], body["me_too_count"], body["recurrence"]) == (3, 1, 4)
    assert len(body["summaries"]) == 3
    assert api19.post("/api/hackathon/issues/", {"title": "x"}, format="json").status_code in (401, 403)
    assert api_as(resident19).post("/api/hackathon/issues/", {"title": "x"}, format="json").status_code == 403


def test_organisers_open_and_run_draws_everyone_reads_and_verifies(mairie19, organiser19, agent19, api19, clock):
    issue_with_complaints(mairie19, 4)
    assert api_as(agent19).post("/api/hackathon/draws/", OPEN, format="json").status_code == 403
    api = api_as(organiser19)
    opened = api.post("/api/hackathon/draws/", OPEN, format="json")
    assert opened.status_code == 201
    draw_id = opened.json()["id"]
    assert opened.json()["record"]["issues"] and opened.json()["seed"] == ""
    assert api.post("/api/hackathon/draws/", OPEN, format="json").status_code == 409
    empty = api.post(f"/api/hackathon/draws/{draw_id}/run/", {"entropy_value": "  "}, format="json")
    assert empty.status_code == 400 and "entropy_value" in empty.json()["errors"]
    clock.move_to(PUBLIC_AT + dt.timedelta(hours=1))
    ran = api.post(f"/api/hackathon/draws/{draw_id}/run/", {"entropy_value": "1 2 3 4 5"}, format="json")
    assert ran.status_code == 200 and ran.json()["winner"]
    assert api.post(f"/api/hackathon/draws/{draw_id}/run/", {"entropy_value": "9"}, format="json").status_code == 409
    public = api19.get(f"/api/hackathon/draws/{draw_id}/").json()
    assert public["seed"] == ran.json()["seed"] and public["links"]["script"].endswith("verifier.py")
    verify = api19.get(f"/api/hackathon/draws/{draw_id}/verify/").json()
    assert verify["matches"] is True and verify["winner_id"] == public["winner"]["id"]
    assert api.delete(f"/api/hackathon/draws/{draw_id}/").status_code == 405
    assert api.patch(f"/api/hackathon/draws/{draw_id}/", {"seed": "0"}, format="json").status_code == 405
    assert Draw.objects.get().seed == ran.json()["seed"]


def test_a_draw_without_eligible_issue_is_a_400(mairie19, organiser19):
    response = api_as(organiser19).post("/api/hackathon/draws/", OPEN, format="json")
    assert response.status_code == 400 and response.json()["code"] == "no_eligible_issue"


def test_redraw_through_the_api(mairie19, organiser19):
    issue_with_complaints(mairie19, 4)
    issue_with_complaints(mairie19, 3)
    api = api_as(organiser19)
    draw_id = api.post("/api/hackathon/draws/", OPEN, format="json").json()["id"]
    assert api.post(f"/api/hackathon/draws/{draw_id}/redraw/", {"reason": "", "entropy_source": SOURCE},
                    format="json").status_code == 400
    response = api.post(f"/api/hackathon/draws/{draw_id}/redraw/",
                        {"reason": "Le tirage du Loto a été reporté.", "entropy_source": SOURCE + " (reporté)",
                         "entropy_available_at": (PUBLIC_AT + dt.timedelta(days=7)).isoformat()}, format="json")
    assert response.status_code == 201 and response.json()["redraw_of"] == draw_id
    listed = api.get("/api/hackathon/draws/").json()["results"]
    assert [d["sequence"] for d in listed] == [2, 1] and listed[1]["redrawn_by"] == response.json()["id"]


def _drawn(api, clock):
    """Open the month's draw, wait for its announced value, run it: the draw's id."""
    draw_id = api.post("/api/hackathon/draws/", OPEN, format="json").json()["id"]
    clock.move_to(PUBLIC_AT + dt.timedelta(hours=1))
    assert api.post(f"/api/hackathon/draws/{draw_id}/run/", {"entropy_value": "1 2 3"}, format="json").status_code == 200
    return draw_id


def _session_payload(draw_id, capacity=1):
    start = NOW + dt.timedelta(days=10)
    return {"draw": draw_id, "title": "Hackathon", "starts_at": start.isoformat(),
            "ends_at": (start + dt.timedelta(hours=8)).isoformat(), "place": "Salle des fêtes", "capacity": capacity}


def test_sessions_registration_post_and_delete(mairie19, organiser19, api19, clock):
    issue_with_complaints(mairie19, 3)
    api = api_as(organiser19)
    draw_id = _drawn(api, clock)
    created = api.post("/api/hackathon/sessions/", _session_payload(draw_id), format="json")
    assert created.status_code == 201, created.json()
    url = f"/api/hackathon/sessions/{created.json()['id']}/registration/"
    a, b = resident(mairie19, username="a"), resident(mairie19, username="b")
    assert api_as(a).post(url).json()["status"] == "confirmed"
    full = api_as(b).post(url)
    assert full.status_code == 201 and full.json()["status"] == "waiting" and full.json()["position"] == 1
    assert api_as(a).post(url).status_code == 409
    cancelled = api_as(a).delete(url)
    assert cancelled.status_code == 200 and cancelled.json()["registrations"]["confirmed"] == 1
    assert Registration.objects.get(user=b).status == "confirmed"
    assert api19.post(url).status_code in (401, 403)
    listed = api19.get("/api/hackathon/sessions/").json()["results"][0]
    assert listed["registrations"] == {"confirmed": 1, "waiting": 0, "free": 0}


def test_outcomes_through_the_api(mairie19, organiser19, clock, api19):
    issue_with_complaints(mairie19, 3)
    api = api_as(organiser19)
    draw_id = _drawn(api, clock)
    session_id = api.post("/api/hackathon/sessions/", _session_payload(draw_id), format="json").json()["id"]
    clock.shift(dt.timedelta(days=11))
    created = api.post("/api/hackathon/outcomes/", {"session": session_id, "decision": "Factures de mobile acceptées",
                                                    "carried_by": "État civil"}, format="json")
    assert created.status_code == 201
    outcome_url = f"/api/hackathon/outcomes/{created.json()['id']}/advance/"
    assert api.post(outcome_url, {"status": "implemented", "note": "x"}, format="json").status_code == 409
    assert api.post(outcome_url, {"status": "in_progress", "note": "Commencé"}, format="json").status_code == 200
    assert api19.get("/api/hackathon/outcomes/").json()["results"][0]["status"] == "in_progress"
    issue_id = created.json()["issue"]["id"]
    timeline = api19.get(f"/api/hackathon/issues/{issue_id}/").json()["timeline"]
    assert [e["action"] for e in timeline][-2:] == ["outcome_decided", "outcome_in_progress"]


def test_objects_of_another_mairie_are_not_found(mairie20, organiser19):
    issue = issue_with_complaints(mairie20, 3)
    assert api_as(organiser19).get(f"/api/hackathon/issues/{issue.pk}/").status_code == 404
