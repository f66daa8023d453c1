"""Scheduled publishing: an editor gives a page a publication date in the admin (« Publier » with a
« Date de publication » to come) and the scheduler's every-minute `publish_scheduled` job (Wagtail's
`publish_scheduled` command, cms/schedule.py) publishes it once that date has come; the public page
shows it at once, even from the anonymous page cache (cms.cache: Wagtail's page_published signal
renews its version). A page scheduled later stays unpublished."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, streamfield

from cms import schedule
from cms.models import StandardPage
from tests.conftest import client_as


@pytest.fixture
def page_cache(settings):
    """The anonymous page cache on, with entries that outlive the test: only invalidation refreshes them."""
    settings.CACHES = {**settings.CACHES, "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                                    "LOCATION": "scheduled-publishing-pages"}}
    settings.PAGE_CACHE_ALIAS = "pages"
    settings.PAGE_CACHE_SECONDS = 24 * 3600
    caches["pages"].clear()
    yield caches["pages"]
    caches["pages"].clear()


def _form(title, slug, go_live_at):
    local = timezone.localtime(go_live_at).strftime("%Y-%m-%d %H:%M")
    return nested_form_data({"title": title, "slug": slug, "intro": "", "body": streamfield([]),
                             "go_live_at": local, "expire_at": "",
                             "comments": {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0"}, "action-publish": "1"})


def _publish_at(client, url, title, slug, go_live_at):
    response = client.post(url, _form(title, slug, go_live_at))
    assert response.status_code == 302, response.context["form"].errors


def test_a_scheduled_page_goes_live_when_the_job_runs_and_shows_through_the_cache(
        site_ctx, page_cache, client19, editor19):
    home = site_ctx.homes["paris19"]
    fete = home.add_child(instance=StandardPage(title="La fête de quartier", slug="fete-de-quartier"))
    fete.save_revision().publish()
    editor = client_as(editor19)
    now = timezone.now().replace(second=0, microsecond=0)
    soon, later = now + dt.timedelta(minutes=10), now + dt.timedelta(days=2)

    # An edit of a live page, and a new page, both scheduled in ten minutes; another page in two days.
    _publish_at(editor, reverse("wagtailadmin_pages:edit", args=[fete.pk]), "La fête de quartier, samedi",
                "fete-de-quartier", soon)
    add = reverse("wagtailadmin_pages:add", args=["cms", "standardpage", home.pk])
    _publish_at(editor, add, "Le marché de Noël", "marche-de-noel", soon)
    _publish_at(editor, add, "Le carnaval", "carnaval", later)
    marche, carnaval = (StandardPage.objects.get(slug=slug) for slug in ("marche-de-noel", "carnaval"))
    assert not marche.live and not carnaval.live and marche.go_live_at == soon

    before = client19.get("/fete-de-quartier/")
    assert before["X-Page-Cache"] == "miss" and "La fête de quartier, samedi" not in before.content.decode()
    assert client19.get("/fete-de-quartier/")["X-Page-Cache"] == "hit"
    assert client19.get("/marche-de-noel/").status_code == 404

    job = schedule.job_named("publish_scheduled")
    assert job.command == "publish_scheduled" and job.every == dt.timedelta(minutes=1)
    assert schedule.run_job(job)  # not due yet: nothing changes
    assert not Page.objects.get(pk=marche.pk).live
    with time_machine.travel(soon + dt.timedelta(minutes=1), tick=False):
        assert job in schedule.due(timezone.now())
        assert schedule.run_due(jobs=[job]) == {"publish_scheduled": True}

    marche, carnaval = (StandardPage.objects.get(pk=page.pk) for page in (marche, carnaval))
    assert marche.live and marche.title == "Le marché de Noël"
    assert not carnaval.live  # its date has not come
    after = client19.get("/fete-de-quartier/")
    assert after.status_code == 200 and "La fête de quartier, samedi" in after.content.decode()
    assert after["X-Page-Cache"] == "miss"  # the cached old version was let go
    assert "Le marché de Noël" in client19.get("/marche-de-noel/").content.decode()
    assert client19.get("/carnaval/").status_code == 404
