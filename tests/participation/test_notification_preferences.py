"""Notification preferences per kind, daily digests, one-click unsubscribe (RFC 8058) and emails
that link to the mairie of the notified item (issue 18)."""

import datetime as dt
import io
import json
import re

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from cms import privacy
from cms.errors import NotAllowed
from participation import notification_kinds, preferences, services, tasks
from participation.models import Notification, NotificationPreference
from participation.notification_kinds import Delivery, Kind
from tests.conftest import api_as, client_as
from tests.factories.bureau import ProjectFactory

UNSUBSCRIBE = re.compile(r"https?://[^/\s<>]+/notifications/desabonnement/[^/\s<>]+/")


@pytest.fixture
def project(mairie19, resident19):
    return ProjectFactory(mairie=mairie19, author=resident19, title="Des bancs rue de Crimée")


@pytest.fixture
def project20(mairie20, resident20):
    return ProjectFactory(mairie=mairie20, author=resident20, title="Un potager place Gambetta")


def notify(on_commit, user, target, verb="status", title="Votre projet avance", url=None):
    with on_commit(execute=True):
        services.notify_users(users=[user], target=target, verb=verb, title=title, message="Le message.",
                              url=url if url is not None else target.get_absolute_url())
    return Notification.objects.filter(user=user).order_by("-pk").first()


def unsubscribe_path(message):
    header = message.extra_headers["List-Unsubscribe"]
    return re.match(r"<https?://[^/]+(/\S+/)>$", header).group(1)


# --- kinds and preferences -------------------------------------------------------------------


def test_each_app_maps_its_verbs_to_a_kind_and_unmapped_verbs_are_other():
    assert notification_kinds.kind_of("bureau", "status") == Kind.DECISION
    assert notification_kinds.kind_of("hackathon", "drawn") == Kind.DRAW
    assert notification_kinds.kind_of("accueil", "help_message") == Kind.EXCHANGES
    assert notification_kinds.kind_of("occupai", "comment") == Kind.FOLLOWED  # the engine's, for every app
    assert notification_kinds.kind_of("bureau", "reply") == Kind.REPLY
    assert notification_kinds.kind_of("bureau", "never_heard_of") == Kind.OTHER
    with pytest.raises(ValueError, match="already of kind"):
        notification_kinds.register_notification_verbs("bureau", {"status": Kind.DRAW})


def test_defaults_suit_a_resident_and_changes_are_kept_per_kind(resident19):
    assert preferences.preferences_for(resident19) == {**dict.fromkeys(Kind.values, Delivery.IMMEDIATE),
                                                       Kind.FOLLOWED: Delivery.DIGEST}
    result = services.notification_preferences_update(user=resident19, changes={Kind.DRAW: Delivery.NEVER})
    assert result[Kind.DRAW] == Delivery.NEVER and result[Kind.FOLLOWED] == Delivery.DIGEST
    services.notification_preferences_update(user=resident19, changes={Kind.DRAW: Delivery.DIGEST})
    assert NotificationPreference.objects.get(user=resident19, kind=Kind.DRAW).delivery == Delivery.DIGEST


@pytest.mark.parametrize("changes", [{"decision": "never", "bogus": "never"}, {"decision": "never", "draw": "weekly"},
                                     {}, ["decision"]])
def test_a_bad_change_is_refused_whole(resident19, changes):
    with pytest.raises(ValidationError):
        services.notification_preferences_update(user=resident19, changes=changes)
    assert not NotificationPreference.objects.filter(user=resident19).exists()


def test_anonymous_has_no_preferences_to_change(db):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAllowed):
        services.notification_preferences_update(user=AnonymousUser(), changes={Kind.DRAW: Delivery.NEVER})


# --- immediate emails ------------------------------------------------------------------------


def test_an_immediate_email_has_both_parts_the_mairies_name_and_the_unsubscribe_headers(
        project, resident19, on_commit, mailoutbox):
    note = notify(on_commit, resident19, project)
    (message,) = mailoutbox
    assert message.to == [resident19.email] and message.subject == "Votre projet avance"
    assert "Mairie du 19e" in message.body and "Le message." in message.body
    assert "pour : Décision sur ma proposition ou mon projet." in message.body
    assert f"http://paris19.localhost{project.get_absolute_url()}" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "Mairie du 19e" in html
    assert f'href="http://paris19.localhost{project.get_absolute_url()}"' in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(r"<http://paris19\.localhost/notifications/desabonnement/\S+/>",
                        message.extra_headers["List-Unsubscribe"])
    assert UNSUBSCRIBE.search(message.body) and UNSUBSCRIBE.search(html)
    note.refresh_from_db()
    assert note.emailed_at is not None


def test_links_of_a_20e_item_use_the_20e_host(project20, resident20, on_commit, mailoutbox):
    notify(on_commit, resident20, project20)
    (message,) = mailoutbox
    assert f"http://paris20.localhost{project20.get_absolute_url()}" in message.body
    assert "paris19" not in message.body and "testserver" not in message.body
    assert "Mairie du 20e" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith("<http://paris20.localhost/")


def test_a_20e_item_notified_to_a_19e_resident_still_links_to_the_20e(project20, resident19, on_commit,
                                                                      mailoutbox):
    notify(on_commit, resident19, project20)
    assert f"http://paris20.localhost{project20.get_absolute_url()}" in mailoutbox[0].body


@pytest.mark.parametrize("delivery", [Delivery.NEVER, Delivery.DIGEST])
def test_the_email_follows_the_preference_but_the_notification_is_always_made(project, resident19, on_commit,
                                                                              mailoutbox, delivery):
    services.notification_preferences_update(user=resident19, changes={Kind.DECISION: delivery})
    note = notify(on_commit, resident19, project)
    assert note is not None and note.email_delivery == delivery and note.emailed_at is None
    assert mailoutbox == []
    call_command("send_pending_notifications", stdout=io.StringIO())
    assert mailoutbox == []  # the retries leave them alone
    assert "Votre projet avance" in client_as(resident19).get("/notifications/").content.decode()


def test_a_kind_switched_off_after_the_event_is_not_emailed(project, resident19, on_commit, mailoutbox):
    with on_commit(execute=False):
        services.notify_users(users=[resident19], target=project, verb="status", title="Étape")
    note = Notification.objects.get(user=resident19)
    services.notification_preferences_update(user=resident19, changes={Kind.DECISION: Delivery.NEVER})
    tasks.send_notification_emails.call([note.pk])
    note.refresh_from_db()
    assert mailoutbox == [] and note.email_delivery == Delivery.NEVER


# --- daily digests ---------------------------------------------------------------------------


def test_the_digest_groups_a_days_notifications_in_one_email_and_never_twice(project, resident19, resident20,
                                                                             on_commit, mailoutbox):
    for n in range(3):  # a comment on a followed item: a digest kind by default
        notify(on_commit, resident19, project, verb="comment", title=f"Nouveau commentaire n° {n}")
    notify(on_commit, resident19, project, verb="status", title="Décision immédiate")
    assert [m.subject for m in mailoutbox] == ["Décision immédiate"]
    mailoutbox.clear()
    out = io.StringIO()
    call_command("send_notification_digests", stdout=out)
    assert "1 digests sent (3 notifications)" in out.getvalue()
    (digest,) = mailoutbox
    assert digest.to == [resident19.email] and "3 notifications" in digest.subject
    for n in range(3):
        assert f"Nouveau commentaire n° {n}" in digest.body and f"Nouveau commentaire n° {n}" in digest.alternatives[0][0]
    assert "Décision immédiate" not in digest.body
    assert f"http://paris19.localhost{project.get_absolute_url()}" in digest.body
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert not Notification.objects.filter(user=resident19, emailed_at__isnull=True).exists()
    call_command("send_notification_digests", stdout=io.StringIO())
    assert len(mailoutbox) == 1  # never twice


def test_no_digest_when_there_is_nothing(resident19, project, on_commit, mailoutbox):
    notify(on_commit, resident19, project, verb="status")  # immediate: not the digest's
    mailoutbox.clear()
    assert tasks.send_notification_digests() == {"sent": 0, "failed": 0, "notifications": 0}
    assert mailoutbox == []


def test_the_digest_leaves_out_kinds_switched_off_since(project, resident19, on_commit, mailoutbox):
    notify(on_commit, resident19, project, verb="comment", title="Commentaire")
    services.notification_preferences_update(user=resident19, changes={Kind.FOLLOWED: Delivery.NEVER})
    tasks.send_notification_digests()
    assert mailoutbox == []
    assert Notification.objects.get(user=resident19).email_delivery == Delivery.NEVER


def test_a_failed_digest_is_given_back_for_the_next_run(project, resident19, on_commit, mailoutbox, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    notify(on_commit, resident19, project, verb="comment", title="Commentaire")
    original = EmailBackend.send_messages
    monkeypatch.setattr(EmailBackend, "send_messages", lambda self, messages: (_ for _ in ()).throw(OSError("down")))
    assert tasks.send_notification_digests()["failed"] == 1
    note = Notification.objects.get(user=resident19)
    assert note.emailed_at is None and note.email_attempts == 1
    monkeypatch.setattr(EmailBackend, "send_messages", original)
    assert tasks.send_notification_digests()["sent"] == 1 and len(mailoutbox) == 1


# --- one-click unsubscribe -------------------------------------------------------------------


def _immediate_email(project, resident19, on_commit, mailoutbox):
    notify(on_commit, resident19, project)
    return mailoutbox[-1]


def test_unsubscribe_get_only_shows_the_button(project, resident19, on_commit, mailoutbox, client19):
    path = unsubscribe_path(_immediate_email(project, resident19, on_commit, mailoutbox))
    response = client19.get(path)
    body = response.content.decode()
    assert response.status_code == 200 and "Décision sur ma proposition ou mon projet" in body
    assert 'method="post"' in body
    assert not NotificationPreference.objects.filter(user=resident19).exists()


def test_unsubscribe_post_from_the_page_stops_that_kind(project, resident19, on_commit, mailoutbox, client19):
    path = unsubscribe_path(_immediate_email(project, resident19, on_commit, mailoutbox))
    response = client19.post(path)
    assert response.status_code == 200 and "C'est fait" in response.content.decode()
    assert preferences.preferences_for(resident19)[Kind.DECISION] == Delivery.NEVER
    assert preferences.preferences_for(resident19)[Kind.DRAW] == Delivery.IMMEDIATE  # only that kind
    mailoutbox.clear()
    notify(on_commit, resident19, project)
    assert mailoutbox == []


def test_one_click_post_works_without_session_or_csrf_token(project, resident19, on_commit, mailoutbox):
    message = _immediate_email(project, resident19, on_commit, mailoutbox)
    client = Client(HTTP_HOST="paris19.localhost", enforce_csrf_checks=True)  # as a mail client: no cookie
    response = client.post(unsubscribe_path(message), "List-Unsubscribe=One-Click",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert preferences.preferences_for(resident19)[Kind.DECISION] == Delivery.NEVER


def test_the_digests_link_stops_every_kind_it_held(project, resident19, on_commit, mailoutbox, client19):
    notify(on_commit, resident19, project, verb="comment", title="Commentaire")
    services.notification_preferences_update(user=resident19, changes={Kind.REPLY: Delivery.DIGEST})
    notify(on_commit, resident19, project, verb="reply", title="Réponse")
    tasks.send_notification_digests()
    client19.post(unsubscribe_path(mailoutbox[-1]))
    chosen = preferences.preferences_for(resident19)
    assert chosen[Kind.FOLLOWED] == chosen[Kind.REPLY] == Delivery.NEVER
    assert chosen[Kind.DECISION] == Delivery.IMMEDIATE


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_or_expired_token_gets_a_clear_page_and_400(resident19, client19, method):
    token = preferences.make_unsubscribe_token(resident19, [Kind.DECISION])
    for bad in (token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1], "n-importe-quoi",
                preferences.make_unsubscribe_token(resident19, ["bogus"])):
        response = getattr(client19, method)(f"/notifications/desabonnement/{bad}/")
        assert response.status_code == 400 and "pas valable" in response.content.decode()
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=400)):
        response = getattr(client19, method)(f"/notifications/desabonnement/{token}/")
    assert response.status_code == 400
    assert not NotificationPreference.objects.filter(user=resident19).exists()


# --- account page and API --------------------------------------------------------------------


def test_the_account_page_shows_and_changes_the_same_preferences(resident19):
    client = client_as(resident19)
    page = client.get("/compte/").content.decode()
    assert "Mes notifications par e-mail" in page and "<legend>Résultat du tirage au sort</legend>" in page
    assert re.search(r'name="followed" value="digest"[^>]*checked', page)
    data = {kind: Delivery.IMMEDIATE for kind in Kind.values} | {Kind.DRAW: Delivery.NEVER}
    response = client.post("/notifications/preferences/", data)
    assert response.status_code == 302 and response.url.startswith("/compte/")
    assert preferences.preferences_for(resident19)[Kind.DRAW] == Delivery.NEVER
    assert re.search(r'name="draw" value="never"[^>]*checked', client.get("/compte/").content.decode())
    response = client.post("/notifications/preferences/", data | {Kind.DRAW: "weekly"})
    assert response.status_code == 302
    assert preferences.preferences_for(resident19)[Kind.DRAW] == Delivery.NEVER  # unchanged


def test_the_preferences_form_is_a_post_for_logged_in_users(client19):
    assert client19.get("/notifications/preferences/").status_code == 404
    response = client19.post("/notifications/preferences/", {Kind.DRAW: Delivery.NEVER})
    assert response.status_code == 302 and "/compte/connexion/" in response.url


def test_the_api_reads_and_changes_the_preferences(resident19, api19):
    api = api_as(resident19)
    url = "/api/participation/notification-preferences/"
    assert api.get(url).json()[Kind.FOLLOWED] == Delivery.DIGEST
    response = api.put(url, {Kind.DRAW: Delivery.NEVER}, format="json")
    assert response.status_code == 200 and response.json()[Kind.DRAW] == Delivery.NEVER
    for bad in ({Kind.DRAW: "weekly"}, {"bogus": "never"}, {}, [1]):
        response = api.put(url, bad, format="json")
        assert response.status_code == 400, bad
    assert preferences.preferences_for(resident19)[Kind.DRAW] == Delivery.NEVER
    assert api19.get(url).status_code in (401, 403)
    assert api19.put(url, {Kind.DRAW: Delivery.NEVER}, format="json").status_code in (401, 403)


def test_the_api_schema_describes_the_endpoint(api19):
    schema = api19.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").content.decode()
    assert "/api/participation/notification-preferences/" in schema
    assert "NotificationPreferencesInput" in schema


def test_the_export_of_a_users_data_holds_their_preferences(resident19):
    services.notification_preferences_update(user=resident19, changes={Kind.DRAW: Delivery.NEVER})
    data = json.loads(json.dumps(privacy.export_user_data(resident19), default=str))
    assert data["notification_preferences"][Kind.DRAW] == Delivery.NEVER


def test_headers_host_is_the_fallback_base_url_without_a_mairie(resident19, on_commit, mailoutbox, settings):
    """A target in no mairie and a user in none: links fall back to WAGTAILADMIN_BASE_URL."""
    resident19.mairie = None
    resident19.save(update_fields=["mairie"])
    settings.WAGTAILADMIN_BASE_URL = "https://plateforme.example"
    notify(on_commit, resident19, resident19, verb="status", url="/ailleurs/")
    assert "https://plateforme.example/ailleurs/" in mailoutbox[0].body
    assert mail.outbox[0].extra_headers["List-Unsubscribe"].startswith("<https://plateforme.example/")

