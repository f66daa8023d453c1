"""A carnet opened at the counter for a resident without an account: no owner, the person's first name
or initials at most, shared with the agent's service with their consent; the printed liaison sheet
carries its claim code once (only its hash is stored); with the code the person reads the carnet,
revokes a sharing, and attaches it to their account once they have one. Wrong codes are rate-limited
and answer alike; other agents and mairies get 404; never claimed, it is purged."""

import json
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from cms.privacy import account_delete, export_user_data
from guide import services
from guide.models import Carnet, CarnetShare
from participation.models import AuditEntry
from tests.conftest import HOST19, api_as, client_as
from tests.factories import agent, resident

CODE = re.compile(r"\b[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}\b")


def _open_html(agent_client, creche, **extra):
    data = {"demarche": creche.pk, "who": "no_account", "holder_label": "Awa K.", "consent": "on", **extra}
    response = agent_client.post("/carnets/guichet/", data)
    assert response.status_code == 302, response.content.decode()[:400]
    pk = int(response["Location"].strip("/").split("/")[-2])
    assert response["Location"] == f"/carnets/{pk}/imprimer/"
    return Carnet.objects.get(pk=pk)


def _open(family_agent, mairie19, creche):
    return services.carnet_open_without_account(agent=family_agent, mairie=mairie19, demarche_id=creche.pk,
                                                holder_label="A. K.", consent=True)


def test_code_is_random_80_bits_readable_and_only_hashed():
    codes = {services.claim_code_new() for _n in range(200)}
    assert len(codes) == 200
    for code in list(codes)[:20]:
        assert CODE.fullmatch(code) and not set(code) & set("ILOU")
        digest = services.claim_code_hash(code)
        assert len(digest) == 64 and code not in digest
        assert services.claim_code_hash(code.lower().replace("-", " ")) == digest
    assert len(services.CODE_ALPHABET) ** services.CODE_LENGTH >= 2**80
    assert services.claim_code_hash("0O1IL") == "" and services.claim_code_hash("x" * 5000) == ""


def test_agent_opens_one_without_account_and_the_sheet_shows_the_code_once(creche, family_agent, other_agent):
    agent_client = client_as(family_agent)
    form = agent_client.get("/carnets/guichet/").content.decode()
    assert "La personne n&#x27;a pas de compte" in form or "La personne n'a pas de compte" in form
    refused = agent_client.post("/carnets/guichet/", {"demarche": creche.pk, "who": "no_account"})
    assert refused.status_code == 400  # no consent: nothing saved
    assert not Carnet.objects.filter(owner__isnull=True).exists()
    too_long = agent_client.post("/carnets/guichet/", {"demarche": creche.pk, "who": "no_account", "consent": "on",
                                                       "holder_label": "x" * 41})
    assert too_long.status_code == 400 and not Carnet.objects.filter(owner__isnull=True).exists()

    carnet = _open_html(agent_client, creche)
    assert carnet.owner is None and carnet.holder_label == "Awa K." and carnet.opened_by == family_agent
    share = carnet.shares.get()
    assert share.at_counter and share.service.slug == "relais-familles" and share.recorded_by == family_agent
    entries = AuditEntry.objects.filter(object_id=str(carnet.pk))
    assert {e.action for e in entries} == {"carnet_opened", "carnet_shared"}
    assert "Awa" not in json.dumps([[e.label, e.data] for e in entries])

    first = agent_client.get(f"/carnets/{carnet.pk}/imprimer/").content.decode()
    code = CODE.search(first).group(0)
    assert services.claim_code_hash(code) == carnet.claim_code_hash and code not in carnet.claim_code_hash
    assert "/carnets/code/" in first and "Awa K." in first
    again = agent_client.get(f"/carnets/{carnet.pk}/imprimer/").content.decode()
    assert not CODE.search(again) and "/carnets/code/" in again  # shown once
    # the service's agent sees it as any other; another agent of the mairie does not
    assert "Awa K." in agent_client.get("/carnets/services/").content.decode()
    assert agent_client.get(f"/carnets/{carnet.pk}/").status_code == 200
    assert client_as(other_agent).get(f"/carnets/{carnet.pk}/").status_code == 404
    assert client_as(other_agent).get(f"/carnets/{carnet.pk}/imprimer/").status_code == 404


def test_the_person_reads_it_with_the_code_and_revokes_a_sharing(client19, creche, family_agent, mairie19):
    carnet, code = _open(family_agent, mairie19, creche)
    form = client19.get("/carnets/code/")
    assert form.status_code == 200 and 'name="code"' in form.content.decode()
    wrong = client19.post("/carnets/code/", {"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ"})
    assert wrong.status_code == 404 and carnet.title not in wrong.content.decode()
    assert client19.post("/carnets/code/", {"code": ""}).status_code == 400

    response = client19.post("/carnets/code/", {"code": code.lower().replace("-", " ")})
    assert response.status_code == 302 and response["Location"] == "/carnets/code/"  # no code in the URL
    page = client19.get("/carnets/code/").content.decode()
    assert carnet.title in page and "Relais informations familles" in page and code not in page

    share = carnet.shares.get()
    assert client19.get(f"/carnets/code/partages/{share.pk}/retirer/").status_code == 405
    assert client19.post(f"/carnets/code/partages/{share.pk}/retirer/").status_code == 302
    assert CarnetShare.objects.get(pk=share.pk).revoked_at is not None
    assert client_as(family_agent).get(f"/carnets/{carnet.pk}/").status_code == 404
    client19.post(f"/carnets/code/partages/{share.pk}/retirer/")  # already revoked: refused, nothing changes
    assert AuditEntry.objects.filter(object_id=str(carnet.pk), action="carnet_share_revoked").count() == 1

    client19.post("/carnets/code/", {"action": "forget"})
    assert carnet.title not in client19.get("/carnets/code/").content.decode()
    assert client19.post(f"/carnets/code/partages/{share.pk}/retirer/").status_code == 404


def test_a_session_cannot_revoke_another_carnets_sharing(client19, creche, family_agent, mairie19):
    mine, code = _open(family_agent, mairie19, creche)
    other, _other_code = _open(family_agent, mairie19, creche)
    client19.post("/carnets/code/", {"code": code})
    other_share = other.shares.get()
    client19.post(f"/carnets/code/partages/{other_share.pk}/retirer/")
    assert CarnetShare.objects.get(pk=other_share.pk).revoked_at is None
    assert client19.post("/carnets/code/partages/99999999999999999999/retirer/").status_code in (302, 404)


def test_claim_attaches_it_and_the_code_stops_working(client19, creche, family_agent, mairie19):
    carnet, code = _open(family_agent, mairie19, creche)
    newcomer = resident(mairie19, username="newcomer")
    me = client_as(newcomer)
    assert me.get("/carnets/rattacher/").status_code == 200
    assert 'href="/carnets/rattacher/"' in me.get("/carnets/").content.decode()
    response = me.post("/carnets/rattacher/", {"code": code})
    assert response.status_code == 302 and response["Location"] == f"/carnets/{carnet.pk}/"
    carnet.refresh_from_db()
    assert carnet.owner == newcomer and carnet.claimed_at and carnet.shares.count() == 1
    assert carnet.title in me.get("/carnets/").content.decode()
    assert me.post("/carnets/rattacher/", {"code": code}).status_code == 409  # the owner: already theirs
    stranger = client_as(resident(mairie19, username="stranger"))
    used = stranger.post("/carnets/rattacher/", {"code": code})
    unknown = stranger.post("/carnets/rattacher/", {"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ"})
    assert used.status_code == unknown.status_code == 404  # no oracle: the same answer
    assert client19.post("/carnets/code/", {"code": code}).status_code == 404  # reading with the code: over
    assert AuditEntry.objects.filter(object_id=str(carnet.pk), action="carnet_claimed").count() == 1
    # now the owner's as any other: they revoke from their account
    share = carnet.shares.get()
    me.post(f"/carnets/{carnet.pk}/partages/{share.pk}/retirer/")
    assert CarnetShare.objects.get(pk=share.pk).revoked_at is not None


def test_claim_needs_a_confirmed_email_and_a_login(client19, creche, family_agent, mairie19):
    carnet, code = _open(family_agent, mairie19, creche)
    unconfirmed = resident(mairie19, username="unconfirmed", email_confirmed=False)
    assert client_as(unconfirmed).post("/carnets/rattacher/", {"code": code}).status_code == 403
    assert client19.post("/carnets/rattacher/", {"code": code}).status_code == 302  # to the login page
    assert Carnet.objects.get(pk=carnet.pk).owner is None


def test_wrong_codes_are_rate_limited(client19, creche, family_agent, mairie19, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "carnet_code": "3/15min"}
    _carnet, code = _open(family_agent, mairie19, creche)
    for _n in range(3):
        assert client19.post("/carnets/code/", {"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ"}).status_code == 404
    blocked = client19.post("/carnets/code/", {"code": code})
    assert blocked.status_code == 429 and blocked.has_header("Retry-After")
    assert "Trop de tentatives" in blocked.content.decode()
    someone = resident(mairie19, username="someone")
    api = api_as(someone)
    for _n in range(3):
        assert api.post("/api/carnets/claim/", {"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ"}, format="json").status_code == 404
    assert api.post("/api/carnets/claim/", {"code": code}, format="json").status_code == 429


def test_another_mairies_agent_and_host_get_404(creche, family_agent, mairie19, mairie20, client20):
    carnet, code = _open(family_agent, mairie19, creche)
    agent20 = agent(mairie20, username="agent-p20")
    assert client_as(agent20, host="paris20.localhost").get(f"/carnets/{carnet.pk}/").status_code == 404
    assert client_as(agent20).get(f"/carnets/{carnet.pk}/").status_code == 404
    assert client20.post("/carnets/code/", {"code": code}).status_code == 404  # the code of the 19e's carnet
    assert api_as(agent20).get(f"/api/carnets/{carnet.pk}/", HTTP_HOST="paris20.localhost").status_code == 404


@pytest.mark.parametrize("pk", ["0", "-1", "abc", "99999999999999999999", "1e3"])
def test_odd_and_huge_ids(client19, family_agent, pk):
    assert client_as(family_agent).get(f"/carnets/{pk}/imprimer/").status_code == 404
    assert client19.post(f"/carnets/code/partages/{pk}/retirer/").status_code == 404


def test_api_counter_without_account_and_claim(creche, family_agent, mairie19, other_agent):
    api = api_as(family_agent)
    assert api.post("/api/carnets/counter/", {"demarche": creche.pk, "without_account": True},
                    format="json").status_code == 400  # consent missing
    assert api.post("/api/carnets/counter/", {"demarche": creche.pk, "without_account": True, "consent": False},
                    format="json").status_code == 400
    assert api.post("/api/carnets/counter/", {"demarche": 2**70, "without_account": True, "consent": True},
                    format="json").status_code == 400
    assert not Carnet.objects.filter(owner__isnull=True).exists()
    response = api.post("/api/carnets/counter/", {"demarche": creche.pk, "without_account": True,
                                                  "holder_label": "AK", "consent": True}, format="json")
    assert response.status_code == 201
    body = response.json()
    code = body["claim_code"]
    assert CODE.fullmatch(code) and body["code_url"].endswith("/carnets/code/") and body["carnet"]["without_account"]
    carnet = Carnet.objects.get(pk=body["carnet"]["id"])
    assert carnet.owner is None and carnet.claim_code_hash == services.claim_code_hash(code)
    assert code not in api.get(f"/api/carnets/{carnet.pk}/").content.decode()
    assert api_as(other_agent).get(f"/api/carnets/{carnet.pk}/").status_code == 404
    assert api_as(resident(mairie19, username="r1")).post(
        "/api/carnets/counter/", {"demarche": creche.pk, "without_account": True, "consent": True},
        format="json").status_code == 403

    owner = resident(mairie19, username="claimer")
    claim = api_as(owner).post("/api/carnets/claim/", {"code": code}, format="json")
    assert claim.status_code == 200 and claim.json()["id"] == carnet.pk and not claim.json()["without_account"]
    again = api_as(owner).post("/api/carnets/claim/", {"code": code}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_claimed"
    stranger = api_as(resident(mairie19, username="r2")).post("/api/carnets/claim/", {"code": code}, format="json")
    assert stranger.status_code == 404 and stranger.json()["code"] == "unknown_code"
    assert api_as(owner).post("/api/carnets/claim/", {}, format="json").status_code == 400
    from rest_framework.test import APIClient

    assert APIClient(HTTP_HOST=HOST19).post("/api/carnets/claim/", {"code": code}, format="json").status_code in (
        401, 403)


def test_api_counter_for_an_account_still_works(creche, family_agent, resident19):
    response = api_as(family_agent).post("/api/carnets/counter/", {"demarche": creche.pk, "consent": True,
                                                                   "resident_email": resident19.email}, format="json")
    assert response.status_code == 201 and response.json()["claim_code"] is None
    assert Carnet.objects.get(pk=response.json()["carnet"]["id"]).owner == resident19


def test_never_claimed_carnets_are_purged(creche, family_agent, mairie19, resident19, settings):
    settings.CARNET_RETENTION_DAYS = 30
    stale, _code = _open(family_agent, mairie19, creche)
    Carnet.objects.filter(pk=stale.pk).update(updated_at=timezone.now() - timedelta(days=31))
    fresh, _code2 = _open(family_agent, mairie19, creche)
    owned = services.carnet_open(user=resident19, mairie=mairie19, demarche_id=creche.pk)
    Carnet.objects.filter(pk=owned.pk).update(updated_at=timezone.now() - timedelta(days=31))  # open, owned: kept
    call_command("purge_carnets", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not Carnet.objects.filter(pk=stale.pk).exists()
    assert Carnet.objects.filter(pk__in=[fresh.pk, owned.pk]).count() == 2


def test_privacy_page_states_the_unclaimed_retention(client19, guide19):
    html = client19.get("/donnees-personnelles/").content.decode()
    assert "sans compte" in html and "365 jours" in html


def test_claimed_carnet_in_the_export_and_gone_with_the_account(creche, family_agent, mairie19):
    carnet, code = _open(family_agent, mairie19, creche)
    owner = resident(mairie19, username="exported")
    services.carnet_claim(user=owner, code=code)
    exported = json.loads(json.dumps(export_user_data(owner)))["guide"]["carnets"]
    assert [c["id"] for c in exported] == [carnet.pk] and exported[0]["claimed_at"]
    assert exported[0]["holder_label"] == "A. K." and exported[0]["shares"][0]["at_counter"]
    assert code not in json.dumps(exported) and carnet.claim_code_hash not in json.dumps(exported)
    account_delete(user=owner)
    assert not Carnet.objects.filter(pk=carnet.pk).exists()


def test_never_in_search(client19, creche, family_agent, mairie19):
    carnet, _code = _open(family_agent, mairie19, creche)
    html = client19.get("/recherche/", {"q": "A. K."}).content.decode()
    assert f"/carnets/{carnet.pk}/" not in html
