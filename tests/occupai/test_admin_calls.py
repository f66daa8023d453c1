"""Organisers run calls in the Wagtail admin: each mairie's organisers' group holds page permissions on
its own Occupai index only (cms.mairie_groups, occupai.setup)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, rich_text

from occupai.models import CallPage
from tests.conftest import client_as
from tests.factories import organiser


def _call_form(spaces, **changes):
    now = timezone.localtime()
    when = lambda days: (now + timedelta(days=days)).strftime("%Y-%m-%d %H:%M")  # noqa: E731
    data = nested_form_data({
        "title": "Occupai : l'automne des voisins", "slug": "automne", "intro": "Proposez !",
        "description": rich_text("<p>Un appel.</p>"), "eligibility": "",
        "event_starts_on": (now + timedelta(days=60)).date().isoformat(),
        "event_ends_on": (now + timedelta(days=62)).date().isoformat(),
        "submission_opens_at": when(1), "submission_closes_at": when(10), "voting_opens_at": when(12),
        "voting_closes_at": when(20), "results_at": when(25), "vote_budget": "3", "selection_count": "4",
        "show_counts_during_voting": "on", "comments": {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0"},
    })
    data.update(spaces=[space.pk for space in spaces], **changes)
    return data


def test_an_organiser_opens_a_call_under_their_mairies_occupai(organiser19, index19, spaces19):
    client = client_as(organiser19)
    add = reverse("wagtailadmin_pages:add", args=["occupai", "callpage", index19.pk])
    assert client.get(add).status_code == 200
    response = client.post(add, {**_call_form(spaces19.values()), "action-publish": "action-publish"})
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    call = CallPage.objects.get(slug="automne")
    assert call.live and call.mairie == index19.mairie and call.get_parent().pk == index19.pk
    edit = client.post(reverse("wagtailadmin_pages:edit", args=[call.pk]),
                       {**_call_form(spaces19.values(), title="L'automne des voisins"), "action-publish": "1"})
    assert edit.status_code == 302
    assert CallPage.objects.get(pk=call.pk).title == "L'automne des voisins"


def test_an_organiser_reaches_no_other_mairies_occupai_and_no_other_page(organiser19, index19, index20, spaces19,
                                                                          site_ctx):
    client = client_as(organiser19)
    for url in (reverse("wagtailadmin_pages:add", args=["occupai", "callpage", index20.pk]),
                reverse("wagtailadmin_pages:add_subpage", args=[index20.pk]),
                reverse("wagtailadmin_pages:add", args=["cms", "standardpage", site_ctx.homes["paris19"].pk]),
                reverse("wagtailadmin_pages:edit", args=[site_ctx.homes["paris19"].pk])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home"), url
    pages = Page.objects.count()
    client.post(reverse("wagtailadmin_pages:add", args=["occupai", "callpage", index20.pk]),
                {**_call_form(spaces19.values()), "action-publish": "1"})
    assert Page.objects.count() == pages


def test_an_organiser_does_not_delete_or_unpublish_the_occupai_index_itself(organiser19, index19, editor19):
    organiser_client, editor_client = client_as(organiser19), client_as(editor19)
    for name in ("delete", "unpublish"):
        url = reverse(f"wagtailadmin_pages:{name}", args=[index19.pk])
        assert organiser_client.get(url)["Location"] == reverse("wagtailadmin_home"), name
        assert editor_client.get(url).status_code == 200, name
    organiser_client.post(reverse("wagtailadmin_pages:delete", args=[index19.pk]))
    assert Page.objects.filter(pk=index19.pk).exists()


def test_an_organiser_moved_to_another_mairie_runs_that_mairies_calls(index19, index20, mairie20):
    samir = organiser(index19.mairie, username="samir")
    assert set(samir.groups.values_list("name", flat=True)) == {"Organisateurs", "Organisateurs · paris19"}
    samir.mairie = mairie20
    samir.save()
    assert set(samir.groups.values_list("name", flat=True)) == {"Organisateurs", "Organisateurs · paris20"}
    client = client_as(samir)
    assert client.get(reverse("wagtailadmin_pages:add", args=["occupai", "callpage", index20.pk])).status_code == 200
    response = client.get(reverse("wagtailadmin_pages:add", args=["occupai", "callpage", index19.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
