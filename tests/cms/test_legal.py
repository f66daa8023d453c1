"""The legal pages of a French public site (cms/legal.py): accessibility statement, mentions légales,
privacy page, robots.txt and security.txt."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cms import legal

LEGAL_PAGES = ["accessibility", "legal-notice", "privacy-policy"]


@pytest.mark.parametrize("name", LEGAL_PAGES)
def test_each_legal_page_names_the_mairie_of_its_host(name, client19, client20):
    page19 = client19.get(reverse(name))
    page20 = client20.get(reverse(name))
    assert page19.status_code == page20.status_code == 200
    main19, main20 = _main(page19), _main(page20)
    assert "Mairie du 19e arrondissement" in main19 and "20e" not in main19
    assert "Mairie du 20e arrondissement" in main20 and "19e" not in main20
    assert main19.count("<h1") == 1


def _main(response):
    html = response.content.decode()
    return html[html.index("<main"):html.index("</main>")]


def test_every_page_links_to_the_legal_pages_from_its_footer(client19):
    html = client19.get("/").content.decode()
    footer = html[html.index('<footer'):]
    assert "Accessibilité : partiellement conforme" in footer
    for name in LEGAL_PAGES:
        assert f'href="{reverse(name)}"' in footer


def test_the_statement_gives_the_state_the_audits_and_the_recourse(client19):
    html = client19.get(reverse("accessibility")).content.decode()
    assert "partiellement conforme" in html and "RGAA), version 4.1" in html
    assert "axe-core 4.12.1" in html and "Audit au clavier" in html
    assert "Défenseur des droits" in html and "Libre réponse 71120" in html
    assert "paris19.localhost" in html  # the site it applies to


def test_the_statement_lists_the_page_types_the_browser_sweep_audits():
    """The statement's scope is the sweep's: a page type added to one and not the other fails here."""
    pytest.importorskip("playwright")
    from tests.e2e.test_accessibility import PAGES

    assert set(legal.AUDITED_PAGE_TYPES) == {page.name for page in PAGES}


def test_the_legal_notice_names_the_host_from_the_settings(client19, settings):
    settings.HOSTING_PROVIDER = "Hébergeur Exemple SAS"
    settings.HOSTING_ADDRESS = "1 rue de l'Exemple, 75001 Paris"
    html = client19.get(reverse("legal-notice")).content.decode()
    assert "Hébergeur Exemple SAS" in html and "1 rue de l&#x27;Exemple" in html
    assert "Licence Ouverte 2.0" in html and "Directeur" not in html  # a role, not a name we do not hold
    assert "Le ou la maire d'arrondissement" in html


def test_the_privacy_page_follows_the_settings_that_drive_the_deletions(client19, settings):
    settings.COMPLAINT_RETENTION_DAYS = 90
    settings.BACKUP_RETENTION_DAYS = 7
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=30)
    html = client19.get(reverse("privacy-policy")).content.decode()
    assert "90 jours après leur réception" in html and "purge de chaque nuit (à 03:30)" in html
    assert "1 semaine, puis supprimées" in html
    assert "30 minutes après le dernier essai manqué, effacés au plus tard 15 minutes plus tard" in html
    settings.COMPLAINT_RETENTION_DAYS = 1
    assert "1 jour après leur réception" in client19.get(reverse("privacy-policy")).content.decode()


def test_the_privacy_page_lists_the_cookies_and_the_rights(client19, settings):
    html = client19.get(reverse("privacy-policy")).content.decode()
    for words in ("sessionid", "csrftoken", "2 semaines", "Ce que nous gardons", reverse("privacy-export"),
                  reverse("privacy-delete"), "cnil.fr"):
        assert words in html
    assert "Rapports d&#x27;erreur" not in html  # no SENTRY_DSN here: nothing is sent
    settings.SENTRY_DSN = "https://key@errors.example/1"
    assert "Rapports d&#x27;erreur" in client19.get(reverse("privacy-policy")).content.decode()


def test_the_former_demo_privacy_page_redirects_to_the_new_one(client19):
    response = client19.get("/vie-privee/")
    assert response.status_code == 301 and response["Location"] == reverse("privacy-policy")


def test_robots_txt_keeps_crawlers_out_of_private_parts_and_names_the_sitemap(client19):
    response = client19.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for path in ("/admin/", "/compte/", "/api/me/", "/api/hackathon/complaints/", "/service-lab/agents/"):
        assert f"Disallow: {path}" in lines
    assert "Disallow: /" not in lines and "Allow: /" in lines
    assert "Sitemap: http://paris19.localhost/sitemap.xml" in lines
    assert client19.get("/sitemap.xml").status_code == 200


def test_security_txt_follows_rfc_9116(client20, settings):
    settings.SECURITY_CONTACT = "securite@paris.example"
    response = client20.get("/.well-known/security.txt")
    assert response.status_code == 200 and response["Content-Type"] == "text/plain; charset=utf-8"
    fields = dict(line.split(": ", 1) for line in response.content.decode().splitlines() if line)
    assert fields["Contact"] == "mailto:securite@paris.example"
    assert fields["Preferred-Languages"] == "fr, en"
    assert fields["Canonical"] == "http://paris20.localhost/.well-known/security.txt"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", fields["Expires"])
    expires = dt.datetime.strptime(fields["Expires"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    assert dt.timedelta(days=300) < expires - timezone.now() < dt.timedelta(days=365)  # under a year (RFC)
    settings.SECURITY_CONTACT = "https://paris.example/securite"
    assert "Contact: https://paris.example/securite" in client20.get("/.well-known/security.txt").content.decode()


def test_durations_read_in_their_largest_whole_unit():
    assert [legal.duration(s) for s in (45, 900, 3600, 86400 * 3, 86400 * 14, 86400 * 30, 86400 * 365)] == [
        "45 secondes", "15 minutes", "1 heure", "3 jours", "2 semaines", "30 jours", "1 an"]


def test_every_page_gives_its_own_mairies_contact_and_hours_in_the_footer(client19, client20, mairie19):
    from cms.mairie_setup import mairie_update

    footer19 = _footer(client19.get("/"))
    footer20 = _footer(client20.get(reverse("legal-notice")))
    assert "5-7 place Armand-Carrel" in footer19 and 'href="tel:0123456719"' in footer19
    assert "contact@paris19.localhost" in footer19 and "Du lundi au vendredi : 8 h 30 – 17 h<br>" in footer19
    assert "6 place Gambetta" in footer20 and "place Armand-Carrel" not in footer20
    assert "<address>" in footer19 and 'aria-labelledby="footer-contact"' in footer19

    mairie_update(mairie=mairie19, phone="01 40 00 00 19", opening_hours="")
    footer19 = _footer(client19.get("/"))
    assert "01 40 00 00 19" in footer19 and "Horaires d'ouverture" not in footer19


def _footer(response):
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index("<footer"):html.index("</footer>")]
