"""The Wagtail admin: organisers manage their own mairie's spaces; calls offer only those spaces."""

from tests.conftest import client_as
from tests.factories import UserFactory
from tests.factories import occupai as f


def test_organiser_lists_only_the_spaces_of_their_mairie(organiser19, spaces19, mairie20):
    f.space(mairie20, name="Préau de Belleville")
    html = client_as(organiser19).get("/admin/snippets/occupai/space/").content.decode()
    assert "Salle des fêtes" in html
    assert "Préau de Belleville" not in html


def test_organiser_cannot_edit_another_mairies_space(organiser19, mairie20):
    other = f.space(mairie20, name="Préau de Belleville")
    response = client_as(organiser19).get(f"/admin/snippets/occupai/space/edit/{other.pk}/")
    assert response.status_code in (302, 403, 404)


def test_organiser_creates_a_space_for_their_mairie(organiser19, mairie19):
    from occupai.models import Space

    response = client_as(organiser19).post("/admin/snippets/occupai/space/add/", {
        "mairie": mairie19.pk, "name": "Cour d'honneur", "capacity": "120", "is_indoor": "", "description": "",
        "location": "", "accessibility_notes": "", "equipment": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Space.objects.get(name="Cour d'honneur").mairie == mairie19


def test_residents_have_no_admin(resident19):
    assert client_as(resident19).get("/admin/snippets/occupai/space/").status_code in (302, 403)


def test_call_form_offers_only_the_mairies_spaces(index19, spaces19, mairie20):
    f.space(mairie20, name="Préau de Belleville")
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    html = client_as(admin).get(f"/admin/pages/add/occupai/callpage/{index19.pk}/").content.decode()
    assert "Salon d&#x27;honneur" in html or "Salon d'honneur" in html
    assert "Préau de Belleville" not in html


def test_a_space_with_programmed_events_is_not_deleted(organiser19, call_selection, spaces19):
    from occupai import services
    from occupai.models import Space

    proposal = f.proposal(call_selection)
    services.proposal_schedule(actor=organiser19, proposal=proposal, space=spaces19["salle"],
                               starts_at=f.event_slot(call_selection)[0], ends_at=f.event_slot(call_selection)[1])
    client = client_as(organiser19)
    response = client.post(f"/admin/snippets/occupai/space/delete/{spaces19['salle'].pk}/", follow=True)
    assert response.status_code == 200
    assert "déprogrammez-le" in response.content.decode()
    assert Space.objects.filter(pk=spaces19["salle"].pk).exists()
    client.post(f"/admin/snippets/occupai/space/delete/{spaces19['salon'].pk}/")
    assert not Space.objects.filter(pk=spaces19["salon"].pk).exists()
