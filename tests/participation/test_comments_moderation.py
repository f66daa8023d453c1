import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from cms.errors import Conflict, NotAllowed
from participation import selectors, services
from participation.models import AuditEntry, Notification
from tests.conftest import api_as, client_as
from tests.factories import resident
from tests.factories.bureau import ProjectFactory, bureau_index


@pytest.fixture
def project(mairie19, resident19):
    project = ProjectFactory(mairie=mairie19, author=resident19)
    services.follow_add(user=resident19, target=project)  # as project_create does for authors
    return project


def test_comments_are_threaded_two_levels_deep(project, mairie19, resident19):
    alice, bob = resident(mairie19), resident(mairie19)
    first = services.comment_post(user=alice, target=project, text="Super idée !")
    reply = services.comment_post(user=bob, target=project, text="D'accord", parent_id=first.pk)
    deeper = services.comment_post(user=alice, target=project, text="Merci", parent_id=reply.pk)
    threads = selectors.comments_for(project)
    assert len(threads) == 1
    assert [n["comment"].pk for n in threads[0]["replies"]] == [reply.pk, deeper.pk]
    assert deeper.level == 1  # a reply to a reply stays at depth 2
    project.refresh_from_db()
    assert project.comments_count == 3


def test_comment_notifies_author_and_followers_and_the_replied(project, mairie19, resident19):
    alice, bob = resident(mairie19), resident(mairie19)
    first = services.comment_post(user=alice, target=project, text="Une question ?")
    assert Notification.objects.filter(user=resident19, verb="comment").exists()  # author follows
    services.comment_post(user=bob, target=project, text="Réponse", parent_id=first.pk)
    assert Notification.objects.filter(user=alice, verb="reply").exists()
    assert not Notification.objects.filter(user=bob).exists()


@pytest.mark.parametrize("text", ["", "   ", "x" * 3001])
def test_empty_or_oversized_comments_are_refused(project, resident19, text):
    with pytest.raises(ValidationError):
        services.comment_post(user=resident19, target=project, text=text)
    assert selectors.comments_for(project) == []


def test_comments_on_hidden_objects_are_refused(project, resident19):
    project.is_hidden = True
    project.save()
    with pytest.raises(NotAllowed):
        services.comment_post(user=resident19, target=project, text="Bonjour")


@override_settings(REPORTS_BEFORE_HIDING=3)
def test_three_reports_hide_pending_review_and_tell_the_author(project, mairie19, resident19):
    for _ in range(2):
        services.report_add(user=resident(mairie19), target=project, reason="spam")
    project.refresh_from_db()
    assert not project.is_hidden
    services.report_add(user=resident(mairie19), target=project, reason="offensive", note="insulte")
    project.refresh_from_db()
    assert project.is_hidden and project.reports_count == 3
    assert Notification.objects.filter(user=resident19, verb="moderation").exists()
    assert AuditEntry.objects.filter(action="auto_hidden").exists()


def test_reporting_twice_is_409_and_unknown_reason_400(project, resident19):
    neighbour = resident(project.mairie)  # not the author: a self-report is refused (test_moderation_integrity)
    services.report_add(user=neighbour, target=project, reason="spam")
    with pytest.raises(Conflict):
        services.report_add(user=neighbour, target=project, reason="spam")
    with pytest.raises(ValidationError):
        services.report_add(user=resident(project.mairie), target=project, reason="boring")


def test_organiser_hides_with_a_reason_kept_in_the_audit_log(project, organiser19, resident19, mairie20):
    with pytest.raises(ValidationError):
        services.moderation_hide(actor=organiser19, target=project, reason="")
    services.moderation_hide(actor=organiser19, target=project, reason="Données personnelles d'un voisin.")
    project.refresh_from_db()
    assert project.is_hidden and project.hidden_reason.startswith("Données")
    entry = AuditEntry.objects.get(action="hide")
    assert entry.actor == organiser19 and not entry.public
    with pytest.raises(NotAllowed):
        services.moderation_restore(actor=resident19, target=project)
    services.moderation_restore(actor=organiser19, target=project, reason="Corrigé")
    project.refresh_from_db()
    assert not project.is_hidden


def test_hiding_a_comment_removes_it_and_fixes_the_count(project, organiser19, mairie19):
    comment = services.comment_post(user=resident(mairie19), target=project, text="Spam spam")
    services.moderation_hide(actor=organiser19, target=comment, reason="Publicité")
    project.refresh_from_db()
    assert project.comments_count == 0 and selectors.comments_for(project) == []


def test_generic_api_comments_follow_report_and_notifications(project, mairie19, resident19, api19):
    ref = f"bureau.project:{project.pk}"
    alice = resident(mairie19)
    client = api_as(alice)
    created = client.post("/api/participation/comments/", {"target": ref, "text": "Bravo"}, format="json")
    assert created.status_code == 201
    listed = api19.get("/api/participation/comments/", {"target": ref}).json()
    assert [c["text"] for c in listed] == ["Bravo"]
    assert api19.get("/api/participation/comments/", {"target": "cms.user:1"}).status_code == 404
    assert api19.get("/api/participation/comments/").status_code == 400
    assert client.post("/api/participation/follows/", {"target": ref}, format="json").status_code == 201
    assert client.delete(f"/api/participation/follows/?target={ref}").status_code == 200
    report = client.post("/api/participation/reports/", {"target": ref, "reason": "spam"}, format="json")
    assert report.status_code == 201
    assert client.post("/api/participation/reports/", {"target": ref, "reason": "spam"},
                       format="json").status_code == 409
    notes = api_as(resident19).get("/api/participation/notifications/").json()
    assert any(n["verb"] == "comment" for n in notes)
    assert api_as(resident19).post("/api/participation/notifications/read/", {}, format="json").json()["marked_read"] >= 1
    assert api19.post("/api/participation/comments/", {"target": ref, "text": "x"}, format="json").status_code in (401, 403)


def test_moderation_api_is_for_organisers_of_the_mairie(project, organiser19, resident19):
    ref = f"bureau.project:{project.pk}"
    assert api_as(resident19).post("/api/participation/moderation/hide/", {"target": ref, "reason": "x"},
                                   format="json").status_code == 403
    assert api_as(organiser19).post("/api/participation/moderation/hide/", {"target": ref, "reason": "Hors sujet"},
                                    format="json").status_code == 200
    assert api_as(resident19).get("/api/participation/moderation/queue/").status_code == 403
    assert api_as(organiser19).get("/api/participation/moderation/queue/").status_code == 200


def test_html_doors_support_comment_report_and_notifications(project, mairie19, resident19, organiser19):
    index = bureau_index(mairie19)
    back = f"{index.url}projets/{project.pk}/"
    ref = f"bureau.project:{project.pk}"
    voter = resident(mairie19)
    client = client_as(voter)
    assert client.post("/participer/soutenir/", {"target": ref, "next": back}).status_code == 302
    assert selectors.has_supported(voter, project)
    again = client.post("/participer/soutenir/", {"target": ref, "next": back}, follow=True)
    assert "déjà" in again.content.decode()
    client.post("/participer/commenter/", {"target": ref, "text": "Je viendrai aider", "next": back})
    assert selectors.comments_for(project)[0]["comment"].comment == "Je viendrai aider"
    form = client.get("/participer/signaler/", {"target": ref, "next": back})
    assert form.status_code == 200 and "Motif" in form.content.decode()
    assert client.post("/participer/signaler/", {"target": ref, "reason": "spam", "next": back}).status_code == 302
    assert client.post("/participer/soutenir/", {"target": ref, "next": "https://evil.example/"})["Location"] == "/"
    assert client_as(resident19).get("/notifications/").status_code == 200
    assert client_as(resident19).get("/moderation/").status_code == 403
    queue = client_as(organiser19).get("/moderation/")
    assert queue.status_code == 200 and project.title in queue.content.decode()


def test_notification_emails_are_retried_until_sent(project, mairie19, resident19, monkeypatch, mailoutbox):
    """A mail server that fails then recovers: the notification is kept and sent on retry."""
    from django.core.mail.backends.locmem import EmailBackend

    from participation import tasks

    original = EmailBackend.send_messages
    calls = {"n": 0}

    def flaky(self, messages):
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionError("SMTP down")
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    services.notify_users(users=[resident19], target=project, verb="status", title="Nouvelle étape")
    note = Notification.objects.get(user=resident19)
    assert tasks.send_notification_emails.call([note.pk]) == [note.pk]  # failed, kept for retry
    note.refresh_from_db()
    assert note.emailed_at is None and note.email_attempts == 1
    tasks.retry_pending_emails()
    note.refresh_from_db()
    assert note.emailed_at is not None and len(mailoutbox) == 1
