"""Who may do what: the mairie's services are edited by its own editors only (admin), the carnets
are read by their owner and the agents of a service they are shared with, nobody else."""

from guide import permissions, selectors, services
from tests.conftest import client_as
from tests.factories import agent, editor


def test_editors_edit_their_own_mairies_services_only(services19, editor19, mairie20, mairie19):
    service = services19["casvp"]
    url = f"/admin/snippets/guide/service/edit/{service.pk}/"
    assert client_as(editor19).get(url).status_code == 200
    assert client_as(editor(mairie20, username="editeur-20b")).get(url).status_code == 404
    assert client_as(agent(mairie19, username="agent-sans-droit")).get(url).status_code in (302, 403)
    listing = client_as(editor19).get("/admin/snippets/guide/service/").content.decode()
    assert "Centre d&#x27;action sociale" in listing or "Centre d'action sociale" in listing


def test_visibility_rules(creche, mairie19, mairie20, resident19, family_agent, other_agent):
    carnet = services.carnet_open(user=resident19, mairie=mairie19, demarche_id=creche.pk)
    assert list(selectors.carnets_visible_to(family_agent, mairie19).filter(pk=carnet.pk)) == []
    services.carnet_share(user=resident19, carnet=carnet, service="relais-familles")
    assert permissions.user_serves_carnet(family_agent, carnet)
    assert not permissions.user_serves_carnet(other_agent, carnet)
    assert not permissions.user_can_share_carnet(family_agent, carnet)
    assert not selectors.carnets_visible_to(resident19, mairie20).filter(pk=carnet.pk).exists()
    # an agent of another mairie put in the 19e's service by mistake still sees nothing
    stranger = agent(mairie20, username="agent-du-20e")
    carnet.shares.get().service.agents.add(stranger)
    assert not permissions.user_serves_carnet(stranger, carnet)
    assert not selectors.carnets_visible_to(stranger, mairie19).filter(pk=carnet.pk).exists()
