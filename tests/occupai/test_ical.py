"""The iCalendar feeds, parsed back with the icalendar package."""

from datetime import timedelta

import pytest
import time_machine
from icalendar import Calendar

from occupai import services
from tests.factories import occupai as f


@pytest.fixture
def programme(make_call, organiser19, spaces19):
    """A call whose programme is published, with two events."""
    call = make_call("selection", title="L'été de la mairie")
    battle = f.proposal(call, title="Battle de hip-hop", description="Un cercle, un DJ.", kind="sport",
                        proposer_type="collective", proposer_name="Flandre Breakers", expected_audience=250)
    meal = f.proposal(call, title="Repas de quartier", kind="meal", expected_audience=150)
    services.proposal_schedule(actor=organiser19, proposal=battle, space=spaces19["parvis"],
                               starts_at=f.event_slot(call, day=1, hour=17)[0],
                               ends_at=f.event_slot(call, day=1, hour=17, hours=4)[1])
    services.proposal_schedule(actor=organiser19, proposal=meal, space=spaces19["salle"],
                               starts_at=f.event_slot(call, day=2, hour=12)[0],
                               ends_at=f.event_slot(call, day=2, hour=12, hours=3)[1])
    return f.set_phase(call, "programme"), battle, meal


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def test_call_feed_has_one_vevent_per_event_with_times_in_paris(client19, programme):
    call, battle, _meal = programme
    calendar = parse(client19.get(call.programme_ics_path))
    assert str(calendar["VERSION"]) == "2.0"
    assert "Occupai" in str(calendar["PRODID"])
    events = calendar.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Battle de hip-hop", "Repas de quartier"]
    first = events[0]
    start = first.decoded("DTSTART")
    assert start == battle.event.starts_at
    assert str(start.tzinfo) == "Europe/Paris"
    assert first.decoded("DTEND") - start == timedelta(hours=4)
    assert "Parvis avant" in str(first["LOCATION"])
    assert str(first["URL"]).startswith("http://paris19.localhost/")
    assert "Flandre Breakers" in str(first["DESCRIPTION"])
    assert calendar.walk("VTIMEZONE"), "the Europe/Paris VTIMEZONE is included for calendar apps"
    assert all(e.get("DTSTAMP") for e in events)


def test_uids_are_stable_and_unique_and_sequence_grows_on_reschedule(client19, programme, organiser19, spaces19):
    call, battle, _meal = programme
    before = {str(e["UID"]): int(e["SEQUENCE"]) for e in parse(client19.get(call.programme_ics_path)).walk("VEVENT")}
    assert len(before) == 2
    services.proposal_schedule(actor=organiser19, proposal=battle, space=spaces19["parvis"],
                               starts_at=f.event_slot(call, day=3)[0], ends_at=f.event_slot(call, day=3)[1])
    after = {str(e["UID"]): int(e["SEQUENCE"]) for e in parse(client19.get(call.programme_ics_path)).walk("VEVENT")}
    assert set(after) == set(before)
    uid = battle.event.uid()
    assert after[uid] == before[uid] + 1


def test_feed_is_empty_until_the_programme_is_published(client19, programme):
    call, _battle, _meal = programme
    with time_machine.travel(call.results_at - timedelta(hours=1), tick=False):
        calendar = parse(client19.get(call.programme_ics_path))
    assert calendar.walk("VEVENT") == []


def test_mairie_feed_gathers_every_published_call(client19, programme, make_call, organiser19, spaces19):
    call, _battle, _meal = programme
    other = make_call("selection", title="Automne")
    concert = f.proposal(other, title="Concert d'automne")
    services.proposal_schedule(actor=organiser19, proposal=concert, space=spaces19["salle"],
                               starts_at=f.event_slot(other, day=0)[0], ends_at=f.event_slot(other, day=0)[1])
    index = call.get_parent().specific
    summaries = {str(e["SUMMARY"]) for e in parse(client19.get(index.agenda_ics_path)).walk("VEVENT")}
    assert summaries == {"Battle de hip-hop", "Repas de quartier"}  # the autumn programme is not published yet
    f.set_phase(other, "programme")
    summaries = {str(e["SUMMARY"]) for e in parse(client19.get(index.agenda_ics_path)).walk("VEVENT")}
    assert "Concert d'automne" in summaries


def test_single_event_calendar(client19, programme):
    call, battle, _meal = programme
    calendar = parse(client19.get(call.event_ics_path(battle.pk)))
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == battle.event.uid()


def test_feeds_of_the_19e_are_not_served_by_the_20e(client20, programme):
    call, _battle, _meal = programme
    assert client20.get(call.programme_ics_path).status_code == 404
