"""Search finds the guide and never a carnet; the RGPD export holds the carnets and the account's
deletion removes them."""

import io
import json

from django.core.management import call_command

from cms.privacy import erasers, export_user_data
from guide import services
from guide.models import Carnet, CarnetShare
from search.registry import adapter_for_model, adapters
from tests.conftest import client_as

SECRET = "Zorglubienne"


def _search(client, q):
    return client.get("/api/search/", {"q": q}).json()


def test_guide_is_found_and_carnets_never(api19, creche, resident19, mairie19, family_agent):
    carnet = services.carnet_open(user=resident19, mairie=mairie19, demarche_id=creche.pk)
    services.carnet_share(user=resident19, carnet=carnet, service="relais-familles")
    services.carnet_agent_update(user=family_agent, carnet=carnet, agent_note=f"Madame {SECRET}",
                                 appointment_place=SECRET)
    call_command("rebuild_search_index", stdout=io.StringIO())
    found = _search(api19, "crèche")
    assert any(hit["type"] == "guide.demarche" and "crèche" in hit["title"] for hit in found["results"])
    assert any(hit["type"] == "guide.situation" for hit in _search(api19, "post-it naissance")["results"]) or \
        any(hit["type"] == "guide.situation" for hit in _search(api19, "enfant")["results"])
    for client in (api19, client_as(resident19), client_as(family_agent)):
        assert _search(client, SECRET)["count"] == 0
    assert adapter_for_model(Carnet) is None and adapter_for_model(CarnetShare) is None
    assert not [key for key in adapters() if "carnet" in key]


def test_export_includes_carnets_and_deletion_removes_them(creche, resident19, mairie19, family_agent):
    carnet = services.carnet_open(user=resident19, mairie=mairie19, demarche_id=creche.pk)
    services.carnet_share(user=resident19, carnet=carnet, service="relais-familles")
    services.carnet_agent_update(user=family_agent, carnet=carnet, agent_note="Note pour le RIF")
    data = json.loads(json.dumps(export_user_data(resident19)))
    exported = data["guide"]["carnets"]
    assert exported[0]["demarche"] == creche.title and exported[0]["agent_note"] == "Note pour le RIF"
    assert exported[0]["shares"][0]["service"] == "Relais informations familles"
    assert len(exported[0]["documents"]) == carnet.items.count()

    response = client_as(resident19).get("/compte/mes-donnees/")
    assert response.status_code == 200 and "Note pour le RIF" in response.content.decode()

    assert "guide" in erasers()
    from cms.privacy import account_delete

    account_delete(user=resident19)
    assert not Carnet.objects.filter(pk=carnet.pk).exists()
    assert not CarnetShare.objects.filter(carnet_id=carnet.pk).exists()
