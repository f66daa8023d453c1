"""Proposals: submission window, drafts, editing until submission closes, pre-moderation."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from cms.errors import Conflict, NotAllowed, ServiceError
from occupai import selectors, services
from occupai.models import Proposal
from participation.models import AuditEntry, Follow, Notification
from tests.factories import occupai as f
from tests.factories import resident

from .conftest import refuse_with_reason

FIELDS = {"title": "Battle de hip-hop", "description": "Un cercle, un DJ, des danseurs.", "kind": "sport",
          "proposer_type": "collective", "proposer_name": "Flandre Breakers", "expected_audience": 150,
          "needs": ["sound", "power"]}


def slot(call, day=0, hour=18):
    return f.event_slot(call, day=day, hour=hour)


def test_resident_submits_a_proposal_that_waits_for_the_organisers(call_submission, resident19, spaces19, organiser19):
    proposal = services.proposal_create(user=resident19, call=call_submission, fields=FIELDS,
                                        spaces=[spaces19["parvis"]], slots=[slot(call_submission)], submit=True)
    assert proposal.status == Proposal.Status.SUBMITTED
    assert proposal.mairie == call_submission.mairie
    assert list(proposal.preferred_spaces.all()) == [spaces19["parvis"]]
    assert proposal.slots.count() == 1
    assert not proposal.is_public()
    assert Follow.objects.filter(user=resident19, object_id=proposal.pk).exists()
    assert Notification.objects.filter(user=organiser19, verb="to_review").exists()
    assert proposal not in selectors.public_proposals(call_submission)


def test_a_draft_needs_no_slot_but_submitting_it_does(call_submission, resident19):
    draft = services.proposal_create(user=resident19, call=call_submission, fields=FIELDS)
    assert draft.status == Proposal.Status.DRAFT
    with pytest.raises(ValidationError) as caught:
        services.proposal_submit(user=resident19, proposal=draft)
    assert "Indiquez au moins un créneau souhaité." in caught.value.message_dict["slots"]
    services.proposal_update(user=resident19, proposal=draft, fields={}, slots=[slot(call_submission)])
    assert services.proposal_submit(user=resident19, proposal=draft).status == Proposal.Status.SUBMITTED


@pytest.mark.parametrize("phase", ["upcoming", "review", "voting"])
def test_no_proposal_outside_the_submission_window(make_call, resident19, phase):
    call = make_call(phase)
    with pytest.raises(ServiceError) as caught:
        services.proposal_create(user=resident19, call=call, fields=FIELDS, slots=[slot(call)], submit=True)
    assert caught.value.status_code == 400
    assert "dépôt des propositions" in caught.value.message
    assert not Proposal.objects.exists()


def test_residents_of_another_mairie_cannot_propose(call_submission, resident20):
    with pytest.raises(NotAllowed, match="19e"):
        services.proposal_create(user=resident20, call=call_submission, fields=FIELDS, slots=[slot(call_submission)])
    assert not Proposal.objects.exists()


def test_unconfirmed_email_cannot_propose(call_submission, mairie19):
    newcomer = resident(mairie19, username="nouvelle", email_confirmed=False)
    with pytest.raises(NotAllowed, match="Confirmez"):
        services.proposal_create(user=newcomer, call=call_submission, fields=FIELDS)


def test_slot_outside_the_event_period_is_refused(call_submission, resident19):
    early = call_submission.event_starts_at - timedelta(hours=3)
    with pytest.raises(ValidationError) as caught:
        services.proposal_create(user=resident19, call=call_submission, fields=FIELDS,
                                 slots=[(early, early + timedelta(hours=2))], submit=True)
    assert "sort de la période des événements" in caught.value.message_dict["slots"][0]
    assert not Proposal.objects.exists()


def test_space_not_offered_by_the_call_is_refused(call_submission, resident19, mairie19):
    elsewhere = f.space(mairie19, name="Gymnase")
    with pytest.raises(ValidationError) as caught:
        services.proposal_create(user=resident19, call=call_submission, fields=FIELDS, spaces=[elsewhere])
    assert "Gymnase" in caught.value.message_dict["preferred_spaces"][0]


def test_association_must_give_its_name(call_submission, resident19):
    with pytest.raises(ValidationError) as caught:
        services.proposal_create(user=resident19, call=call_submission,
                                 fields={**FIELDS, "proposer_type": "association", "proposer_name": ""})
    assert "proposer_name" in caught.value.message_dict


def test_unknown_needs_are_refused(call_submission, resident19):
    with pytest.raises(ValidationError) as caught:
        services.proposal_create(user=resident19, call=call_submission, fields={**FIELDS, "needs": ["licorne"]})
    assert "licorne" in caught.value.message_dict["needs"][0]


def test_editing_an_accepted_proposal_sends_it_back_to_moderation(call_submission, resident19, organiser19):
    proposal = services.proposal_create(user=resident19, call=call_submission, fields=FIELDS,
                                        slots=[slot(call_submission)], submit=True)
    services.proposal_accept(actor=organiser19, proposal=proposal)
    services.proposal_update(user=resident19, proposal=proposal, fields={"title": "Battle de breakdance"})
    proposal.refresh_from_db()
    assert proposal.title == "Battle de breakdance"
    assert proposal.status == Proposal.Status.SUBMITTED
    assert not proposal.is_public()


def test_editing_is_refused_once_submission_closes(make_call, resident19):
    call = make_call("voting")
    proposal = f.proposal(call, author=resident19)
    with pytest.raises(ServiceError) as caught:
        services.proposal_update(user=resident19, proposal=proposal, fields={"title": "Autre"})
    assert "fermé" in caught.value.message
    proposal.refresh_from_db()
    assert proposal.title != "Autre"


def test_only_the_author_edits(call_submission, resident19, mairie19):
    proposal = f.proposal(call_submission, author=resident19, status=Proposal.Status.SUBMITTED)
    other = resident(mairie19, username="voisine")
    with pytest.raises(NotAllowed):
        services.proposal_update(user=other, proposal=proposal, fields={"title": "Piratée"})


def test_drafts_can_be_deleted_but_not_submitted_proposals(call_submission, resident19):
    draft = services.proposal_create(user=resident19, call=call_submission, fields=FIELDS)
    services.proposal_delete(user=resident19, proposal=draft)
    assert not Proposal.objects.filter(pk=draft.pk).exists()
    submitted = f.proposal(call_submission, author=resident19, status=Proposal.Status.SUBMITTED)
    with pytest.raises(Conflict):
        services.proposal_delete(user=resident19, proposal=submitted)


def test_organiser_accepts_then_the_proposal_shows_with_a_public_timeline(call_submission, resident19, organiser19):
    proposal = f.proposal(call_submission, author=resident19, status=Proposal.Status.SUBMITTED)
    services.proposal_accept(actor=organiser19, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ACCEPTED
    assert proposal in selectors.public_proposals(call_submission)
    assert AuditEntry.objects.filter(object_id=str(proposal.pk), action="accepted", public=True).exists()
    assert Notification.objects.filter(user=resident19, verb="accepted").exists()


def test_rejection_needs_a_reason_that_the_author_receives(call_submission, resident19, organiser19):
    proposal = f.proposal(call_submission, author=resident19, status=Proposal.Status.SUBMITTED)
    refuse_with_reason(services.proposal_reject, actor=organiser19, proposal=proposal, blank="  ",
                       reason="Événement payant : hors charte.")
    assert proposal.status == Proposal.Status.REJECTED
    note = Notification.objects.get(user=resident19, verb="rejected")
    assert "hors charte" in note.message


def test_residents_and_other_mairies_organisers_cannot_moderate(call_submission, resident19, other_organiser):
    proposal = f.proposal(call_submission, status=Proposal.Status.SUBMITTED)
    for user in (resident19, other_organiser):
        with pytest.raises(NotAllowed):
            services.proposal_accept(actor=user, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED


def test_accepting_twice_is_a_conflict(call_submission, organiser19):
    proposal = f.proposal(call_submission, status=Proposal.Status.ACCEPTED)
    with pytest.raises(Conflict):
        services.proposal_accept(actor=organiser19, proposal=proposal)


def test_a_published_proposal_cannot_be_rejected_once_voting_started(call_voting, organiser19):
    proposal = f.proposal(call_voting, status=Proposal.Status.ACCEPTED)
    with pytest.raises(Conflict, match="vote a commencé"):
        services.proposal_reject(actor=organiser19, proposal=proposal, reason="Trop tard")


def test_visibility_drafts_private_submitted_for_organisers(call_submission, resident19, organiser19, mairie19):
    draft = f.proposal(call_submission, author=resident19, status=Proposal.Status.DRAFT)
    pending = f.proposal(call_submission, author=resident19, status=Proposal.Status.SUBMITTED)
    stranger = resident(mairie19, username="passant")
    assert selectors.proposal_is_visible(resident19, draft)
    assert not selectors.proposal_is_visible(organiser19, draft)
    assert selectors.proposal_is_visible(organiser19, pending)
    assert not selectors.proposal_is_visible(stranger, pending)
    assert set(selectors.proposals_visible_to(organiser19, mairie19)) == {pending}
    assert set(selectors.proposals_visible_to(resident19, mairie19)) == {draft, pending}
