"""Moderation that throwaway accounts cannot game: reports that hide an item are counted from distinct
confirmed reporters of the item's mairie other than its author; a self-report is refused; hiding or
restoring twice changes nothing; the queue shows reasons by their French labels."""

import pytest
from django.test import override_settings
from django.urls import reverse

from cms.errors import NotAllowed
from cms.models import User
from participation import services
from participation.models import AuditEntry, Report
from tests.conftest import api_as, client_as
from tests.factories import resident
from tests.factories.bureau import ProjectFactory, bureau_index


@pytest.fixture
def project(mairie19, resident19):
    bureau_index(mairie19)
    return ProjectFactory(mairie=mairie19, author=resident19)


def _hidden(project):
    project.refresh_from_db()
    return project.is_hidden


def test_a_self_report_is_refused_and_not_counted(project, resident19):
    with pytest.raises(NotAllowed) as caught:
        services.report_add(user=resident19, target=project, reason="spam")
    assert caught.value.code == "own_content"
    assert "votre propre" in str(caught.value.message)
    project.refresh_from_db()
    assert project.reports_count == 0 and not Report.objects.exists()


def test_a_self_report_through_the_api_is_403(project, resident19):
    response = api_as(resident19).post("/api/participation/reports/", {"target": project.target_ref, "reason": "spam"},
                                       format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "own_content"
    assert not Report.objects.exists()


def test_reporting_ones_own_comment_is_refused(project, mairie19):
    author = resident(mairie19)
    comment = services.comment_post(user=author, target=project, text="Mon avis")
    with pytest.raises(NotAllowed):
        services.report_add(user=author, target=comment, reason="spam")
    assert not Report.objects.exists()


@override_settings(REPORTS_BEFORE_HIDING=3)
def test_three_unconfirmed_accounts_cannot_hide_an_item(project, mairie19):
    for n in range(3):
        with pytest.raises(NotAllowed):
            services.report_add(user=resident(mairie19, email_confirmed=False, username=f"jetable{n}"),
                                target=project, reason="spam")
    assert not _hidden(project)
    assert not AuditEntry.objects.filter(action="auto_hidden").exists()


@override_settings(REPORTS_BEFORE_HIDING=3)
def test_reports_of_accounts_no_longer_confirmed_do_not_count(project, mairie19):
    first, second, third = (resident(mairie19) for _n in range(3))
    services.report_add(user=first, target=project, reason="spam")
    services.report_add(user=second, target=project, reason="spam")
    User.objects.filter(pk=first.pk).update(email_confirmed=False)  # e.g. a deleted account (cms.privacy)
    services.report_add(user=third, target=project, reason="spam")
    assert not _hidden(project)
    services.report_add(user=resident(mairie19), target=project, reason="spam")
    assert _hidden(project)


@override_settings(REPORTS_BEFORE_HIDING=3)
def test_reporters_from_another_mairie_do_not_hide_an_item(project, mairie19, mairie20):
    for _n in range(3):
        services.report_add(user=resident(mairie20), target=project, reason="offensive")
    assert not _hidden(project)
    project.refresh_from_db()
    assert project.reports_count == 3  # they are in the queue all the same
    for _n in range(3):
        services.report_add(user=resident(mairie19), target=project, reason="offensive")
    assert _hidden(project)
    assert AuditEntry.objects.filter(action="auto_hidden").count() == 1


def _comments_count(project):
    project.refresh_from_db()
    return project.comments_count


def _comments(project, mairie19, n):
    return [services.comment_post(user=resident(mairie19), target=project, text=f"Avis {i}") for i in range(n)]


def test_hiding_a_hidden_comment_keeps_the_counter(project, mairie19, organiser19):
    comment = _comments(project, mairie19, 3)[0]
    for _n in range(3):
        services.moderation_hide(actor=organiser19, target=comment, reason="Publicité")
    assert _comments_count(project) == 2


def test_restoring_a_visible_comment_keeps_the_counter(project, mairie19, organiser19):
    comment = _comments(project, mairie19, 3)[0]
    for _n in range(4):
        services.moderation_restore(actor=organiser19, target=comment, reason="Rien à redire")
    assert _comments_count(project) == 3
    services.moderation_hide(actor=organiser19, target=comment, reason="Publicité")
    services.moderation_restore(actor=organiser19, target=comment, reason="Erreur")
    services.moderation_restore(actor=organiser19, target=comment, reason="Erreur")
    assert _comments_count(project) == 3


@override_settings(REPORTS_BEFORE_HIDING=2)
def test_an_auto_hidden_comment_hidden_again_by_an_organiser_keeps_the_counter(project, mairie19, organiser19):
    comment = _comments(project, mairie19, 2)[0]
    for _n in range(2):
        services.report_add(user=resident(mairie19), target=comment, reason="spam")
    assert _comments_count(project) == 1
    services.moderation_hide(actor=organiser19, target=comment, reason="Publicité")
    assert _comments_count(project) == 1


def test_the_html_queue_shows_reasons_by_their_french_labels(project, mairie19, organiser19):
    services.report_add(user=resident(mairie19), target=project, reason="off_topic", note="rien à voir")
    services.report_add(user=resident(mairie19), target=project, reason="personal_data")
    body = client_as(organiser19).get(reverse("moderation")).content.decode()
    assert "Hors sujet" in body and "Données personnelles exposées" in body
    assert "off_topic" not in body and "personal_data" not in body
    assert "rien à voir" in body


def test_the_api_queue_gives_each_reason_its_french_label(project, mairie19, organiser19):
    services.report_add(user=resident(mairie19), target=project, reason="off_topic")
    entries = api_as(organiser19).get("/api/participation/moderation/queue/").json()
    assert entries[0]["reasons"] == [{"code": "off_topic", "label": "Hors sujet", "note": ""}]
