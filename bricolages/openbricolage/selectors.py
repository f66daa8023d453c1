"""Reads of Open Bricolage, with their visibility rules: the programme is anyone's; who leads a
workshop and the feedback are for agents; registrants and counts for the organisers."""

from dataclasses import dataclass

from django.db.models import Avg, Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from . import permissions
from .models import DAY_SEATS, WORKSHOP_SEATS, EditionFeedback, OpenBricolageEdition, Registration, Workshop

Status = Registration.Status


def _workshops():
    return (Workshop.objects.select_related("bricolage", "leader", "leader__mairie")
            .annotate(confirmed_count=WORKSHOP_SEATS.count_subquery(Status.CONFIRMED),
                      waiting_count=WORKSHOP_SEATS.count_subquery(Status.WAITING))
            .order_by("starts_at", "id"))


def _editions():
    return (OpenBricolageEdition.objects.select_related("mairie")
            .annotate(confirmed_count=DAY_SEATS.count_subquery(Status.CONFIRMED),
                      waiting_count=DAY_SEATS.count_subquery(Status.WAITING))
            .prefetch_related(Prefetch("workshops", queryset=_workshops())))


def editions():
    """Every edition, the coming ones first (nearest first), then the past ones (latest first)."""
    return list(_editions().order_by("-date", "-id"))


def split_by_date(items):
    today = timezone.localdate()
    coming = sorted((e for e in items if e.date >= today), key=lambda e: (e.date, e.pk))
    return coming, [e for e in items if e.date < today]


def get_edition(pk) -> OpenBricolageEdition:
    edition = _editions().filter(pk=pk).first()
    if edition is None:
        raise Http404
    return edition


def get_workshop(pk) -> Workshop:
    workshop = Workshop.objects.select_related("edition", "bricolage", "leader").filter(pk=pk).first()
    if workshop is None:
        raise Http404
    return workshop


def free(capacity, confirmed) -> int:
    return max(capacity - confirmed, 0)


def registration_of(user, edition):
    if not getattr(user, "is_authenticated", False):
        return None
    return Registration.objects.filter(edition=edition, agent=user).select_related("workshop").first()


def position(registration):
    if registration is None:
        return None
    seats = DAY_SEATS if registration.workshop_id is None else WORKSHOP_SEATS
    return seats.position(registration)


@dataclass(frozen=True)
class Counts:
    registrations: int
    first_timers: int
    waiting: int


def counts(user, edition) -> Counts | None:
    """How many hold a seat, how many of them never used the wiki, how many wait: the host's organisers'."""
    if not permissions.user_can_view_registrants(user, edition):
        return None
    row = Registration.objects.filter(edition=edition).aggregate(
        registrations=Count("pk", filter=Q(status=Status.CONFIRMED)),
        first_timers=Count("pk", filter=Q(status=Status.CONFIRMED, first_time=True)),
        waiting=Count("pk", filter=Q(status=Status.WAITING)))
    return Counts(**row)


def registrants(user, edition):
    """The registrations (seats and waiting list, in queue order), for the host's organisers only."""
    if not permissions.user_can_view_registrants(user, edition):
        return Registration.objects.none()
    return (Registration.objects.filter(edition=edition, status__in=Registration.HOLDING)
            .select_related("agent", "agent__mairie", "workshop").order_by("workshop__starts_at", "created_at", "id"))


def bricolage_shown(workshop):
    """The bricolage a workshop presents while it is published and not hidden; else None: a bricolage
    hidden by moderation or unpublished since leaves the programme (page, API, search) too."""
    bricolage = workshop.bricolage
    return bricolage if bricolage.live and not bricolage.is_hidden else None


def presented_bricolages(edition):
    """After the day, the bricolages its workshops presented (those still published and not hidden)."""
    if edition.date > timezone.localdate():
        return []
    seen, result = set(), []
    for workshop in edition.workshops.all():
        bricolage = bricolage_shown(workshop)
        if bricolage is not None and bricolage.pk not in seen:
            seen.add(bricolage.pk)
            result.append(bricolage)
    return result


def feedback_of(user, edition):
    """The feedback texts, for agents only; anyone else gets none."""
    if not permissions.user_can_view_feedback_text(user):
        return EditionFeedback.objects.none()
    return EditionFeedback.objects.filter(edition=edition).select_related("agent", "agent__mairie")


def rating_summary(edition):
    """The average rating and how many gave one: figures without names, shown to everyone after the day."""
    row = EditionFeedback.objects.filter(edition=edition).aggregate(average=Avg("rating"), count=Count("pk"))
    return row if row["count"] else None


def my_feedback(user, edition):
    if not getattr(user, "is_authenticated", False):
        return None
    return EditionFeedback.objects.filter(edition=edition, agent=user).first()
