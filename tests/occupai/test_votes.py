"""Voting through the engine: the call's budget, its window, its mairie."""

import pytest
from django.db import close_old_connections

from cms.errors import Conflict, NotAllowed, ServiceError
from occupai.models import Proposal
from participation import services as engine
from participation.models import Support
from tests.concurrency import race
from tests.factories import occupai as f
from tests.factories import resident


def test_resident_spends_the_call_budget_and_sees_what_is_left(call_voting, resident19):
    proposals = [f.proposal(call_voting) for _ in range(4)]
    assert engine.supports_left(user=resident19, target=proposals[0]) == 3
    for proposal in proposals[:3]:
        engine.support_add(user=resident19, target=proposal)
    assert engine.supports_left(user=resident19, target=proposals[0]) == 0
    with pytest.raises(Conflict, match="3 soutiens"):
        engine.support_add(user=resident19, target=proposals[3])
    assert Support.objects.filter(user=resident19).count() == 3


def test_moving_a_support_frees_the_budget(call_voting, resident19):
    a, b, c, d = (f.proposal(call_voting) for _ in range(4))
    for proposal in (a, b, c):
        engine.support_add(user=resident19, target=proposal)
    engine.support_withdraw(user=resident19, target=a)
    engine.support_add(user=resident19, target=d)
    d.refresh_from_db()
    assert d.supports_count == 1
    assert engine.supports_left(user=resident19, target=d) == 0


def test_budget_is_per_call(make_call, resident19):
    first, second = make_call("voting"), make_call("voting", vote_budget=1)
    for _ in range(3):
        engine.support_add(user=resident19, target=f.proposal(first))
    engine.support_add(user=resident19, target=f.proposal(second))
    with pytest.raises(Conflict):
        engine.support_add(user=resident19, target=f.proposal(second))


@pytest.mark.parametrize("phase", ["submission", "review", "selection", "finished"])
def test_no_vote_outside_the_voting_window(make_call, resident19, phase):
    call = make_call(phase)
    proposal = f.proposal(call)
    with pytest.raises(ServiceError) as caught:
        engine.support_add(user=resident19, target=proposal)
    assert caught.value.status_code == 400
    assert not Support.objects.exists()


def test_no_vote_on_another_mairies_call(call_voting, resident20):
    proposal = f.proposal(call_voting)
    with pytest.raises(NotAllowed, match="19e"):
        engine.support_add(user=resident20, target=proposal)
    assert not Support.objects.exists()


@pytest.mark.parametrize("status", [Proposal.Status.DRAFT, Proposal.Status.SUBMITTED, Proposal.Status.REJECTED])
def test_no_vote_on_an_unpublished_proposal(call_voting, resident19, status):
    proposal = f.proposal(call_voting, status=status)
    with pytest.raises(NotAllowed):
        engine.support_add(user=resident19, target=proposal)


def test_no_vote_on_a_hidden_proposal(call_voting, resident19):
    proposal = f.proposal(call_voting, is_hidden=True)
    with pytest.raises(NotAllowed):
        engine.support_add(user=resident19, target=proposal)


def test_supporting_a_proposal_follows_it(call_voting, resident19):
    from participation import selectors

    proposal = f.proposal(call_voting)
    engine.support_add(user=resident19, target=proposal)
    assert selectors.is_following(resident19, proposal)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_votes_with_a_budget_of_three_leave_exactly_three(site_ctx, mairie19):
    """Real threads, each with its own database connection, released together by a barrier."""
    index = f.index_page(site_ctx.homes["paris19"])
    call = f.call_page(index, phase="voting", spaces=[f.space(mairie19, name="Salle")], vote_budget=3)
    proposals = [f.proposal(call) for _ in range(10)]
    voter = resident(mairie19, username="rapide")
    results = race([lambda p=p: engine.support_add(user=voter, target=p) for p in proposals])
    close_old_connections()

    assert sum(not isinstance(r, Exception) for r in results) == 3, results
    assert [r.code for r in results if isinstance(r, Conflict)] == ["budget_spent"] * 7, results
    assert Support.objects.filter(user=voter).count() == 3
    assert sum(Proposal.objects.values_list("supports_count", flat=True)) == 3
    assert engine.supports_left(user=voter, target=proposals[0]) == 0
