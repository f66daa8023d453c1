"""The queue's services: numbers, opening hours, calling, closing, transferring, and the erasure of contacts."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accueil import services
from accueil.models import Channel, State, Ticket
from cms.errors import Conflict, NotAllowed

pytestmark = pytest.mark.django_db


def take(service, **kwargs):
    return services.ticket_take(service=service, **kwargs)


def test_numbers_follow_each_other_per_service_and_start_again_the_next_day(hall19, monday):
    civil, general = hall19["etat-civil"], hall19["affaires-generales"]
    assert [take(civil).number, take(civil).number, take(general).number] == ["E001", "E002", "G001"]
    monday.shift(timedelta(days=1))  # Tuesday 10:00
    assert take(civil).number == "E001"


def test_the_database_refuses_a_second_ticket_with_the_same_number(hall19):
    ticket = take(hall19["etat-civil"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Ticket.objects.create(mairie=ticket.mairie, service=ticket.service, day=ticket.day, seq=ticket.seq,
                              number="E001", queued_at=ticket.queued_at)


def test_a_ticket_outside_opening_hours_is_refused_with_409(hall19, monday):
    monday.move_to("2026-12-06 10:00+01:00")  # a Sunday
    with pytest.raises(Conflict) as caught:
        take(hall19["etat-civil"])
    assert caught.value.status_code == 409 and caught.value.code == "closed"
    assert "Horaires" in str(caught.value.message)
    assert not Ticket.objects.exists()


def test_a_wrong_phone_number_is_refused_and_nothing_is_saved(hall19):
    with pytest.raises(ValidationError) as caught:
        take(hall19["etat-civil"], phone="12 34")
    assert "phone" in caught.value.message_dict
    assert not Ticket.objects.exists()


def test_a_phone_number_is_normalised(hall19):
    assert take(hall19["etat-civil"], phone="06 12 34 56 78").phone == "+33612345678"


def test_only_an_agent_of_the_mairie_gives_a_ticket_at_the_reception(hall19, resident19, agent19):
    with pytest.raises(NotAllowed):
        take(hall19["etat-civil"], channel=Channel.RECEPTION, user=resident19)
    assert take(hall19["etat-civil"], channel=Channel.RECEPTION, user=agent19).channel == "reception"


def test_call_next_takes_the_longest_waiting_ticket(hall19, agent19):
    civil = hall19["etat-civil"]
    first, second = take(civil), take(civil)
    counter = civil.counters.first()
    called = services.ticket_call_next(counter=counter, user=agent19)
    assert called.pk == first.pk and called.state == State.CALLED and called.counter == counter
    other = civil.counters.exclude(pk=counter.pk).first()
    assert services.ticket_call_next(counter=other, user=agent19).pk == second.pk


def test_call_next_on_an_empty_queue_is_a_clear_409(hall19, agent19):
    with pytest.raises(Conflict) as caught:
        services.ticket_call_next(counter=hall19["casvp"].counters.first(), user=agent19)
    assert caught.value.code == "empty_queue" and caught.value.status_code == 409


def test_a_counter_calls_one_ticket_at_a_time(hall19, agent19):
    civil = hall19["etat-civil"]
    take(civil), take(civil)
    counter = civil.counters.first()
    services.ticket_call_next(counter=counter, user=agent19)
    with pytest.raises(Conflict) as caught:
        services.ticket_call_next(counter=counter, user=agent19)
    assert caught.value.code == "counter_busy"
    assert Ticket.objects.filter(state=State.CALLED).count() == 1


def test_the_database_refuses_two_called_tickets_at_one_counter(hall19, agent19):
    civil = hall19["etat-civil"]
    take(civil)
    second = take(civil)
    counter = civil.counters.first()
    services.ticket_call_next(counter=counter, user=agent19)
    with pytest.raises(IntegrityError), transaction.atomic():
        Ticket.objects.filter(pk=second.pk).update(state=State.CALLED, counter=counter)


def test_serving_twice_is_refused_with_409(hall19, agent19):
    civil = hall19["etat-civil"]
    take(civil)
    ticket = services.ticket_call_next(counter=civil.counters.first(), user=agent19)
    services.ticket_mark_served(ticket=ticket, user=agent19)
    with pytest.raises(Conflict) as caught:
        services.ticket_mark_served(ticket=ticket, user=agent19)
    assert caught.value.status_code == 409 and caught.value.code == "already_closed"
    with pytest.raises(Conflict):
        services.ticket_mark_absent(ticket=ticket, user=agent19)


def test_serving_a_ticket_not_called_is_refused(hall19, agent19):
    ticket = take(hall19["etat-civil"])
    with pytest.raises(Conflict) as caught:
        services.ticket_mark_served(ticket=ticket, user=agent19)
    assert caught.value.code == "not_called"


@pytest.mark.parametrize("close", [services.ticket_mark_served, services.ticket_mark_absent])
def test_contact_details_are_erased_when_the_ticket_closes(hall19, agent19, close):
    civil = hall19["etat-civil"]
    take(civil, phone="0612345678", email="awa@example.org")
    ticket = services.ticket_call_next(counter=civil.counters.first(), user=agent19)
    assert ticket.phone and ticket.email
    close(ticket=ticket, user=agent19)
    ticket.refresh_from_db()
    assert (ticket.phone, ticket.email) == ("", "") and ticket.closed_at is not None


def test_the_database_refuses_contact_details_on_a_closed_ticket(hall19):
    ticket = take(hall19["etat-civil"])
    services.ticket_cancel(ticket=ticket)
    with pytest.raises(IntegrityError), transaction.atomic():
        Ticket.objects.filter(pk=ticket.pk).update(phone="+33612345678")


def test_cancelling_erases_contact_and_twice_is_409(hall19):
    ticket = take(hall19["etat-civil"], email="awa@example.org")
    services.ticket_cancel(ticket=ticket)
    assert ticket.state == State.CANCELLED and ticket.email == ""
    with pytest.raises(Conflict):
        services.ticket_cancel(ticket=ticket)


def test_a_transfer_keeps_the_place_the_private_page_and_the_contact(hall19, agent19, monday):
    civil, social = hall19["etat-civil"], hall19["casvp"]
    early = take(civil, email="awa@example.org")
    called = services.ticket_call_next(counter=civil.counters.first(), user=agent19)
    assert called.pk == early.pk
    monday.shift(timedelta(minutes=5))
    take(social)  # arrived later in the other service
    new = services.ticket_transfer(ticket=called, user=agent19, service=social)
    old = Ticket.objects.get(pk=early.pk)
    assert old.state == State.TRANSFERRED and old.transferred_to == new and old.email == ""
    assert old.token != early.token
    assert (new.number, new.service, new.state) == ("S002", social, State.WAITING)
    assert new.token == early.token and new.email == "awa@example.org" and new.queued_at == early.queued_at
    assert services.ticket_call_next(counter=social.counters.first(), user=agent19).pk == new.pk  # kept its place


def test_a_transfer_to_another_mairie_is_refused(hall19, hall20, agent19):
    civil = hall19["etat-civil"]
    take(civil)
    ticket = services.ticket_call_next(counter=civil.counters.first(), user=agent19)
    with pytest.raises(ValidationError):
        services.ticket_transfer(ticket=ticket, user=agent19, service=hall20["casvp"])
    ticket.refresh_from_db()
    assert ticket.state == State.CALLED


def test_an_agent_of_another_mairie_or_a_resident_may_not_call(hall19, agent20, resident19):
    civil = hall19["etat-civil"]
    take(civil)
    for user in (agent20, resident19):
        with pytest.raises(NotAllowed):
            services.ticket_call_next(counter=civil.counters.first(), user=user)
    assert Ticket.objects.get().state == State.WAITING


def test_tickets_of_past_days_close_with_their_contacts_erased(hall19, monday):
    ticket = take(hall19["etat-civil"], email="awa@example.org")
    monday.shift(timedelta(days=1))
    assert services.tickets_close_past_days() == 1
    ticket.refresh_from_db()
    assert ticket.state == State.ABSENT and ticket.email == ""


def test_a_mairie_set_up_twice_gets_its_default_services_once(hall19, mairie19):
    from accueil.models import Counter, OpeningHours
    from accueil.setup import DEFAULT_SERVICES, set_up

    counts = (Counter.objects.filter(mairie=mairie19).count(), OpeningHours.objects.count())
    set_up(mairie19)
    assert set(hall19) == {slug for slug, *_rest in DEFAULT_SERVICES}
    assert (Counter.objects.filter(mairie=mairie19).count(), OpeningHours.objects.count()) == counts
    assert list(Counter.objects.filter(mairie=mairie19).values_list("number", flat=True)) == list(range(1, 8))
