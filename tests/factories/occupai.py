"""Occupai factories: spaces, the mairie's Occupai index, calls set in a given phase, proposals."""

from datetime import timedelta

import factory
from django.utils import timezone

from occupai.models import CallPage, OccupaiIndexPage, Proposal, ProposalSlot, Space

# Days from a call's reference moment T at which each date falls (see call_page()).
OFFSETS = {"submission_opens_at": 0, "submission_closes_at": 10, "voting_opens_at": 12, "voting_closes_at": 20,
           "results_at": 22}
EVENT_DAYS = (30, 36)
# Where "now" sits relative to T for each phase: in the middle of it.
PHASE_SHIFT = {"upcoming": -3, "submission": 5, "review": 11, "voting": 15, "selection": 21, "programme": 25,
               "ongoing": 33, "finished": 45}


class SpaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Space

    name = factory.Sequence(lambda n: f"Espace {n}")
    capacity = 200
    is_indoor = True
    accessibility_notes = "De plain-pied."
    equipment = "Tables\nPrises électriques"


def space(mairie, **kwargs):
    return SpaceFactory(mairie=mairie, **kwargs)


def index_page(home):
    index = OccupaiIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(instance=OccupaiIndexPage(title="Occupai", slug="occupai"))
        index.save_revision().publish()
    return OccupaiIndexPage.objects.get(pk=index.pk)


def call_dates(phase="voting", now=None):
    now = now or timezone.now()
    origin = now - timedelta(days=PHASE_SHIFT[phase])
    dates = {name: origin + timedelta(days=days) for name, days in OFFSETS.items()}
    dates["event_starts_on"] = timezone.localdate(origin + timedelta(days=EVENT_DAYS[0]))
    dates["event_ends_on"] = timezone.localdate(origin + timedelta(days=EVENT_DAYS[1]))
    return dates


def call_page(index, *, phase="voting", now=None, spaces=(), slug=None, **fields):
    """A published call whose dates put it in `phase` at `now`."""
    values = {"title": "Appel de test", "slug": slug or f"appel-{CallPage.objects.count() + 1}",
              "vote_budget": 3, "selection_count": 8, **call_dates(phase, now), **fields}
    call = CallPage(**values)
    call.spaces = list(spaces)
    index.add_child(instance=call)
    call.save_revision().publish()
    return CallPage.objects.get(pk=call.pk)


def set_phase(call, phase, now=None, keep_event_period=False):
    """Move a call's dates so that it is in `phase` now (a plain update: no revision); with
    `keep_event_period`, only the submission, voting and results dates move."""
    dates = call_dates(phase, now)
    if keep_event_period:
        dates = {k: v for k, v in dates.items() if k in OFFSETS}
    CallPage.objects.filter(pk=call.pk).update(**dates)
    return CallPage.objects.get(pk=call.pk)


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    title = factory.Sequence(lambda n: f"Proposition {n}")
    description = "Un événement pour tout le quartier."
    kind = Proposal.Kind.CONCERT
    expected_audience = 50
    status = Proposal.Status.ACCEPTED
    mairie = factory.LazyAttribute(lambda p: p.call.mairie)
    submitted_at = factory.LazyFunction(timezone.now)


def proposal(call, *, slot=True, **kwargs):
    obj = ProposalFactory(call=call, **kwargs)
    if slot:
        start = call.event_starts_at + timedelta(hours=18)
        ProposalSlot.objects.create(proposal=obj, starts_at=start, ends_at=start + timedelta(hours=2))
    return obj


def event_slot(call, day=0, hour=18, hours=2):
    """(start, end) on the `day`-th day of the call's event period."""
    start = call.event_starts_at + timedelta(days=day, hours=hour)
    return start, start + timedelta(hours=hours)
