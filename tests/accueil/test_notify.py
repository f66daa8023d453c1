"""Told before one's turn, and when called: through the task queue, each message once; the SMS provider's
failure is retried and then shown on the ticket's page."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings

from accueil import services, tasks
from accueil.models import Counter, Ticket

pytestmark = pytest.mark.django_db


def test_the_sms_goes_once_when_the_turn_is_near_and_once_when_called(hall19, agent19, outbox, on_commit, monday):
    civil = hall19["etat-civil"]  # 8 minutes a passage, 3 counters
    Counter.objects.filter(service=civil).exclude(pk=civil.counters.first().pk).update(is_open=False)
    counter = civil.counters.first()
    with on_commit(execute=True):
        for _ in range(3):
            services.ticket_take(service=civil)
            monday.shift(timedelta(seconds=30))
        mine = services.ticket_take(service=civil, phone="06 12 34 56 78", lead_minutes=15)  # position 4: 32 min
    assert outbox == []
    with on_commit(execute=True):
        first = services.ticket_call_next(counter=counter, user=agent19)  # position 3: 24 min
    assert outbox == []
    with on_commit(execute=True):
        monday.shift(timedelta(minutes=8))
        services.ticket_mark_served(ticket=first, user=agent19)
        second = services.ticket_call_next(counter=counter, user=agent19)  # position 2: 16 min
    assert outbox == []
    with on_commit(execute=True):
        monday.shift(timedelta(minutes=8))
        services.ticket_mark_served(ticket=second, user=agent19)  # still position 2
    assert outbox == []
    with on_commit(execute=True):
        third = services.ticket_call_next(counter=counter, user=agent19)  # position 1: 8 min, under 15
    assert len(outbox) == 1 and outbox[0]["to"] == "+33612345678" and "approche" in outbox[0]["text"]
    with on_commit(execute=True):
        tasks.notify_soon.enqueue(civil.pk)  # run again: nothing more
    assert len(outbox) == 1
    with on_commit(execute=True):
        services.ticket_mark_served(ticket=third, user=agent19)
        called = services.ticket_call_next(counter=counter, user=agent19)
    assert called.pk == mine.pk
    assert len(outbox) == 2 and f"guichet {counter.number}" in outbox[1]["text"]
    assert tasks.notify_called.enqueue(mine.pk).return_value is False  # never twice
    assert len(outbox) == 2


def test_an_email_is_sent_at_once_when_the_wait_is_already_short(hall19, on_commit):
    with on_commit(execute=True):
        services.ticket_take(service=hall19["casvp"], email="awa@example.org", lead_minutes=30)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["awa@example.org"]


@override_settings(SMS_BACKEND="http", SMS_HTTP_URL="http://127.0.0.1:9/sms", SMS_HTTP_TIMEOUT=0.5)
def test_a_failing_provider_is_retried_then_the_ticket_page_says_so(hall19, on_commit, monkeypatch, client19):
    monkeypatch.setattr(tasks, "RETRY_SECONDS", 0)
    attempts = []
    from accueil import sms

    original = sms.HttpProvider.send

    def counted(self, to, text):
        attempts.append(to)
        return original(self, to, text)

    monkeypatch.setattr(sms.HttpProvider, "send", counted)
    with on_commit(execute=True):
        ticket = services.ticket_take(service=hall19["casvp"], phone="0712345678", lead_minutes=30)
    assert len(attempts) == tasks.ATTEMPTS
    ticket.refresh_from_db()
    assert ticket.notify_error and ticket.notified_soon_at is not None
    page = client19.get(f"/accueil/ticket/{ticket.token}/")
    assert "Le SMS n&#x27;a pas pu être envoyé" in page.content.decode()


@override_settings(SMS_BACKEND="")
def test_without_a_provider_a_phone_number_is_refused(hall19):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        services.ticket_take(service=hall19["casvp"], phone="0612345678")
    assert "phone" in caught.value.message_dict
    assert not Ticket.objects.exists()
