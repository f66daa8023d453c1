"""What routing keeps with the page cache (cms.routing, cms.mairies): the sites' home pages, the
routed pages and the view restrictions; and that every change to them shows at once."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from cms.models import HomePage, StandardPage
from tests.conftest import HOST19, client_as
from tests.factories.commandements import make_charter


def _page_queries(captured):
    return [q["sql"] for q in captured.captured_queries if '"wagtailcore_page"' in q["sql"]]


def _restriction_queries(captured):
    return [q["sql"] for q in captured.captured_queries if "wagtailcore_pageviewrestriction" in q["sql"]]


def _publish(parent, title, slug):
    page = parent.add_child(instance=StandardPage(title=title, slug=slug))
    page.save_revision().publish()
    return page


def test_a_page_is_routed_with_no_page_query_once_kept(page_cache, site_ctx, resident19):
    _publish(site_ctx.homes["paris19"], "Le quartier", "quartier")
    client = client_as(resident19)
    assert client.get("/quartier/").status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert "Le quartier" in client.get("/quartier/").content.decode()
    assert _page_queries(second) == []


def test_a_published_or_saved_change_to_a_page_shows_at_once(page_cache, site_ctx, client19):
    page = _publish(site_ctx.homes["paris19"], "Le quartier", "quartier")
    assert "Le quartier" in client19.get("/quartier/").content.decode()
    page.title = "Le quartier, en mieux"
    page.save_revision().publish()
    assert "Le quartier, en mieux" in Client(HTTP_HOST=HOST19).get("/quartier/").content.decode()
    page.intro = "Un chapeau écrit par du code."
    page.save()
    assert "Un chapeau écrit par du code." in Client(HTTP_HOST=HOST19).get("/quartier/").content.decode()


def test_the_home_page_comes_from_the_directory_and_its_edits_show_at_once(page_cache, site_ctx, resident19):
    client = client_as(resident19)
    client.get("/")
    with CaptureQueriesContext(connection) as second:
        assert client.get("/").status_code == 200
    assert _page_queries(second) == []
    home = HomePage.objects.get(pk=site_ctx.homes["paris19"].pk)
    home.intro = "<p>Bienvenue à la mairie de demain, version deux.</p>"
    home.save_revision().publish()
    assert "version deux" in client.get("/").content.decode()


def test_participatory_pages_are_read_from_the_database_each_time(page_cache, site_ctx, mairie19, resident19):
    """The charter's signature count moves by a plain UPDATE: a kept page would show the old count."""
    make_charter(mairie19)
    client = client_as(resident19)
    assert "Personne n'a encore signé" in client.get("/19-commandements/").content.decode()
    body = client.post("/19-commandements/signer/", {"action": "sign"}, follow=True).content.decode()
    assert "<strong>1</strong> personne a signé la charte." in body


def test_pages_with_no_restriction_above_them_skip_the_check_while_others_have_one(page_cache, site_ctx,
                                                                                   resident19):
    home = site_ctx.homes["paris19"]
    open_page = _publish(home, "Ouverte", "ouverte")
    closed = _publish(home, "Réservée", "reservee")
    inner = _publish(closed, "Dedans", "dedans")
    PageViewRestriction.objects.create(page=closed, restriction_type=PageViewRestriction.LOGIN)
    client = client_as(resident19)
    client.get(open_page.url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/ouverte/").status_code == 200
    assert _restriction_queries(queries) == []
    anonymous = Client(HTTP_HOST=HOST19)
    for path in ("/reservee/", "/reservee/dedans/"):  # the page and its descendants
        response = anonymous.get(path)
        assert response.status_code == 302 and response["Location"].endswith(f"login/?next={path}"), path
    assert client.get(inner.url).status_code == 200
    PageViewRestriction.objects.filter(page=closed).delete()
    assert anonymous.get("/reservee/dedans/").status_code == 200  # lifted at once


def test_an_alias_keeps_the_restrictions_of_its_source_page(page_cache, site_ctx):
    home = site_ctx.homes["paris19"]
    source = _publish(home, "Source", "source")
    PageViewRestriction.objects.create(page=source, restriction_type=PageViewRestriction.LOGIN)
    folder = _publish(home, "Dossier", "dossier")
    alias = source.create_alias(parent=folder, update_slug="copie")
    assert Page.objects.get(pk=alias.pk).alias_of_id == source.pk
    response = Client(HTTP_HOST=HOST19).get("/dossier/copie/")
    assert response.status_code == 302 and response["Location"].endswith("login/?next=/dossier/copie/")
