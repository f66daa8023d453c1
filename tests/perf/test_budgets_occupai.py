"""Query budgets of Occupai's pages, feeds and API: as many queries with 100 proposals, events,
calls or comments as with 5 (see tests/perf/budgets.py)."""

from datetime import timedelta

import pytest

from occupai.models import Event, Proposal
from tests.conftest import api_as, client_as
from tests.factories import occupai as f
from tests.factories import perf as many
from tests.factories import resident

from .budgets import API_BUDGET, PAGE_BUDGET, assert_all_flat, assert_flat

PUBLIC = Proposal.Status.ACCEPTED


@pytest.fixture
def index19(site_ctx):
    return f.index_page(site_ctx.homes["paris19"])


@pytest.fixture
def spaces19(mairie19):
    return [f.space(mairie19, name="Salle des fêtes", capacity=300),
            f.space(mairie19, name="Parvis", capacity=500, is_indoor=False)]


@pytest.fixture
def people(mairie19):
    return [resident(mairie19, username=f"voisine{i}") for i in range(4)]


def _proposals(call, n, start=0, spaces=(), **kwargs):
    made = []
    for i in range(start, start + n):
        proposal = f.proposal(call, title=f"Proposition {i:03d}", **kwargs)
        if spaces:
            proposal.preferred_spaces.set(spaces)
        made.append(proposal)
    return made


def _events(call, spaces, n, start=0):
    """`n` selected proposals, each scheduled an hour after the one before, in turn in each space."""
    proposals = _proposals(call, n, start=start, status=Proposal.Status.SELECTED, slot=False)
    for i, proposal in enumerate(proposals, start=start):
        begins = call.event_starts_at + timedelta(hours=8 + i)
        Event.objects.create(call=call, proposal=proposal, space=spaces[i % len(spaces)], starts_at=begins,
                             ends_at=begins + timedelta(minutes=50))
    return proposals


def _client(who, client19, user):
    return client19 if who == "anonymous" else client_as(user)


@pytest.mark.parametrize("who", ["anonymous", "resident"])
def test_the_call_page_and_its_sorts(who, client19, index19, spaces19, resident19, people):
    call = f.call_page(index19, phase="voting", spaces=spaces19, show_counts_during_voting=True)
    for proposal in _proposals(call, 5):
        many.supports(proposal, people)

    def grow():
        for proposal in _proposals(call, 95, start=5):
            many.supports(proposal, [resident19])

    client = _client(who, client19, resident19)
    urls = [call.site_path, f"{call.site_path}?tri=soutiens", f"{call.site_path}?tri=recentes&page=2"]
    (first, second), _sorted, _recent = assert_all_flat([(client, url, PAGE_BUDGET) for url in urls], grow)
    assert "Proposition 004" in first.content.decode() and "100 propositions publiées" in second.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "resident"])
def test_a_proposal_page_with_its_discussion_and_timeline(who, client19, index19, spaces19, resident19, people,
                                                         organiser19):
    call = f.call_page(index19, phase="voting", spaces=spaces19)
    proposal = _proposals(call, 1, spaces=spaces19)[0]
    many.comments(proposal, people, 5)
    many.audit_entries(proposal, organiser19, 5)

    def grow():
        many.comments(proposal, people, 95, start=5)
        many.audit_entries(proposal, organiser19, 95)
        many.supports(proposal, people)

    _first, second = assert_flat(_client(who, client19, resident19), call.subpath("proposal", proposal.pk), grow,
                                 PAGE_BUDGET)
    assert "Commentaire n° 99" in second.content.decode()


def test_the_index_page_with_its_calls_and_coming_events(client19, resident19, index19, spaces19):
    calls = [f.call_page(index19, phase="programme", spaces=spaces19, title=f"Appel {i}") for i in range(2)]
    _events(calls[0], spaces19, 5)

    def grow():
        for i in range(2, 12):
            f.call_page(index19, phase="voting", spaces=spaces19, title=f"Appel {i}")
        _events(calls[1], spaces19, 95, start=5)

    (anonymous, anonymous_after), (_logged_in, _after) = assert_all_flat(
        [(client19, index19.url, PAGE_BUDGET), (client_as(resident19), index19.url, PAGE_BUDGET)], grow)
    assert "Appel 1" in anonymous.content.decode() and "Appel 11" in anonymous_after.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "organiser"])
def test_the_programme_its_event_pages_and_the_calendar_feeds(who, client19, index19, spaces19, organiser19):
    call = f.call_page(index19, phase="programme", spaces=spaces19)
    first_event = _events(call, spaces19, 5)[0]
    client = _client(who, client19, organiser19)
    urls = [call.subpath("programme"), f"{call.subpath('programme')}?par=espace",
            call.subpath("event", first_event.pk), call.programme_ics_path, call.event_ics_path(first_event.pk),
            index19.agenda_ics_path]
    results = assert_all_flat([(client, url, PAGE_BUDGET) for url in urls],
                              lambda: _events(call, spaces19, 95, start=5))
    (_programme, programme), *_rest, (_feed, feed), (_one, _one_after), (_agenda, agenda) = results
    assert "Proposition 099" in programme.content.decode()
    assert feed.content.decode().count("BEGIN:VEVENT") == 100 and agenda.content.decode().count("BEGIN:VEVENT") == 100


def test_my_proposals_in_a_call_and_in_every_call(index19, spaces19, resident19):
    call = f.call_page(index19, phase="submission", spaces=spaces19)
    _proposals(call, 5, author=resident19, status=Proposal.Status.DRAFT)
    client = client_as(resident19)
    (first, second), _everywhere = assert_all_flat(
        [(client, call.subpath("mine"), PAGE_BUDGET), (client, index19.subpath("my_proposals"), PAGE_BUDGET)],
        lambda: _proposals(call, 95, start=5, author=resident19, status=Proposal.Status.SUBMITTED))
    assert "Proposition 099" in second.content.decode()


def test_the_organisers_dashboard(index19, spaces19, organiser19, people):
    call = f.call_page(index19, phase="selection", spaces=spaces19)
    _proposals(call, 2, spaces=spaces19, status=Proposal.Status.SUBMITTED)  # the queue, and the ranked ones
    for proposal in _proposals(call, 3, start=2, spaces=spaces19):
        many.supports(proposal, people[:2])

    def grow():
        _proposals(call, 45, start=5, spaces=spaces19, status=Proposal.Status.SUBMITTED)
        for proposal in _proposals(call, 50, start=50, spaces=spaces19):
            many.supports(proposal, people[:1])

    _first, second = assert_flat(client_as(organiser19), call.subpath("organise"), grow, PAGE_BUDGET)
    assert "Proposition 099" in second.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "resident"])
def test_the_proposals_api_list_filters_and_detail(who, api19, index19, spaces19, resident19, people):
    call = f.call_page(index19, phase="voting", spaces=spaces19)
    for proposal in _proposals(call, 5, spaces=spaces19):
        many.supports(proposal, people)
    client = api19 if who == "anonymous" else api_as(resident19)
    urls = ["/api/occupai/proposals/?page_size=100", f"/api/occupai/proposals/?call={call.pk}&status=accepted"
            "&kind=concert&page_size=100"]
    (first, second), _filtered = assert_all_flat(
        [(client, url, API_BUDGET) for url in urls],
        lambda: [many.supports(p, [resident19]) for p in _proposals(call, 95, start=5, spaces=spaces19)])
    assert first.json()["count"] == 5 and len(second.json()["results"]) == 100
    assert_flat(client, f"/api/occupai/proposals/{second.json()['results'][0]['id']}/", lambda: None, API_BUDGET)


def test_the_calls_spaces_and_events_api(api19, index19, spaces19, organiser19, mairie19):
    call = f.call_page(index19, phase="programme", spaces=spaces19)
    _events(call, spaces19, 5)

    def grow():
        _events(call, spaces19, 95, start=5)
        for i in range(10):
            f.space(mairie19, name=f"Salle annexe {i}")
            f.call_page(index19, phase="voting", spaces=spaces19, title=f"Appel {i}")

    organiser_api = api_as(organiser19)
    results = assert_all_flat([
        (api19, "/api/occupai/calls/?page_size=100", API_BUDGET),
        (api19, f"/api/occupai/calls/{call.pk}/programme/", API_BUDGET),
        (organiser_api, f"/api/occupai/calls/{call.pk}/ranking/", API_BUDGET),
        (api19, "/api/occupai/events/?page_size=100", API_BUDGET),
        (api19, "/api/occupai/spaces/?page_size=100", API_BUDGET),
    ], grow)
    (_calls, calls), (_programme, programme), _ranking, (_events_few, events), (_spaces, spaces) = results
    assert len(events.json()["results"]) == 100 and len(spaces.json()["results"]) == 12
    assert len(calls.json()["results"]) == 11 and "Proposition 099" in programme.content.decode()
