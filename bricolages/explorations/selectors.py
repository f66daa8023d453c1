"""Reads of the explorations, with their visibility rules: agents see the days and the published
summaries; an application is its visitor's and the host's; a logbook its author's until shared."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from . import permissions
from .models import SEATS, ExplorationApplication, ExplorationDay, ExplorationSummary, LogbookEntry

Status = ExplorationApplication.Status


def _with_counts(qs):
    return qs.select_related("mairie").annotate(confirmed_count=SEATS.count_subquery(Status.CONFIRMED),
                                                 waiting_count=SEATS.count_subquery(Status.WAITING))


def days_to_come(user):
    if not permissions.user_can_view_explorations(user):
        return ExplorationDay.objects.none()
    return _with_counts(ExplorationDay.objects.filter(date__gte=timezone.localdate())).order_by("date", "id")


def free_seats(day) -> int:
    confirmed = day.confirmed_count if hasattr(day, "confirmed_count") else SEATS.confirmed_count(day)
    return max(day.capacity - confirmed, 0)


def my_explorations(user):
    """The agent's own applications (past and coming), with their day and summary."""
    if not permissions.user_can_view_explorations(user):
        return ExplorationApplication.objects.none()
    return (ExplorationApplication.objects.filter(agent=user).select_related("day", "day__mairie", "summary")
            .annotate(waiting_ahead=SEATS.waiting_ahead_subquery()).order_by("-day__date", "-id"))


def split_by_date(applications):
    today = timezone.localdate()
    coming = [a for a in applications if a.day.date >= today]
    return list(reversed(coming)), [a for a in applications if a.day.date < today]


def hosted_days(user):
    """The days of the user's mairie, coming first, for the host service."""
    if not permissions.user_can_view_explorations(user) or getattr(user, "mairie_id", None) is None:
        return ExplorationDay.objects.none()
    return _with_counts(ExplorationDay.objects.filter(mairie_id=user.mairie_id,
                                                      date__gte=timezone.localdate())).order_by("date", "id")


def get_day(user, pk) -> ExplorationDay:
    if not permissions.user_can_view_explorations(user):
        raise Http404
    day = _with_counts(ExplorationDay.objects.filter(pk=pk)).first()
    if day is None:
        raise Http404
    return day


def applications_of_day(user, day):
    """The host sees every application of its day; anyone else nothing."""
    if not permissions.user_can_manage_day(user, day):
        return ExplorationApplication.objects.none()
    return (ExplorationApplication.objects.filter(day=day).select_related("agent", "agent__mairie")
            .annotate(waiting_ahead=SEATS.waiting_ahead_subquery()).order_by("created_at", "id"))


def application_of(user, day):
    if not getattr(user, "is_authenticated", False):
        return None
    return (ExplorationApplication.objects.filter(day=day, agent=user)
            .annotate(waiting_ahead=SEATS.waiting_ahead_subquery()).first())


def get_application(user, pk) -> ExplorationApplication:
    """404 for anyone but the visitor and the host (an application's existence is not shown)."""
    application = (ExplorationApplication.objects.filter(pk=pk)
                   .select_related("day", "day__mairie", "agent", "agent__mairie")
                   .annotate(waiting_ahead=SEATS.waiting_ahead_subquery()).first())
    if application is None or not permissions.user_can_view_application(user, application):
        raise Http404
    return application


def logbook_of(user, application):
    """The entries the user may read: all for the author, all for the host once shared, else none."""
    if not permissions.user_can_view_logbook(user, application):
        return LogbookEntry.objects.none()
    return LogbookEntry.objects.filter(application=application).order_by("created_at", "id")


def summary_of(application):
    return ExplorationSummary.objects.filter(application=application).first()


def summaries(user):
    if not permissions.user_can_view_explorations(user):
        return ExplorationSummary.objects.none()
    return (ExplorationSummary.objects.select_related("application__day__mairie", "application__agent__mairie")
            .prefetch_related("inspired_bricolages").order_by("-published_at", "-id"))


def get_summary(user, pk) -> ExplorationSummary:
    summary = summaries(user).filter(pk=pk).first()
    if summary is None:
        raise Http404
    return summary


def linkable_summaries(user):
    """The summaries a bricolage may say it was born from: id and title only, newest first."""
    if not permissions.user_can_view_explorations(user):
        return ExplorationSummary.objects.none()
    return ExplorationSummary.objects.only("id", "title").order_by("-published_at", "-id")


# --- the season's calendar, for the organisers ------------------------------------------------------


@dataclass(frozen=True)
class Season:
    """Explorations happen every six months: January-June, July-December."""

    start: datetime.date
    end: datetime.date  # inclusive

    @classmethod
    def of(cls, day: datetime.date):
        if day.month <= 6:
            return cls(datetime.date(day.year, 1, 1), datetime.date(day.year, 6, 30))
        return cls(datetime.date(day.year, 7, 1), datetime.date(day.year, 12, 31))

    @classmethod
    def parse(cls, value: str):
        """'2026-1' or '2026-2'; the current season otherwise."""
        try:
            year, half = (int(part) for part in (value or "").split("-"))
            if 2000 <= year <= 2100 and half in (1, 2):
                return cls.of(datetime.date(year, 1 if half == 1 else 7, 1))
        except ValueError:
            pass
        return cls.of(timezone.localdate())

    @property
    def key(self):
        return f"{self.start.year}-{1 if self.start.month == 1 else 2}"

    def previous(self):
        return Season.of(self.start - datetime.timedelta(days=1))

    def next(self):
        return Season.of(self.end + datetime.timedelta(days=1))


def season_calendar(user, season: Season):
    """Every day of the season across the mairies, and how many host services and visiting agents
    took part (an accepted visitor), or None when the user may not see it."""
    if not permissions.user_can_view_calendar(user):
        return None
    days = list(_with_counts(ExplorationDay.objects.filter(date__gte=season.start, date__lte=season.end))
                .annotate(accepted_count=Count("applications", filter=Q(applications__accepted_at__isnull=False,
                                                                         applications__status=Status.CONFIRMED)))
                .order_by("date", "mairie__arrondissement", "id"))
    accepted = ExplorationApplication.objects.filter(day__date__gte=season.start, day__date__lte=season.end,
                                                     status=Status.CONFIRMED, accepted_at__isnull=False)
    services = {(d["day__mairie"], d["day__service"].strip().lower())
                for d in accepted.values("day__mairie", "day__service")}
    return {"days": days, "services": len(services), "visitors": accepted.values("agent").distinct().count(),
            "mairies": len({m for m, _s in services})}
