"""Search documents (public objects only, no personal data) and the demo content."""

import io

import time_machine
from django.core.management import call_command

from cms.sections import sections_for
from occupai import services
from occupai.models import CallPage, Event, OccupaiIndexPage, Proposal, Space
from occupai.phases import Phase
from search.registry import adapters
from tests.factories import occupai as f


def adapter(kind):
    return adapters()[kind]


def test_adapters_are_registered():
    assert {"occupai.call", "occupai.proposal", "occupai.event"} <= set(adapters())


def test_call_document_is_public_on_its_mairie(call_voting):
    doc = adapter("occupai.call").document(call_voting)
    assert doc.mairie == "paris19" and doc.audience == "public"
    assert doc.url == call_voting.site_path and doc.status == "voting"


def test_unpublished_call_has_no_document(call_voting):
    call_voting.unpublish()
    assert adapter("occupai.call").document(CallPage.objects.get(pk=call_voting.pk)) is None


def test_only_published_visible_proposals_are_searchable(call_voting, resident19):
    shown = f.proposal(call_voting, author=resident19, proposer_type="resident", description="Un bal sous les lustres")
    pending = f.proposal(call_voting, status=Proposal.Status.SUBMITTED)
    hidden = f.proposal(call_voting, is_hidden=True)
    doc = adapter("occupai.proposal").document(shown)
    assert doc.audience == "public" and "bal sous les lustres" in doc.body
    assert resident19.public_name not in doc.body and resident19.email not in doc.body
    assert adapter("occupai.proposal").document(pending) is None
    assert adapter("occupai.proposal").document(hidden) is None


def test_event_document_appears_with_the_published_programme(call_selection, organiser19, spaces19):
    proposal = f.proposal(call_selection, title="Fanfare")
    event = services.proposal_schedule(actor=organiser19, proposal=proposal, space=spaces19["parvis"],
                                       starts_at=f.event_slot(call_selection)[0], ends_at=f.event_slot(call_selection)[1])
    assert adapter("occupai.event").document(event) is None
    with time_machine.travel(call_selection.results_at, tick=False):
        doc = adapter("occupai.event").document(Event.objects.get(pk=event.pk))
    assert doc.title == "Fanfare" and doc.date == event.starts_at and doc.url == event.get_absolute_url()


def test_section_url_points_at_the_mairies_index(rf, index19, mairie19, mairie20):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/", HTTP_HOST="paris19.localhost")
    request.user = AnonymousUser()
    (section,) = [s for s in sections_for(request) if s["key"] == "occupai"]
    assert section["url"] == "/occupai/"
    request20 = rf.get("/", HTTP_HOST="paris20.localhost")
    request20.user = AnonymousUser()
    (section,) = [s for s in sections_for(request20) if s["key"] == "occupai"]
    assert section["url"] is None


def test_demo_has_a_call_in_voting_and_a_finished_one_and_seeds_once(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    index = OccupaiIndexPage.objects.get(slug="occupai", mairie__slug="paris19")
    summer = CallPage.objects.get(slug="ete")
    spring = CallPage.objects.get(slug="printemps")
    assert summer.phase == Phase.VOTING and spring.phase == Phase.FINISHED
    assert summer.proposals.filter(status=Proposal.Status.ACCEPTED).count() == 12
    assert spring.events.count() == 4
    assert spring.proposals.filter(status=Proposal.Status.NOT_SELECTED).exclude(status_reason="").count() == 2
    assert sum(summer.proposals.values_list("supports_count", flat=True)) == 10
    # The 19e has the demo's four spaces and no other: the set-up's default ones (a new mairie's) became two
    # of them; the 20e keeps its default ones, to complete.
    from occupai import demo, setup

    assert {s.name: s.description for s in Space.objects.filter(mairie__slug="paris19")} == {
        name: description for name, *_fields, description in demo.SPACES}
    assert set(Space.objects.filter(mairie__slug="paris20").values_list("name", flat=True)) == {
        name for name, *_fields in setup.DEFAULT_SPACES}
    counts = (Space.objects.count(), Proposal.objects.count(), Event.objects.count(), CallPage.objects.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Space.objects.count(), Proposal.objects.count(), Event.objects.count(),
            CallPage.objects.count()) == counts
    assert index.mairie.slug == "paris19"


def test_the_hourly_refresh_makes_a_published_programme_searchable(call_selection, organiser19, spaces19, mairie19,
                                                                   on_commit):
    from django.contrib.auth.models import AnonymousUser

    from search import selectors
    from search.query import SearchQuery

    def found():
        query = SearchQuery.build(text="fanfare", types=["occupai.event"])
        return [hit.id for hit in selectors.search_results(user=AnonymousUser(), mairie=mairie19, query=query).hits]

    proposal = f.proposal(call_selection, title="Fanfare")
    with on_commit(execute=True):
        event = services.proposal_schedule(actor=organiser19, proposal=proposal, space=spaces19["parvis"],
                                           starts_at=f.event_slot(call_selection)[0],
                                           ends_at=f.event_slot(call_selection)[1])
    assert found() == []  # scheduled, but the programme is not public yet
    with time_machine.travel(call_selection.results_at, tick=False):
        call_command("rebuild_search_index", "--time-dependent", stdout=io.StringIO())
    assert found() == [f"occupai.event:{event.pk}"]
