"""Selection and scheduling: after the vote only, in the event period, in a space big enough,
never two events in one space at overlapping times; reasons for the proposals left out."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections

from cms.errors import Conflict, NotAllowed, ServiceError
from occupai import selectors, services
from occupai.models import Event, Proposal
from participation import services as engine
from participation.models import AuditEntry, Notification
from tests.concurrency import race
from tests.factories import occupai as f

from .conftest import refuse_with_reason


def schedule(organiser, proposal, space, start, end):
    return services.proposal_schedule(actor=organiser, proposal=proposal, space=space, starts_at=start, ends_at=end)


def test_organiser_schedules_a_proposal_after_the_vote(call_selection, organiser19, spaces19, resident19):
    proposal = f.proposal(call_selection, author=resident19, expected_audience=200)
    start, end = f.event_slot(call_selection, day=1)
    event = schedule(organiser19, proposal, spaces19["salle"], start, end)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SELECTED
    assert (event.space, event.starts_at, event.ends_at) == (spaces19["salle"], start, end)
    assert AuditEntry.objects.filter(object_id=str(proposal.pk), action="selected", public=True).exists()


def test_scheduling_is_refused_before_voting_closes(call_voting, organiser19, spaces19):
    proposal = f.proposal(call_voting)
    with pytest.raises(ServiceError) as caught:
        schedule(organiser19, proposal, spaces19["salle"], *f.event_slot(call_voting))
    assert caught.value.status_code == 400
    assert caught.value.code == "voting_not_closed"
    assert "clôture du vote" in caught.value.message
    assert not Event.objects.exists()


def test_double_booking_is_refused_naming_the_other_event(call_selection, organiser19, spaces19):
    first = f.proposal(call_selection, title="Bal populaire")
    second = f.proposal(call_selection, title="Concert de fanfare")
    start, end = f.event_slot(call_selection, day=2, hour=18, hours=3)
    schedule(organiser19, first, spaces19["parvis"], start, end)
    with pytest.raises(Conflict) as caught:
        schedule(organiser19, second, spaces19["parvis"], start + timedelta(hours=2), end + timedelta(hours=2))
    assert caught.value.status_code == 409
    assert caught.value.code == "double_booking"
    assert "Parvis avant" in caught.value.message and "Bal populaire" in caught.value.message
    second.refresh_from_db()
    assert second.status == Proposal.Status.ACCEPTED
    assert Event.objects.count() == 1


def test_back_to_back_events_and_other_spaces_are_fine(call_selection, organiser19, spaces19):
    a, b, c = (f.proposal(call_selection) for _ in range(3))
    start, end = f.event_slot(call_selection, day=0, hour=14, hours=2)
    schedule(organiser19, a, spaces19["parvis"], start, end)
    schedule(organiser19, b, spaces19["parvis"], end, end + timedelta(hours=2))
    schedule(organiser19, c, spaces19["salle"], start, end)
    assert Event.objects.count() == 3


def test_double_booking_across_calls_of_the_same_mairie(make_call, organiser19, spaces19):
    summer, autumn = make_call("selection"), make_call("selection")
    schedule(organiser19, f.proposal(summer, title="Repas"), spaces19["salle"], *f.event_slot(summer))
    with pytest.raises(Conflict, match="Repas"):
        schedule(organiser19, f.proposal(autumn), spaces19["salle"], *f.event_slot(autumn))


def test_slot_outside_the_event_period_is_refused(call_selection, organiser19, spaces19):
    proposal = f.proposal(call_selection)
    late = call_selection.event_ends_at - timedelta(hours=1)
    with pytest.raises(ValidationError) as caught:
        schedule(organiser19, proposal, spaces19["salle"], late, late + timedelta(hours=3))
    assert "sort de la période des événements" in caught.value.message_dict["start"][0]
    assert not Event.objects.exists()


def test_space_smaller_than_the_audience_is_refused(call_selection, organiser19, spaces19):
    proposal = f.proposal(call_selection, title="Grand repas", expected_audience=120)
    with pytest.raises(ValidationError) as caught:
        schedule(organiser19, proposal, spaces19["salon"], *f.event_slot(call_selection))
    message = caught.value.message_dict["space"][0]
    assert "Salon d'honneur" in message and "30" in message and "120" in message and "Grand repas" in message


def test_end_before_start_is_refused(call_selection, organiser19, spaces19):
    start, end = f.event_slot(call_selection)
    with pytest.raises(ValidationError) as caught:
        schedule(organiser19, f.proposal(call_selection), spaces19["salle"], end, start)
    assert "end" in caught.value.message_dict


def test_space_of_another_mairie_is_refused(call_selection, organiser19, mairie20):
    elsewhere = f.space(mairie20, name="Parvis du 20e", capacity=400)
    with pytest.raises(ValidationError) as caught:
        schedule(organiser19, f.proposal(call_selection), elsewhere, *f.event_slot(call_selection))
    assert "n'est pas un espace de cet appel" in caught.value.message_dict["space"][0]


def test_no_more_events_than_the_call_selects(make_call, organiser19, spaces19):
    call = make_call("selection", selection_count=1)
    schedule(organiser19, f.proposal(call), spaces19["salle"], *f.event_slot(call, day=0))
    with pytest.raises(Conflict, match="1 événements prévus"):
        schedule(organiser19, f.proposal(call), spaces19["salle"], *f.event_slot(call, day=1))


def test_rescheduling_keeps_the_event_and_bumps_its_sequence(call_selection, organiser19, spaces19):
    proposal = f.proposal(call_selection)
    first = schedule(organiser19, proposal, spaces19["salle"], *f.event_slot(call_selection, day=0))
    second = schedule(organiser19, proposal, spaces19["parvis"], *f.event_slot(call_selection, day=1))
    assert first.pk == second.pk
    assert second.sequence == 1
    assert first.uid() == second.uid()


def test_only_organisers_of_the_mairie_schedule(call_selection, resident19, other_organiser, spaces19):
    proposal = f.proposal(call_selection)
    for user in (resident19, other_organiser):
        with pytest.raises(NotAllowed):
            schedule(user, proposal, spaces19["salle"], *f.event_slot(call_selection))


def test_unpublished_or_hidden_proposals_cannot_be_scheduled(call_selection, organiser19, spaces19):
    pending = f.proposal(call_selection, status=Proposal.Status.SUBMITTED)
    hidden = f.proposal(call_selection, is_hidden=True)
    for proposal in (pending, hidden):
        with pytest.raises(Conflict):
            schedule(organiser19, proposal, spaces19["salle"], *f.event_slot(call_selection))


def test_proposer_and_supporters_are_notified_of_the_selection(make_call, organiser19, spaces19, resident19,
                                                               residents19):
    call = make_call("voting")
    proposal = f.proposal(call, author=resident19)
    engine.follow_add(user=resident19, target=proposal)
    for voter in residents19:
        engine.support_add(user=voter, target=proposal)
    call = f.set_phase(call, "selection")
    proposal.refresh_from_db()
    schedule(organiser19, proposal, spaces19["salle"], *f.event_slot(call))
    notified = set(Notification.objects.filter(verb="selected").values_list("user__username", flat=True))
    assert notified == {resident19.username, *(v.username for v in residents19)}


def test_declining_needs_a_reason_and_notifies(call_selection, organiser19, resident19):
    proposal = f.proposal(call_selection, author=resident19)
    refuse_with_reason(services.proposal_decline, actor=organiser19, proposal=proposal,
                       reason="Le parvis est pris ce jour-là.")
    assert proposal.status == Proposal.Status.NOT_SELECTED
    assert Notification.objects.filter(user=resident19, verb="not_selected", message__contains="parvis").exists()


def test_declining_a_scheduled_proposal_frees_its_slot(call_selection, organiser19, spaces19):
    proposal, other = f.proposal(call_selection), f.proposal(call_selection)
    slot = f.event_slot(call_selection)
    schedule(organiser19, proposal, spaces19["salle"], *slot)
    services.proposal_decline(actor=organiser19, proposal=proposal, reason="Annulé par le collectif.")
    assert not Event.objects.filter(proposal=proposal).exists()
    schedule(organiser19, other, spaces19["salle"], *slot)


def test_declining_the_rest_gives_each_the_same_reason(call_selection, organiser19, spaces19):
    kept = f.proposal(call_selection)
    rest = [f.proposal(call_selection) for _ in range(3)]
    schedule(organiser19, kept, spaces19["salle"], *f.event_slot(call_selection))
    assert services.call_decline_rest(actor=organiser19, call=call_selection, reason="Merci !") == 3
    assert {p.status for p in Proposal.objects.filter(pk__in=[p.pk for p in rest])} == {Proposal.Status.NOT_SELECTED}


def test_ranked_view_orders_by_supports_then_comments(call_selection):
    low = f.proposal(call_selection, supports_count=2, comments_count=9)
    high = f.proposal(call_selection, supports_count=7)
    tie = f.proposal(call_selection, supports_count=2, comments_count=10)
    f.proposal(call_selection, status=Proposal.Status.SUBMITTED, supports_count=50)
    assert list(selectors.ranked_proposals(call_selection)) == [high, tie, low]


@pytest.mark.postgres
def test_postgresql_exclusion_constraint_refuses_overlaps_even_without_the_service(call_selection, spaces19):
    from django.db import IntegrityError, transaction

    a, b = f.proposal(call_selection), f.proposal(call_selection)
    start, end = f.event_slot(call_selection)
    Event.objects.create(call=call_selection, proposal=a, space=spaces19["salle"], starts_at=start, ends_at=end)
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(call=call_selection, proposal=b, space=spaces19["salle"],
                             starts_at=start + timedelta(minutes=30), ends_at=end)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_organisers_booking_one_space_at_once_end_with_one_event(site_ctx, mairie19):
    """Real threads with their own connections: the space's row lock lets exactly one booking in."""
    from tests.factories import organiser

    hall = f.space(mairie19, name="Salle", capacity=300)
    index = f.index_page(site_ctx.homes["paris19"])
    call = f.call_page(index, phase="selection", spaces=[hall])
    proposals = [f.proposal(call, title=f"Événement {i}") for i in range(6)]
    actors = [organiser(mairie19, username=f"orga{i}") for i in range(6)]
    start, end = f.event_slot(call)
    results = race([lambda a=actor, p=proposal: services.proposal_schedule(actor=a, proposal=p, space=hall,
                                                                            starts_at=start, ends_at=end)
                    for actor, proposal in zip(actors, proposals, strict=True)], atomic=True)
    close_old_connections()

    assert sum(not isinstance(r, Exception) for r in results) == 1, results
    assert [r.code for r in results if isinstance(r, Conflict)] == ["double_booking"] * 5, results
    assert Event.objects.count() == 1
    assert Proposal.objects.filter(status=Proposal.Status.SELECTED).count() == 1
