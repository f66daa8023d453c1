"""/api/guide/ (public, read-only, per mairie) and /api/carnets/ (the resident and the services
they shared with), in the schema, errors in the API's one shape."""

from guide.models import Carnet, DemarchePage
from tests.conftest import api_as


def test_guide_api_is_public_and_read_only(api19, creche):
    situations = api19.get("/api/guide/situations/").json()
    assert situations["count"] >= 6
    first = situations["results"][0]
    assert {"title", "postits", "notes", "demarches", "url"} <= set(first)
    demarches = api19.get("/api/guide/demarches/?page_size=100").json()
    assert demarches["count"] >= 12
    detail = api19.get(f"/api/guide/demarches/{creche.pk}/").json()
    assert detail["service"]["slug"] == "relais-familles" and "agents" not in detail["service"]
    assert any(doc["name"].startswith("Le dernier avis") for doc in detail["documents"])
    assert api19.post("/api/guide/demarches/", {}).status_code in (403, 405)


def test_unknown_demarche_is_a_404_in_the_api_shape(api19, guide19):
    response = api19.get("/api/guide/demarches/999999/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_carnet_api_flow(creche, resident19, family_agent, other_agent):
    me, agent, other = api_as(resident19), api_as(family_agent), api_as(other_agent)
    created = me.post("/api/carnets/", {"demarche": creche.pk}, format="json")
    assert created.status_code == 201
    carnet = created.json()
    pk, item = carnet["id"], carnet["items"][0]["id"]
    assert me.post("/api/carnets/", {"demarche": creche.pk}, format="json").status_code == 409
    assert me.post(f"/api/carnets/{pk}/items/{item}/", {"state": "verified"}, format="json").status_code == 403
    assert me.post(f"/api/carnets/{pk}/items/{item}/", {"state": "brought"}, format="json").json()["state"] == "brought"
    assert agent.get(f"/api/carnets/{pk}/").status_code == 404

    share = me.post(f"/api/carnets/{pk}/share/", {"service": "relais-familles"}, format="json")
    assert share.status_code == 201
    assert agent.get(f"/api/carnets/{pk}/").status_code == 200
    assert pk in [c["id"] for c in agent.get("/api/carnets/?shared=1").json()["results"]]
    assert other.get(f"/api/carnets/{pk}/").status_code == 404
    assert pk not in [c["id"] for c in other.get("/api/carnets/").json()["results"]]
    assert agent.post(f"/api/carnets/{pk}/items/{item}/", {"state": "verified"}, format="json").status_code == 200
    assert agent.post(f"/api/carnets/{pk}/share/", {"service": "casvp"}, format="json").status_code == 403
    assert agent.post(f"/api/carnets/{pk}/agent/", {"agent_note": "RDV pris."}, format="json").status_code == 200

    share_id = share.json()["id"]
    assert me.post(f"/api/carnets/{pk}/shares/{share_id}/revoke/").status_code == 200
    again = me.post(f"/api/carnets/{pk}/shares/{share_id}/revoke/")
    assert again.status_code == 409 and again.json()["code"] == "revoked"
    assert agent.get(f"/api/carnets/{pk}/").status_code == 404
    assert agent.post(f"/api/carnets/{pk}/items/{item}/", {"state": "to_bring"}, format="json").status_code == 404


def test_carnet_api_refuses_bad_input_and_anonymous(api19, creche, resident19):
    assert api19.get("/api/carnets/").status_code in (401, 403)
    me = api_as(resident19)
    bad = me.post("/api/carnets/", {"demarche": "x"}, format="json")
    assert bad.status_code == 400 and "demarche" in bad.json()["errors"]
    assert me.post("/api/carnets/", {"demarche": 2**63}, format="json").status_code == 400
    assert me.post("/api/carnets/", {"demarche": 999999}, format="json").status_code == 400
    assert not Carnet.objects.filter(owner=resident19).exists()
    assert me.get("/api/carnets/99999999999999999999/").status_code == 404


def test_owner_deletes_a_carnet(creche, resident19):
    me = api_as(resident19)
    pk = me.post("/api/carnets/", {"demarche": creche.pk}, format="json").json()["id"]
    assert me.delete(f"/api/carnets/{pk}/").status_code == 204
    assert not Carnet.objects.filter(pk=pk).exists()


def test_schema_documents_both_apis(api19, site_ctx):
    paths = api19.get("/api/schema/?format=json").json()["paths"]
    assert "/api/guide/demarches/{id}/" in paths and "/api/carnets/{id}/share/" in paths
    assert "/api/carnets/{id}/shares/{share_id}/revoke/" in paths


def test_api_root_lists_the_families(api19, site_ctx):
    body = api19.get("/api/").content.decode()
    assert "/api/guide/demarches/" in body and "/api/carnets/" in body


def test_demarche_without_service_serialises(api19, creche):
    DemarchePage.objects.filter(pk=creche.pk).update(service=None)
    assert api19.get(f"/api/guide/demarches/{creche.pk}/").json()["service"] is None
