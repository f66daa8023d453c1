"""A call's phase comes from its dates, read against the clock (frozen here with time_machine)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from occupai.models import CallPage
from occupai.phases import Phase
from tests.factories import occupai as f

PARIS = ZoneInfo("Europe/Paris")


def at(day, hour=12, minute=0):
    return datetime(2026, 5, day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def call(index19, spaces19):
    return f.call_page(
        index19, spaces=spaces19.values(), submission_opens_at=at(1, 9), submission_closes_at=at(10, 18),
        voting_opens_at=at(12, 9), voting_closes_at=at(20, 20), results_at=at(25, 12),
        event_starts_on=date(2026, 6, 1), event_ends_on=date(2026, 6, 7))


@pytest.mark.parametrize(("moment", "phase", "next_phase"), [
    (at(1, 8, 59), Phase.UPCOMING, Phase.SUBMISSION),
    (at(1, 9), Phase.SUBMISSION, Phase.REVIEW),
    (at(10, 17, 59), Phase.SUBMISSION, Phase.REVIEW),
    (at(10, 18), Phase.REVIEW, Phase.VOTING),
    (at(12, 9), Phase.VOTING, Phase.SELECTION),
    (at(20, 20), Phase.SELECTION, Phase.PROGRAMME),
    (at(25, 12), Phase.PROGRAMME, Phase.ONGOING),
    (datetime(2026, 6, 1, 0, 0, tzinfo=PARIS), Phase.ONGOING, Phase.FINISHED),
    (datetime(2026, 6, 7, 23, 59, tzinfo=PARIS), Phase.ONGOING, Phase.FINISHED),
    (datetime(2026, 6, 8, 0, 0, tzinfo=PARIS), Phase.FINISHED, None),
])
def test_phase_is_computed_from_the_dates_with_a_frozen_clock(call, moment, phase, next_phase):
    with time_machine.travel(moment, tick=False):
        fresh = CallPage.objects.get(pk=call.pk)
        assert fresh.phase == phase
        assert fresh.state.next_phase == next_phase


def test_next_phase_gives_the_moment_to_count_down_to(call):
    with time_machine.travel(at(15), tick=False):
        state = CallPage.objects.get(pk=call.pk).state
    assert state.phase == Phase.VOTING
    assert state.next_at == at(20, 20)
    assert str(state.next_label) == "Clôture du vote"


def test_when_voting_opens_as_submission_closes_there_is_no_review_phase(index19, spaces19):
    call = f.call_page(index19, spaces=spaces19.values(), submission_opens_at=at(1), submission_closes_at=at(10),
                       voting_opens_at=at(10), voting_closes_at=at(20), results_at=at(21),
                       event_starts_on=date(2026, 6, 1), event_ends_on=date(2026, 6, 1))
    with time_machine.travel(at(5), tick=False):
        assert CallPage.objects.get(pk=call.pk).state.next_phase == Phase.VOTING
    with time_machine.travel(at(10), tick=False):
        assert CallPage.objects.get(pk=call.pk).phase == Phase.VOTING


def test_event_period_covers_whole_days_in_paris_time(call):
    assert call.event_starts_at == datetime(2026, 6, 1, 0, 0, tzinfo=PARIS)
    assert call.event_ends_at == datetime(2026, 6, 8, 0, 0, tzinfo=PARIS)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("submission_closes_at", at(1, 8), "La clôture des propositions doit suivre leur ouverture"),
    ("voting_opens_at", at(9), "Le vote ne peut ouvrir qu'après la clôture des propositions"),
    ("voting_closes_at", at(11), "La clôture du vote doit suivre son ouverture"),
    ("results_at", at(19), "Le programme ne peut être publié qu'après la clôture du vote"),
    ("results_at", datetime(2026, 6, 2, tzinfo=PARIS), "avant le premier jour des événements"),
    ("event_ends_on", date(2026, 5, 31), "Le dernier jour doit être le premier jour ou après"),
])
def test_dates_out_of_order_are_refused_naming_the_field(call, field, value, message):
    setattr(call, field, value)
    with pytest.raises(ValidationError) as caught:
        call.full_clean()
    assert field in caught.value.message_dict
    assert message in " ".join(caught.value.message_dict[field])


def test_ordered_dates_are_valid(call):
    call.full_clean()


def test_badge_and_countdown_show_on_the_call_page_and_the_index(client19, call, index19):
    with time_machine.travel(at(17, 20), tick=False):
        page = client19.get(call.site_path).content.decode()
        index = client19.get(index19.site_path).content.decode()
    for html in (page, index):
        assert "Vote en cours" in html
        assert "Clôture du vote" in html
        assert 'datetime="2026-05-20T20:00:00+02:00"' in html
        assert "dans 3\xa0jours" in html  # Django's timeuntil uses non-breaking spaces


def test_phase_key_is_in_the_wagtail_pages_api(client19, call):
    with time_machine.travel(at(2), tick=False):
        data = client19.get(f"/api/v2/pages/{call.pk}/?fields=phase_key,voting_opens_at").json()
    assert data["phase_key"] == "submission"


def test_the_phase_moves_on_as_time_passes(call):
    with time_machine.travel(at(19), tick=False) as traveller:
        assert CallPage.objects.get(pk=call.pk).phase == Phase.VOTING
        traveller.shift(timedelta(days=2))
        assert CallPage.objects.get(pk=call.pk).phase == Phase.SELECTION
