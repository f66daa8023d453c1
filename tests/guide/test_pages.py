"""The guide's pages: rendered for anyone, accessible structure, the printable booklet with its
post-its, the demo's content, and the set-up of a new mairie."""

import pytest

from cms.mairie_setup import add_mairie
from guide.models import DemarchePage, GuideIndexPage, LifeSituationPage, Service
from tests.conftest import client_as


def test_demo_has_six_situations_and_twelve_demarches_on_the_19e_and_an_index_on_the_20e(guide19):
    m19, m20 = guide19.mairies["paris19"], guide19.mairies["paris20"]
    assert LifeSituationPage.objects.live().filter(mairie=m19).count() >= 6
    assert DemarchePage.objects.live().filter(mairie=m19).count() >= 12
    assert GuideIndexPage.objects.live().filter(mairie=m20).count() == 1
    assert Service.objects.filter(mairie=m20, slug="casvp").exists()


def test_demo_is_idempotent(guide19):
    from guide import demo

    before = DemarchePage.objects.count()
    demo.seed(guide19)
    assert DemarchePage.objects.count() == before


def test_index_lists_the_situations(client19, guide19):
    index = GuideIndexPage.objects.get(mairie=guide19.mairies["paris19"])
    response = client19.get(index.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Avoir un enfant" in html and "Traverser une période difficile" in html
    assert '<h1>' in html and 'aria-labelledby="situations-title"' in html


def test_situation_page_is_a_printable_booklet_with_postits(client19, guide19):
    page = LifeSituationPage.objects.get(mairie=guide19.mairies["paris19"], slug="avoir-un-enfant")
    html = client19.get(page.url).content.decode()
    assert "Je viens pour inscrire mon enfant à la crèche." in html
    assert "Je ne sais pas lire, pouvez-vous m&#x27;aider ?" in html or "Je ne sais pas lire, pouvez-vous m'aider ?" in html
    assert 'class="postit"' in html and "guide/guide.css" in html
    assert "Demander une place en crèche" in html


def test_stylesheet_has_a_print_booklet(guide19):
    from pathlib import Path

    from django.contrib.staticfiles import finders

    css = Path(finders.find("guide/guide.css")).read_text(encoding="utf-8")
    assert "@media print" in css and ".postit" in css and "@page" in css


def test_demarche_page_shows_documents_service_and_the_carnet_door(client19, creche):
    html = client19.get(creche.url).content.decode()
    assert "Le dernier avis d&#x27;imposition" in html or "Le dernier avis d'imposition" in html
    assert "Relais informations familles" in html
    assert "Connectez-vous pour ouvrir votre carnet" in html  # anonymous: no form


def test_demarche_page_offers_the_carnet_to_a_resident_and_the_counter_to_an_agent(creche, resident19, family_agent):
    html = client_as(resident19).get(creche.url).content.decode()
    assert 'action="/carnets/ouvrir/"' in html and "/carnets/guichet/" not in html
    assert "/carnets/guichet/?demarche=" in client_as(family_agent).get(creche.url).content.decode()


def test_the_20e_does_not_serve_the_19e_guide_api(api20, creche):
    assert api20.get(f"/api/guide/demarches/{creche.pk}/").status_code == 404


def test_the_section_links_to_the_guide(client19, guide19):
    html = client19.get("/").content.decode()
    assert f'href="{GuideIndexPage.objects.get(mairie=guide19.mairies["paris19"]).site_path}"' in html


@pytest.mark.django_db
def test_a_new_mairie_gets_its_guide_and_services(site_ctx):
    mairie = add_mairie(name="Mairie du 18e arrondissement", short_name="18e", slug="paris18", arrondissement=18,
                        hostname="paris18.localhost")
    assert GuideIndexPage.objects.live().filter(mairie=mairie).count() == 1
    assert Service.objects.filter(mairie=mairie).count() >= 4
