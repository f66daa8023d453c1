"""The charter page: publishing needs exactly 19, drafts do not; the Wagtail admin form says why."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from participation.commandements import rules, selectors, services
from participation.commandements.models import CharterPage
from tests.conftest import client_as
from tests.factories.commandements import make_charter, pairs


def test_rules_name_the_count_for_18_and_20():
    assert rules.numbering_problems(range(1, 19), publishing=True)[0] == (
        "Une charte se publie avec exactement 19 commandements : celle-ci en compte 18.")
    assert "celle-ci en compte 20" in rules.numbering_problems(range(1, 21), publishing=True)[0]
    assert rules.numbering_problems(range(1, 20), publishing=True) == []


def test_rules_refuse_duplicates_even_in_drafts_and_name_missing_numbers():
    assert "Le numéro 4 est utilisé par plusieurs" in rules.numbering_problems([1, 4, 4], publishing=False)[0]
    assert rules.numbering_problems([1, 2, 3], publishing=False) == []
    numbers = [*range(1, 7), *range(8, 20), 25]
    problems = rules.numbering_problems(numbers, publishing=True)
    assert any("25 n'en fait pas partie" in p for p in problems)


@pytest.mark.parametrize("count", [18, 20])
def test_publishing_a_revision_without_19_is_refused(mairie19, count):
    charter = make_charter(mairie19, count=count, publish=False)
    with pytest.raises(ValidationError, match=f"celle-ci en compte {count}"):
        charter.get_latest_revision().publish()
    charter.refresh_from_db()
    assert not charter.live
    assert selectors.current_version(charter) is None


def test_a_draft_may_hold_fewer_than_19(mairie19):
    charter = make_charter(mairie19, count=5, publish=False)
    assert charter.commandements.count() == 5
    assert charter.get_latest_revision() is not None


def test_the_charter_belongs_to_the_mairie_of_its_home_page(mairie19, mairie20):
    assert make_charter(mairie19).mairie == mairie19
    assert make_charter(mairie20).mairie == mairie20


def test_first_publication_records_version_1_with_19_wordings(charter19):
    version = selectors.current_version(charter19)
    assert version.number == 1
    assert version.wordings.count() == 19
    assert selectors.current_wordings(charter19)[7].mairie_commitment == "La mairie s'engage, n° 7."


def test_republishing_without_a_wording_change_keeps_the_version(charter19):
    charter19.intro = "<p>Une autre introduction.</p>"
    charter19.save_revision().publish()
    assert selectors.current_version(charter19).number == 1


def test_consultation_dates_must_come_in_order(mairie19):
    now = timezone.now()
    charter = make_charter(mairie19, publish=False)
    charter.consultation_opens_at, charter.consultation_closes_at = now, now - timedelta(days=1)
    with pytest.raises(ValidationError, match="après l'ouverture"):
        charter.full_clean()
    charter.consultation_closes_at = None
    with pytest.raises(ValidationError, match="indiquez les deux"):
        charter.full_clean()


def test_publishing_an_old_revision_keeps_the_signature_count(charter19, resident19, agent19):
    old_revision = charter19.get_latest_revision()
    services.charter_sign(user=resident19, charter=charter19)
    services.charter_sign(user=agent19, charter=charter19)
    old_revision.publish()
    charter19.refresh_from_db()
    assert charter19.supports_count == 2


# --- the Wagtail admin form ----------------------------------------------------------------------


def _edit_post(charter, count, action):
    """The edit form as the admin posts it: existing children keep their ids, the 20th is new,
    children beyond count are marked deleted."""
    existing = list(charter.commandements.order_by("number"))
    commandements = []
    for n, (t, m, r) in enumerate(pairs(max(count, len(existing))), start=1):
        child = {"number": n, "title": t, "mairie_commitment": m, "resident_commitment": r,
                 "pictogram": "", "pictogram_alt": ""}
        if n <= len(existing):
            child["id"] = existing[n - 1].pk
        if n > count:
            child["DELETE"] = "1"
        commandements.append(child)
    data = nested_form_data({
        "title": charter.title, "slug": charter.slug, "intro": rich_text("<p>Intro</p>"),
        "consultation_opens_at": "", "consultation_closes_at": "",
        "commandements": inline_formset(commandements, initial=len(existing)),
        "comments": inline_formset([]),
    })
    data[action] = "1"
    return data


@pytest.fixture
def draft19(mairie19):
    return make_charter(mairie19, count=19, publish=False)


@pytest.mark.parametrize("count", [18, 20])
def test_admin_refuses_to_publish_a_charter_without_19(draft19, editor19, count):
    client = client_as(editor19)
    response = client.post(f"/admin/pages/{draft19.pk}/edit/", _edit_post(draft19, count, "action-publish"))
    assert response.status_code == 200
    assert f"celle-ci en compte {count}" in response.content.decode()
    draft19.refresh_from_db()
    assert not draft19.live


def test_admin_publishes_a_charter_of_19_and_records_it(draft19, editor19):
    client = client_as(editor19)
    response = client.post(f"/admin/pages/{draft19.pk}/edit/", _edit_post(draft19, 19, "action-publish"))
    assert response.status_code == 302
    draft19.refresh_from_db()
    assert draft19.live
    assert selectors.current_version(draft19).number == 1


def test_admin_saves_a_draft_of_18(draft19, editor19):
    client = client_as(editor19)
    response = client.post(f"/admin/pages/{draft19.pk}/edit/", _edit_post(draft19, 18, "action-save"))
    assert response.status_code == 302
    draft19.refresh_from_db()
    assert draft19.commandements.count() == 18


def test_admin_refuses_to_submit_18_for_moderation(draft19, editor19):
    client = client_as(editor19)
    response = client.post(f"/admin/pages/{draft19.pk}/edit/", _edit_post(draft19, 18, "action-submit"))
    assert "celle-ci en compte 18" in response.content.decode()


def test_admin_preview_modes_render_the_poster_and_the_screen(charter19, editor19):
    client = client_as(editor19)
    data = _edit_post(charter19, 19, "action-save")
    for mode, marker in (("affiche", "poster-list"), ("ecran", "screen-pair"), ("", "commandements")):
        url = f"/admin/pages/{charter19.pk}/edit/preview/?mode={mode}"
        assert client.post(url, data).json()["is_valid"]
        response = client.get(url)
        assert response.status_code == 200
        assert marker in response.content.decode()


def test_only_one_charter_per_home_page(charter19):
    home = Page.objects.get(pk=charter19.get_parent().pk).specific
    assert not CharterPage.can_create_at(home)


def test_the_edit_page_lists_adopted_amendments_awaiting_publication(charter19, resident19, editor19):
    client = client_as(editor19)
    url = f"/admin/pages/{charter19.pk}/edit/"
    assert "attend d'être publié" not in client.get(url).content.decode()
    amendment = services.amendment_submit(user=resident19, charter=charter19, number=9,
                                          proposed_mairie_commitment="Mieux orienter.", rationale="Oui.")
    services.amendment_adopt(actor=editor19, amendment=amendment)
    body = client.get(url).content.decode()
    assert "1 amendement adopté attend d'être publié" in body
    assert f"amendement n° {amendment.pk}" in body


def test_bulk_publishing_a_charter_of_18_from_the_listing_is_refused_with_the_count(mairie19, editor19):
    draft = make_charter(mairie19, count=18, publish=False)
    client = client_as(editor19)
    listing = f"/admin/pages/{draft.get_parent().pk}/"
    url = f"/admin/bulk/wagtailcore/page/publish/?id={draft.pk}&next={listing}"
    assert client.get(url).status_code == 200
    response = client.post(url, {"include_descendants": ""}, follow=True)
    assert response.status_code == 200
    assert "celle-ci en compte 18" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.live
