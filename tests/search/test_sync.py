"""Documents follow their objects: pages on publish, unpublish, move and delete; any registered model
on save and delete; changes without save() through reindex(); all after commit, in a task."""

import pytest
from django.core.management import call_command
from django.db import transaction

from cms.models import StandardPage
from search import registry, services
from search.backends import get_backend
from search.models import SearchEntry
from tests.search.conftest import ids


def _page(home, slug="conseil", title="Le conseil de quartier", live=True):
    page = home.add_child(instance=StandardPage(title=title, slug=slug, intro="Réunion publique des habitants",
                                                live=False))
    if live:
        page.save_revision().publish()
        page.refresh_from_db()  # publish() saved the revision's copy of the page
    return page


def _doc_id(page):
    return f"cms.standardpage:{page.pk}"


def test_publishing_a_page_indexes_it_after_commit(site_ctx, on_commit, find, mairie19):
    with on_commit(execute=True):
        page = _page(site_ctx.homes["paris19"])
    assert ids(find("conseil quartier", mairie=mairie19)) == [_doc_id(page)]
    entry = SearchEntry.objects.get(doc_id=_doc_id(page))
    assert (entry.mairie, entry.audience, entry.url) == ("paris19", "public", "/conseil/")


def test_nothing_is_indexed_before_commit(site_ctx, on_commit):
    with on_commit(execute=False) as callbacks:
        page = _page(site_ctx.homes["paris19"])
    assert callbacks
    assert not SearchEntry.objects.filter(doc_id=_doc_id(page)).exists()


def test_a_rolled_back_deletion_keeps_the_document(site_ctx, on_commit):
    with on_commit(execute=True):
        page = _page(site_ctx.homes["paris19"])
    with on_commit(execute=True):
        try:
            with transaction.atomic():
                StandardPage.objects.get(pk=page.pk).delete()
                raise RuntimeError("rollback")
        except RuntimeError:
            pass
        page.save()  # any later change: what was pending is flushed with it
    assert SearchEntry.objects.filter(doc_id=_doc_id(page)).exists()


def test_a_rolled_back_publication_is_never_indexed(site_ctx, on_commit):
    with on_commit(execute=True):
        try:
            with transaction.atomic():
                _page(site_ctx.homes["paris19"], slug="annule")
                raise RuntimeError("rollback")
        except RuntimeError:
            pass
    assert not SearchEntry.objects.filter(title="Le conseil de quartier").exists()


def test_a_draft_page_and_draft_changes_stay_out_of_the_index(site_ctx, on_commit, find, mairie19):
    with on_commit(execute=True):
        draft = _page(site_ctx.homes["paris19"], slug="brouillon", title="Projet secret de budget", live=False)
    assert find("secret budget", mairie=mairie19).count == 0
    with on_commit(execute=True):
        page = _page(site_ctx.homes["paris19"])
    with on_commit(execute=True):
        page.title = "Titre pas encore relu"
        page.save_revision()  # a draft of a live page: the live title stays
    assert find("relu", mairie=mairie19).count == 0
    assert SearchEntry.objects.get(doc_id=_doc_id(page)).title == "Le conseil de quartier"
    assert not SearchEntry.objects.filter(doc_id=_doc_id(draft)).exists()


def test_unpublishing_removes_and_republishing_restores(site_ctx, on_commit, find, mairie19):
    with on_commit(execute=True):
        page = _page(site_ctx.homes["paris19"])
    with on_commit(execute=True):
        page.unpublish()
    assert find("conseil", mairie=mairie19).count == 0
    with on_commit(execute=True):
        page.save_revision().publish()
    assert ids(find("conseil", mairie=mairie19)) == [_doc_id(page)]


def test_deleting_a_page_removes_its_document(site_ctx, on_commit, find, mairie19):
    with on_commit(execute=True):
        page = _page(site_ctx.homes["paris19"])
    doc_id = _doc_id(page)
    with on_commit(execute=True):
        page.delete()
    assert not SearchEntry.objects.filter(doc_id=doc_id).exists()
    assert find("conseil", mairie=mairie19).count == 0


def test_moving_a_page_updates_its_url(site_ctx, on_commit):
    home = site_ctx.homes["paris19"]
    with on_commit(execute=True):
        parent = _page(home, slug="vie-locale", title="Vie locale")
        page = _page(home)
    with on_commit(execute=True):
        page.move(parent, pos="last-child")
    assert SearchEntry.objects.get(doc_id=_doc_id(page)).url == "/vie-locale/conseil/"


def test_a_page_under_the_20e_belongs_to_the_20e(site_ctx, on_commit, find, mairie19, mairie20):
    with on_commit(execute=True):
        page = _page(site_ctx.homes["paris20"], slug="conseil-20", title="Conseil de quartier du 20e")
    assert ids(find("conseil", mairie=mairie20)) == [_doc_id(page)]
    assert find("conseil", mairie=mairie19).count == 0


def test_a_change_made_without_save_is_announced_with_reindex(site_ctx, on_commit, find, mairie19):
    with on_commit(execute=True):
        page = _page(site_ctx.homes["paris19"])
    with on_commit(execute=True):
        StandardPage.objects.filter(pk=page.pk).update(live=False)  # no signal
        registry.reindex(page)
    assert find("conseil", mairie=mairie19).count == 0


def test_registered_models_get_save_search_document_for_the_engine(site_ctx, on_commit, find, mairie19):
    """participation.services calls target.save_search_document() after hiding or restoring."""
    with on_commit(execute=True):
        page = _page(site_ctx.homes["paris19"])
    with on_commit(execute=True):
        StandardPage.objects.filter(pk=page.pk).update(live=False)
        page.save_search_document()
    assert find("conseil", mairie=mairie19).count == 0


def test_objects_sync_indexes_found_objects_and_removes_missing_ones(site_ctx, find, mairie19):
    page = _page(site_ctx.homes["paris19"])
    assert services.objects_sync(model_label="cms.standardpage", pks=[page.pk, 999999]) == 1
    assert ids(find("conseil", mairie=mairie19)) == [_doc_id(page)]
    page.delete()
    services.objects_sync(model_label="cms.standardpage", pks=[page.pk])
    assert find("conseil", mairie=mairie19).count == 0


def test_rebuild_command_indexes_every_adapter_and_drops_stale_documents(site_ctx, index, capsys):
    from tests.factories.search import search_doc

    index(search_doc("Un document orphelin", key="orphan"))
    call_command("rebuild_search_index")
    out = capsys.readouterr().out
    indexed = get_backend().doc_ids()
    assert "cms.standardpage:orphan" not in indexed
    pages = StandardPage.objects.live().count() + 2  # the two home pages
    assert len([d for d in indexed if d.startswith("cms.")]) == pages
    assert "cms.standardpage" in out and "documents indexed" in out


def test_rebuild_twice_gives_the_same_index(site_ctx):
    first = services.index_rebuild()
    entries = set(SearchEntry.objects.values_list("doc_id", "title", "url"))
    assert services.index_rebuild() == first
    assert set(SearchEntry.objects.values_list("doc_id", "title", "url")) == entries


@pytest.mark.parametrize("slug", ["a-propos"])
def test_demo_pages_are_found_after_a_rebuild(site_ctx, find, mairie19, slug):
    services.index_rebuild()
    page = StandardPage.objects.get(slug=slug, url_path__startswith="/accueil-paris19/")
    assert _doc_id(page) in ids(find(page.title, mairie=mairie19))
