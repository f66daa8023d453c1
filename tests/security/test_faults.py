"""Faults: a failing mail server or a dead task worker loses no notification (the periodic
`send_pending_notifications` delivers them later); a database error in the middle of a request
leaves no partial write (cms.transactions)."""

import io

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings

from participation import services as engine
from participation.bureau import services as bureau
from participation.bureau.models import Project, Status
from participation.models import Notification
from tests.conftest import client_as
from tests.factories.bureau import ProjectFactory, bureau_index


class FlakyEmailBackend(EmailBackend):
    """An SMTP server that is down for the first `failures` sends, then works (a stand-in for an
    external service, not for our code)."""

    failures = 0

    def send_messages(self, messages):
        if FlakyEmailBackend.failures > 0:
            FlakyEmailBackend.failures -= 1
            raise ConnectionRefusedError("SMTP server unreachable")
        return super().send_messages(messages)


FLAKY = "tests.security.test_faults.FlakyEmailBackend"


@pytest.fixture
def followed(mairie19, resident19, organiser19):
    bureau_index(mairie19)
    project = ProjectFactory(mairie=mairie19, author=organiser19, status=Status.UNDER_REVIEW)
    engine.follow_add(user=resident19, target=project)
    return project


def decide(project, organiser, on_commit):
    with on_commit(execute=True):
        bureau.project_transition(actor=organiser, project=project, to_status=Status.INCUBATED,
                                  rationale="La mairie accompagne le projet.")


def pending(user):
    return Notification.objects.filter(user=user, emailed_at__isnull=True)


@override_settings(EMAIL_BACKEND=FLAKY)
def test_a_mail_server_failure_is_retried_and_the_notification_delivered(followed, resident19, organiser19,
                                                                         on_commit):
    FlakyEmailBackend.failures = 1
    decide(followed, organiser19, on_commit)
    notification = Notification.objects.get(user=resident19, verb="status")
    assert notification.emailed_at is None and notification.email_attempts == 1
    assert mail.outbox == []
    # The resident sees it on the site meanwhile.
    assert notification.title in client_as(resident19).get("/notifications/").content.decode()
    out = io.StringIO()
    call_command("send_pending_notifications", stdout=out)
    assert "1 sent" in out.getvalue()
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert [m.to for m in mail.outbox] == [[resident19.email]]
    assert not pending(resident19).exists()


@override_settings(EMAIL_BACKEND=FLAKY)
def test_a_longer_outage_is_retried_until_it_ends(followed, resident19, organiser19, on_commit):
    FlakyEmailBackend.failures = 3
    decide(followed, organiser19, on_commit)
    call_command("send_pending_notifications", stdout=io.StringIO())
    call_command("send_pending_notifications", stdout=io.StringIO())
    assert pending(resident19).get().email_attempts == 3
    call_command("send_pending_notifications", stdout=io.StringIO())
    assert not pending(resident19).exists()
    assert len(mail.outbox) == 1  # once, not once per try


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_a_task_that_never_runs_loses_nothing(followed, resident19, organiser19, on_commit):
    """The worker is down: the queued email task never runs. The periodic command sends it."""
    decide(followed, organiser19, on_commit)
    assert mail.outbox == []
    assert pending(resident19).count() == 1
    call_command("send_pending_notifications", stdout=io.StringIO())
    assert len(mail.outbox) == 1
    assert not pending(resident19).exists()


def test_sending_twice_sends_once(followed, resident19, organiser19, on_commit):
    decide(followed, organiser19, on_commit)
    assert len(mail.outbox) == 1
    call_command("send_pending_notifications", stdout=io.StringIO())
    assert len(mail.outbox) == 1


# --- a database error mid-request ------------------------------------------------------------

def _png():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "photo.png"
    return buffer


@pytest.fixture
def projects_table_fails():
    """A real database error on inserting a project, raised by the database itself."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("CREATE FUNCTION fail_insert() RETURNS trigger AS $$ BEGIN "
                           "RAISE EXCEPTION 'disk full'; END; $$ LANGUAGE plpgsql")
            cursor.execute("CREATE TRIGGER fail_project BEFORE INSERT ON bureau_project "
                           "FOR EACH ROW EXECUTE FUNCTION fail_insert()")
        else:
            cursor.execute("CREATE TRIGGER fail_project BEFORE INSERT ON bureau_project "
                           "BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER fail_project" + (" ON bureau_project" if connection.vendor == "postgresql" else ""))
        if connection.vendor == "postgresql":
            cursor.execute("DROP FUNCTION fail_insert()")


def test_a_database_error_mid_request_leaves_no_partial_write(mairie19, resident19, projects_table_fails):
    """The project form first saves the uploaded image, then the project. The project insert fails:
    the image row, written earlier in the same request, must not stay."""
    from wagtail.images import get_image_model

    index = bureau_index(mairie19)
    images_before = get_image_model().objects.count()
    client = Client(HTTP_HOST="paris19.localhost", raise_request_exception=False)
    client.force_login(resident19)
    response = client.post(f"{index.get_url_parts()[2]}proposer/", {
        "title": "Un potager", "summary": "Des légumes pour l'école.", "description": "Des bacs.",
        "role": "resident", "image": _png(), "image_alt": "Un bac",
    })
    assert response.status_code == 500
    assert "Une erreur est survenue" in response.content.decode()
    assert get_image_model().objects.count() == images_before
    assert not Project.objects.filter(title="Un potager").exists()
