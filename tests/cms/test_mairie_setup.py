"""A new mairie comes with its complete section set, in one transaction (cms.mairie_setup)."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from wagtail.models import GroupPagePermission, Page, Site

from cms.errors import Conflict
from cms.mairie_setup import add_mairie, mairie_set_up, mairie_update
from cms.models import Mairie
from occupai.models import OccupaiIndexPage, Space
from participation.bureau.models import BureauIndexPage
from participation.commandements.models import CharterPage
from participation.models import Quartier
from tests.factories import agent, organiser

HOST = "paris18.localhost"
NEW = {"name": "Mairie du 18e arrondissement", "short_name": "18e", "slug": "paris18", "arrondissement": 18,
       "hostname": HOST}


def _counts():
    return (Site.objects.count(), Page.objects.count(), Mairie.objects.count(), Group.objects.count(),
            Quartier.objects.count(), Space.objects.count())


@pytest.fixture
def mairie18(site_ctx):
    return add_mairie(**NEW, address="1 place Jules-Joffrin, 75018 Paris", contact_email="contact@paris18.localhost",
                      phone="01 23 45 67 18", opening_hours="Du lundi au vendredi : 8 h 30 – 17 h",
                      quartiers=["Montmartre", "La Chapelle", " Goutte-d'Or ", "montmartre"])


def test_every_section_answers_on_the_new_mairie(mairie18):
    client = Client(HTTP_HOST=HOST)
    client.force_login(agent(mairie18, username="agent18"))  # agents see every section (Bricolages too)
    home = client.get("/")
    assert home.status_code == 200 and "Bienvenue à la mairie du 18e arrondissement" in home.content.decode()
    sections = home.context["sections"]
    assert {s["key"] for s in sections} == {"commandements", "occupai", "bureau", "hackathon", "bricolages", "accueil",
                                                "guide"}
    for section in sections:
        assert section["url"], f"{section['key']} has no page on the new mairie"
        assert client.get(section["url"]).status_code == 200, section
    anonymous = Client(HTTP_HOST=HOST)
    for path in ("/19-commandements/", "/occupai/", "/bureau/", "/service-lab/", "/accueil/", "/guide/",
                 "/recherche/?q=charte"):
        assert anonymous.get(path).status_code == 200, path


def test_the_charter_is_a_first_draft_of_19_to_adapt_and_the_pages_belong_to_the_mairie(mairie18):
    charter = CharterPage.objects.get(mairie=mairie18)
    assert charter.live and charter.commandements.count() == 19
    assert "premier brouillon" in charter.intro and charter.consultation_state() == "none"
    assert OccupaiIndexPage.objects.get(mairie=mairie18).live
    assert BureauIndexPage.objects.descendant_of(mairie18.site.root_page).get().live
    assert mairie18.site.site_name == NEW["name"] and mairie18.contact_email == "contact@paris18.localhost"
    assert sorted(Quartier.objects.filter(mairie=mairie18).values_list("name", flat=True)) == [
        "Goutte-d'Or", "La Chapelle", "Montmartre"]


def test_the_new_mairie_has_its_editors_and_organisers_groups_on_its_own_pages(mairie18):
    home_id, index_id = mairie18.site.root_page_id, OccupaiIndexPage.objects.get(mairie=mairie18).pk
    editors = GroupPagePermission.objects.filter(group__name="Éditeurs · paris18")
    organisers = GroupPagePermission.objects.filter(group__name="Organisateurs · paris18")
    assert {p.page_id for p in editors} == {home_id}
    assert {p.page_id for p in organisers} == {index_id}
    assert {p.permission.codename for p in organisers} == {"add_page", "change_page", "publish_page"}


def test_the_new_mairie_has_its_occupai_spaces_to_complete_and_an_organiser_offers_them_in_a_call(mairie18):
    spaces = {s.name: s for s in Space.objects.filter(mairie=mairie18)}
    assert set(spaces) == {"Salle des fêtes", "Parvis de la mairie"}
    assert spaces["Salle des fêtes"].is_indoor and not spaces["Parvis de la mairie"].is_indoor
    for space in spaces.values():
        assert space.capacity > 0 and space.description.startswith("À compléter")
    client = Client(HTTP_HOST=HOST)
    client.force_login(organiser(mairie18, username="organisateur18"))
    listed = client.get("/admin/snippets/occupai/space/").content.decode()
    assert "Salle des fêtes" in listed and "Parvis de la mairie" in listed
    index = OccupaiIndexPage.objects.get(mairie=mairie18)
    form = client.get(f"/admin/pages/add/occupai/callpage/{index.pk}/")
    assert form.status_code == 200
    offered = form.context["form"].fields["spaces"].queryset
    assert set(offered) == set(spaces.values())


def test_setting_up_again_adds_nothing(mairie18):
    before = _counts()
    mairie_set_up(mairie=mairie18)
    assert _counts() == before
    # Nor where the mairie removed its default spaces: editing the mairie sets it up again.
    Space.objects.filter(mairie=mairie18).delete()
    mairie_update(mairie=mairie18, phone="01 00 00 00 18")
    assert not Space.objects.filter(mairie=mairie18).exists()


@pytest.mark.parametrize(("change", "code", "field"), [
    ({"hostname": "PARIS19.localhost"}, "hostname_taken", "hostname"),
    ({"slug": "paris19"}, "slug_taken", "slug"),
    ({"arrondissement": 19}, "arrondissement_taken", "arrondissement"),
])
def test_a_taken_hostname_slug_or_arrondissement_is_refused_and_nothing_is_created(site_ctx, change, code, field):
    before = _counts()
    with pytest.raises(Conflict) as refused:
        add_mairie(**{**NEW, **change})
    assert refused.value.code == code and refused.value.extra["field"] == field
    assert refused.value.status_code == 409 and "déjà" in str(refused.value.message)
    assert _counts() == before


@pytest.mark.parametrize(("change", "field"), [
    ({"hostname": "https://paris18.localhost/"}, "hostname"), ({"slug": "paris 18"}, "slug"),
    ({"arrondissement": 21}, "arrondissement"), ({"name": "  "}, "name"), ({"port": 0}, "port"),
])
def test_bad_values_are_refused_naming_the_field(site_ctx, change, field):
    before = _counts()
    with pytest.raises(ValidationError) as refused:
        add_mairie(**{**NEW, **change})
    assert field in refused.value.message_dict
    assert _counts() == before


def test_a_failing_set_up_leaves_nothing_half_saved(site_ctx, monkeypatch):
    from cms import mairie_setup

    def broken(mairie, home, **options):
        raise ValidationError("boom")

    monkeypatch.setattr(mairie_setup, "_set_ups", [*mairie_setup._set_ups, (999, "broken", broken)])
    before = _counts()
    with pytest.raises(ValidationError):
        add_mairie(**NEW)
    assert _counts() == before
    assert not Site.objects.filter(hostname=HOST).exists()


def test_update_edits_contact_hostname_and_quartiers_but_keeps_those_in_use(mairie18):
    from participation.bureau.models import Project

    villette = Quartier.objects.get(mairie=mairie18, slug="la-chapelle")
    Project.objects.create(mairie=mairie18, author=agent(mairie18, username="a18"), title="Un banc", summary="s",
                           description="d", quartier=villette)
    mairie_update(mairie=mairie18, name="Mairie du 18e", short_name="18e", phone="01 00 00 00 18",
                  hostname="mairie18.localhost", quartiers=["La Chapelle", "Goutte-d’Or", "Clignancourt"])
    mairie18.refresh_from_db()
    assert mairie18.phone == "01 00 00 00 18" and mairie18.site.hostname == "mairie18.localhost"
    assert set(Quartier.objects.filter(mairie=mairie18).values_list("name", flat=True)) == {
        "La Chapelle", "Goutte-d’Or", "Clignancourt"}  # Montmartre went; Goutte-d'Or renamed, same slug
    with pytest.raises(ValidationError) as refused:
        mairie_update(mairie=mairie18, quartiers=["Clignancourt"])
    assert "La Chapelle" in str(refused.value.message_dict["quartiers"])
    assert Quartier.objects.filter(mairie=mairie18).count() == 3
    with pytest.raises(Conflict):
        mairie_update(mairie=mairie18, hostname="paris20.localhost")


def test_the_command_adds_a_mairie_and_refuses_a_taken_hostname(site_ctx, capsys):
    call_command("add_mairie", "--name", NEW["name"], "--short-name", "18e", "--slug", "paris18",
                 "--arrondissement", "18", "--hostname", HOST, "--quartier", "Montmartre", "--opening-hours",
                 "Lundi : 9 h\\nMardi : 9 h")
    mairie = Mairie.objects.get(slug="paris18")
    assert mairie.opening_hours == "Lundi : 9 h\nMardi : 9 h" and CharterPage.objects.filter(mairie=mairie).exists()
    assert Client(HTTP_HOST=HOST).get("/occupai/").status_code == 200
    with pytest.raises(CommandError, match="déjà celle du site"):
        call_command("add_mairie", "--name", "Autre", "--short-name", "17e", "--slug", "paris17",
                     "--arrondissement", "17", "--hostname", HOST)
    assert not Mairie.objects.filter(slug="paris17").exists()
