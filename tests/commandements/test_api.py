"""The charter's REST API under /api/commandements/."""

from datetime import timedelta

import time_machine

from participation.commandements.models import Amendment
from tests.conftest import HOST20, api_as
from tests.factories.commandements import AmendmentFactory, adopted_amendment

BASE = "/api/commandements/"


def _create(client, **data):
    payload = {"number": 3, "proposed_mairie_commitment": "La mairie répond vite.", "rationale": "Plus clair."}
    payload.update(data)
    return client.post(f"{BASE}amendments/", payload, format="json")


def test_the_current_charter_lists_19_commandements_in_order(charter19, api19):
    response = api19.get(BASE)
    assert response.status_code == 200
    data = response.json()
    assert data["version"] == 1
    assert data["consultation"]["state"] == "open"
    assert [c["number"] for c in data["commandements"]] == list(range(1, 20))
    first = data["commandements"][0]
    assert first == {"number": 1, "title": "Titre 1", "mairie_commitment": "La mairie s'engage, n° 1.",
                     "resident_commitment": "Vous vous engagez, n° 1.", "pictogram_url": None, "pictogram_alt": "",
                     "version": 1, "contributions_count": 0, "url": "/19-commandements/commandement/1/"}


def test_a_mairie_without_a_published_charter_answers_404(charter19, api20):
    response = api20.get(BASE)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_history_lists_each_wording_with_its_amendment(charter19, resident19, editor19, api19):
    amendment = adopted_amendment(author=resident19, editor=editor19, charter=charter19, number=5,
                                  proposed_mairie_commitment="Autrement.", rationale="Oui.")
    data = api19.get(f"{BASE}5/history/").json()
    assert [(w["version"], w["mairie_commitment"]) for w in data] == [(1, "La mairie s'engage, n° 5."),
                                                                      (2, "Autrement.")]
    assert data[1]["amendments"][0]["id"] == amendment.pk
    assert data[1]["amendments"][0]["author_kind"] == "resident"
    assert api19.get(BASE).json()["commandements"][4]["contributions_count"] == 1
    assert api19.get(f"{BASE}25/history/").status_code == 404


def test_create_an_amendment(charter19, resident19):
    response = _create(api_as(resident19))
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["number"], data["status"], data["author_kind"], data["supports_count"]) == (3, "open", "resident", 0)
    assert data["url"] == f"/19-commandements/amendements/{data['id']}/"


def test_create_refuses_bad_input_with_clear_messages(charter19, resident19):
    client = api_as(resident19)
    response = _create(client, number=25)
    assert response.status_code == 400
    assert "n'existe pas" in response.json()["errors"]["number"][0]
    response = _create(client, proposed_mairie_commitment="", rationale="Rien.")
    assert response.status_code == 400
    assert "proposed_mairie_commitment" in response.json()["errors"]
    response = _create(client, proposed_mairie_commitment="x" * 401)
    assert response.status_code == 400
    assert "400" in response.json()["errors"]["proposed_mairie_commitment"][0]
    with time_machine.travel(charter19.consultation_closes_at + timedelta(hours=1)):
        response = _create(client)
    assert response.status_code == 400
    assert "close depuis" in response.json()["detail"]
    assert not Amendment.objects.exists()


def test_create_needs_an_account_of_this_mairie(charter19, api19, resident20):
    assert _create(api19).status_code in (401, 403)
    response = _create(api_as(resident20))
    assert response.status_code == 403
    assert response.json()["code"] == "other_mairie"


def test_list_filters_and_hides_what_must_not_show(charter19, resident19):
    shown = AmendmentFactory(charter=charter19, number=2, author=resident19)
    AmendmentFactory(charter=charter19, number=4, author=resident19)
    AmendmentFactory(charter=charter19, number=2, author=resident19, is_hidden=True)
    client = api_as(resident19)
    data = client.get(f"{BASE}amendments/?number=2").json()
    assert [a["id"] for a in data["results"]] == [shown.pk]
    assert client.get(f"{BASE}amendments/?status=rejected").json()["count"] == 0
    assert api_as(resident19, host=HOST20).get(f"{BASE}amendments/").status_code == 404


def test_vote_then_vote_again_then_withdraw(charter19, resident19, agent19):
    amendment = AmendmentFactory(charter=charter19, author=resident19)
    client = api_as(agent19)
    url = f"{BASE}amendments/{amendment.pk}/vote/"
    response = client.post(url)
    assert response.status_code == 201
    assert response.json()["supports_count"] == 1
    assert client.get(f"{BASE}amendments/{amendment.pk}/").json()["supported"] is True
    assert client.post(url).status_code == 409
    response = client.delete(url)
    assert (response.status_code, response.json()["supports_count"]) == (200, 0)


def test_vote_outside_the_window_is_a_400_naming_the_date(charter19, resident19, agent19):
    amendment = AmendmentFactory(charter=charter19, author=resident19)
    with time_machine.travel(charter19.consultation_closes_at + timedelta(days=1)):
        response = api_as(agent19).post(f"{BASE}amendments/{amendment.pk}/vote/")
    assert response.status_code == 400
    assert "fermés depuis le" in response.json()["detail"]


def test_the_author_withdraws(charter19, resident19, agent19):
    amendment = AmendmentFactory(charter=charter19, author=resident19)
    assert api_as(agent19).post(f"{BASE}amendments/{amendment.pk}/withdraw/").status_code == 403
    response = api_as(resident19).post(f"{BASE}amendments/{amendment.pk}/withdraw/")
    assert (response.status_code, response.json()["status"]) == (200, "withdrawn")


def test_an_editor_adopts_and_gets_the_draft_revision(charter19, resident19, editor19):
    amendment = AmendmentFactory(charter=charter19, author=resident19)
    response = api_as(editor19).post(f"{BASE}amendments/{amendment.pk}/adopt/", {"note": "Oui."}, format="json")
    assert response.status_code == 200
    data = response.json()
    assert data["amendment"]["status"] == "adopted"
    assert data["revision"] == charter19.revisions.order_by("-pk").first().pk
    assert data["edit_url"] == f"/admin/pages/{charter19.pk}/edit/"


def test_a_non_editor_cannot_adopt_or_reject(charter19, resident19, agent19):
    amendment = AmendmentFactory(charter=charter19, author=resident19)
    client = api_as(agent19)
    response = client.post(f"{BASE}amendments/{amendment.pk}/adopt/")
    assert response.status_code == 403
    assert "éditeur·rices" in response.json()["detail"]
    assert client.post(f"{BASE}amendments/{amendment.pk}/reject/", {"reason": "Non"}).status_code == 403
    amendment.refresh_from_db()
    assert amendment.status == "open"


def test_reject_needs_a_reason_and_shows_it(charter19, resident19, editor19, api19):
    amendment = AmendmentFactory(charter=charter19, author=resident19)
    client = api_as(editor19)
    assert client.post(f"{BASE}amendments/{amendment.pk}/reject/", {"reason": ""}).status_code == 400
    response = client.post(f"{BASE}amendments/{amendment.pk}/reject/", {"reason": "Redondant."})
    assert response.status_code == 200
    data = api19.get(f"{BASE}amendments/{amendment.pk}/").json()
    assert (data["status"], data["decision_reason"]) == ("rejected", "Redondant.")
    timeline = api19.get(f"/api/participation/timeline/?target=commandements.amendment:{amendment.pk}").json()
    assert timeline[-1]["reason"] == "Redondant."


def test_signature_post_get_delete(charter19, resident19, api19):
    client = api_as(resident19)
    response = client.post(f"{BASE}signature/")
    assert (response.status_code, response.json()) == (201, {"signatures_count": 1, "signed": True})
    assert client.post(f"{BASE}signature/").status_code == 409
    assert api19.get(f"{BASE}signature/").json() == {"signatures_count": 1, "signed": False}
    assert api19.post(f"{BASE}signature/").status_code in (401, 403)
    response = client.delete(f"{BASE}signature/")
    assert (response.status_code, response.json()["signatures_count"]) == (200, 0)


def test_reports_per_commandement(charter19, api19):
    from participation.commandements.models import CommitmentReport

    CommitmentReport.objects.create(charter=charter19, number=7, text="Ouvert le samedi.")
    assert api19.get(f"{BASE}7/reports/").json()[0]["text"] == "Ouvert le samedi."
    assert api19.get(f"{BASE}8/reports/").json() == []


def test_the_api_root_lists_the_families(site_ctx, api19):
    endpoints = api19.get("/api/").json()["endpoints"]
    assert endpoints["commandements"].endswith("/api/commandements/")
    assert endpoints["commandements-amendments"].endswith("/api/commandements/amendments/")


def test_the_schema_documents_the_charter(site_ctx, api19):
    response = api19.get("/api/schema/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/api/commandements/amendments/{id}/adopt/" in body
    assert "/api/commandements/{number}/history/" in body


def test_a_pictogram_comes_with_its_url_and_alt_text(charter19, api19, client19):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    from participation.commandements.models import Commandement

    image = Image.objects.create(title="Sourire", file=get_test_image_file())
    Commandement.objects.filter(page=charter19, number=1).update(pictogram=image,
                                                                  pictogram_alt="Un visage qui sourit")
    data = api19.get(BASE).json()["commandements"][0]
    # Wagtail images are served by the permission-checked view (cms.storage), not from MEDIA_ROOT.
    assert data["pictogram_url"].startswith("http://paris19.localhost/images/images/")
    assert data["pictogram_alt"] == "Un visage qui sourit"
    assert 'alt="Un visage qui sourit"' in client19.get("/19-commandements/").content.decode()
