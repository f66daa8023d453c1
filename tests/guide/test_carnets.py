"""Le carnet du citoyen through its HTML pages: a resident opens one from a démarche, marks the
documents, shares it with a service; that service's agent sees and verifies, another agent does
not; the resident revokes and the agent is back to a 404. Consent is logged in the audit trail."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from cms.schedule import job_named
from guide import services
from guide.models import Carnet, CarnetItem, CarnetShare
from participation.models import AuditEntry
from tests.conftest import client_as
from tests.factories import resident


def _open(client, demarche):
    response = client.post("/carnets/ouvrir/", {"demarche": demarche.pk})
    assert response.status_code == 302
    return Carnet.objects.get(pk=int(response["Location"].strip("/").split("/")[-1]))


def test_the_whole_flow(creche, resident19, family_agent, other_agent):
    me = client_as(resident19)
    carnet = _open(me, creche)
    assert carnet.owner == resident19 and carnet.items.count() == len(creche.document_list()) > 0
    first, second = carnet.items.all()[:2]

    # the resident says a document is brought; they may not mark it verified
    assert me.post(f"/carnets/{carnet.pk}/documents/{first.pk}/", {"state": "brought"}).status_code == 302
    assert CarnetItem.objects.get(pk=first.pk).state == "brought"
    me.post(f"/carnets/{carnet.pk}/documents/{second.pk}/", {"state": "verified"})
    assert CarnetItem.objects.get(pk=second.pk).state == "to_bring"

    # nobody else sees it before it is shared
    agent, other = client_as(family_agent), client_as(other_agent)
    assert agent.get(f"/carnets/{carnet.pk}/").status_code == 404

    me.post(f"/carnets/{carnet.pk}/partager/", {"service": "relais-familles"})
    share = CarnetShare.objects.get(carnet=carnet)
    assert share.recorded_by == resident19 and share.revoked_at is None
    assert AuditEntry.objects.filter(object_id=str(carnet.pk), action="carnet_shared").count() == 1

    # the service's agent sees it, verifies a document, notes an appointment; the other agent sees nothing
    page = agent.get(f"/carnets/{carnet.pk}/")
    assert page.status_code == 200 and creche.title in page.content.decode()
    assert carnet.title in agent.get("/carnets/services/").content.decode()
    assert other.get(f"/carnets/{carnet.pk}/").status_code == 404
    assert carnet.title not in other.get("/carnets/services/").content.decode()
    assert other.post(f"/carnets/{carnet.pk}/documents/{first.pk}/", {"state": "verified"}).status_code == 404
    agent.post(f"/carnets/{carnet.pk}/documents/{first.pk}/", {"state": "verified"})
    assert CarnetItem.objects.get(pk=first.pk).state == "verified"
    agent.post(f"/carnets/{carnet.pk}/rendez-vous/", {"next_appointment": "2027-01-12T10:30",
                                                      "appointment_place": "1er étage", "agent_note": "Dossier complet sauf avis d'imposition."})
    carnet.refresh_from_db()
    assert carnet.next_appointment is not None and "avis d'imposition" in carnet.agent_note

    # the liaison sheet: missing documents, appointment, note
    sheet = me.get(f"/carnets/{carnet.pk}/imprimer/").content.decode()
    assert "1er étage" in sheet and second.name in sheet and "Fiche de liaison" in sheet

    # revoke: the agent is back to a 404; the revoked sharing cannot be used again
    assert me.post(f"/carnets/{carnet.pk}/partages/{share.pk}/retirer/").status_code == 302
    assert CarnetShare.objects.get(pk=share.pk).revoked_at is not None
    assert agent.get(f"/carnets/{carnet.pk}/").status_code == 404
    assert agent.get(f"/carnets/{carnet.pk}/imprimer/").status_code == 404
    assert AuditEntry.objects.filter(object_id=str(carnet.pk), action="carnet_share_revoked").count() == 1
    with pytest.raises(Exception) as refused:
        services.carnet_share_revoke(user=resident19, carnet=carnet, share_id=share.pk)
    assert getattr(refused.value, "status_code", None) == 409


def test_someone_elses_carnet_is_a_404(creche, resident19, mairie19):
    carnet = services.carnet_open(user=resident19, mairie=mairie19, demarche_id=creche.pk)
    stranger = client_as(resident(mairie19, username="curieux"))
    assert stranger.get(f"/carnets/{carnet.pk}/").status_code == 404
    assert stranger.get(f"/carnets/{carnet.pk}/imprimer/").status_code == 404
    assert stranger.post(f"/carnets/{carnet.pk}/partager/", {"service": "casvp"}).status_code == 404
    assert stranger.post(f"/carnets/{carnet.pk}/supprimer/").status_code == 404
    assert Carnet.objects.filter(pk=carnet.pk).exists()
    assert not CarnetShare.objects.filter(carnet=carnet).exists()


def test_another_mairies_host_does_not_serve_the_carnet(creche, resident19, mairie19):
    carnet = services.carnet_open(user=resident19, mairie=mairie19, demarche_id=creche.pk)
    assert client_as(resident19, host="paris20.localhost").get(f"/carnets/{carnet.pk}/").status_code == 404


def test_anonymous_is_sent_to_log_in(client19, creche):
    assert client19.get("/carnets/").status_code == 302
    before = Carnet.objects.count()
    assert client19.post("/carnets/ouvrir/", {"demarche": creche.pk}).status_code == 302
    assert Carnet.objects.count() == before


def test_bad_input_is_refused_without_saving(creche, resident19, mairie19):
    me = client_as(resident19)
    assert me.post("/carnets/ouvrir/", {"demarche": "abc"}).status_code == 302  # back with a message
    assert me.post("/carnets/ouvrir/", {"demarche": "99999999999999999999"}).status_code == 302
    assert not Carnet.objects.filter(owner=resident19).exists()
    carnet = _open(me, creche)
    me.post("/carnets/ouvrir/", {"demarche": creche.pk})  # a second open carnet: refused (409)
    assert Carnet.objects.filter(owner=resident19).count() == 1
    item = carnet.items.first()
    me.post(f"/carnets/{carnet.pk}/documents/{item.pk}/", {"state": "perdu"})
    assert CarnetItem.objects.get(pk=item.pk).state == "to_bring"
    me.post(f"/carnets/{carnet.pk}/partager/", {"service": "inconnu"})
    assert not CarnetShare.objects.filter(carnet=carnet).exists()


def test_only_the_owner_shares_and_only_agents_write_the_agent_part(creche, resident19, family_agent, mairie19):
    carnet = services.carnet_open(user=resident19, mairie=mairie19, demarche_id=creche.pk)
    services.carnet_share(user=resident19, carnet=carnet, service="relais-familles")
    agent = client_as(family_agent)
    agent.post(f"/carnets/{carnet.pk}/partager/", {"service": "casvp"})
    assert CarnetShare.objects.filter(carnet=carnet).count() == 1
    client_as(resident19).post(f"/carnets/{carnet.pk}/rendez-vous/", {"agent_note": "Je m'écris une note."})
    assert Carnet.objects.get(pk=carnet.pk).agent_note == ""
    with pytest.raises(Exception) as twice:
        services.carnet_share(user=resident19, carnet=carnet, service="relais-familles")
    assert twice.value.status_code == 409


def test_agent_opens_a_carnet_at_the_counter_with_consent(creche, resident19, family_agent):
    agent = client_as(family_agent)
    assert agent.get(f"/carnets/guichet/?demarche={creche.pk}").status_code == 200
    refused = agent.post("/carnets/guichet/", {"demarche": creche.pk, "resident_email": resident19.email})
    assert refused.status_code == 400 and not Carnet.objects.filter(owner=resident19).exists()  # no consent
    response = agent.post("/carnets/guichet/", {"demarche": creche.pk, "resident_email": resident19.email,
                                                "consent": "on"})
    assert response.status_code == 302
    carnet = Carnet.objects.get(owner=resident19)
    assert carnet.owner == resident19 and carnet.opened_by == family_agent
    share = carnet.shares.get()
    assert share.at_counter and share.service.slug == "relais-familles"
    assert carnet.title in client_as(resident19).get("/carnets/").content.decode()


def test_residents_do_not_reach_the_counter(client19, resident19):
    assert client_as(resident19).get("/carnets/guichet/").status_code == 403
    assert client_as(resident19).get("/carnets/services/").status_code == 403


def test_account_menu_links_to_the_carnets(resident19):
    assert 'href="/carnets/"' in client_as(resident19).get("/compte/").content.decode()


def test_closed_carnets_are_purged_after_the_retention(creche, resident19, mairie19, settings):
    settings.CARNET_RETENTION_DAYS = 30
    old = services.carnet_open(user=resident19, mairie=mairie19, demarche_id=creche.pk)
    services.carnet_close(user=resident19, carnet=old)
    Carnet.objects.filter(pk=old.pk).update(closed_at=timezone.now() - timedelta(days=31))
    recent = services.carnet_open(user=resident19, mairie=mairie19, demarche_id=creche.pk)
    services.carnet_close(user=resident19, carnet=recent)
    still_open = services.carnet_open(user=resident19, mairie=mairie19, demarche_id=creche.pk)
    call_command("purge_carnets", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert set(Carnet.objects.filter(owner=resident19).values_list("pk", flat=True)) == {recent.pk, still_open.pk}
    assert job_named("purge_carnets").command == "purge_carnets"


def test_privacy_page_states_the_retention(client19, guide19):
    html = client19.get("/donnees-personnelles/").content.decode()
    assert "carnets du citoyen" in html and "365 jours après sa clôture" in html
