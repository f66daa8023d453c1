"""Seats and a waiting list for a day with a capacity: hackathon days, exploration days.

One mechanism, configured per use by a frozen `Waitlist` describing the rows that hold or wait
for a seat. The rules it keeps, whatever the day:
- a newcomer gets a seat while confirmed rows are fewer than the capacity, else waits;
- a freed seat goes to the oldest waiting row (by `queued_at`, then id);
- the day's row is locked (`select_for_update`) while counting, so two last-seat requests cannot
  both be confirmed (on SQLite the write transaction is already exclusive).

The caller's service owns everything else (who may register, whom to notify, what a cancelled
row becomes): this module only counts, orders and promotes.
"""

from dataclasses import dataclass

from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone


@dataclass(frozen=True)
class Waitlist:
    """How one kind of day keeps its seats: `model` holds the rows, `day_field` names their day."""

    model: type[models.Model]
    day_field: str
    confirmed: str = "confirmed"
    waiting: str = "waiting"
    queued_at: str = "created_at"
    promoted_at: str | None = "promoted_at"
    capacity: str = "capacity"

    # --- writes (the caller holds the day's lock)

    def lock(self, day):
        """The day again, its row locked until the end of the caller's transaction."""
        return type(day).objects.select_for_update().get(pk=day.pk)

    def rows(self, day):
        return self.model.objects.filter(**{self.day_field: day})

    def confirmed_count(self, day) -> int:
        return self.rows(day).filter(status=self.confirmed).count()

    def status_for_newcomer(self, day) -> str:
        """Confirmed while a seat is free, else waiting."""
        return self.confirmed if self.confirmed_count(day) < getattr(day, self.capacity) else self.waiting

    def promote(self, day, *, select_related=()) -> list:
        """Give free seats to the waiting rows, oldest first; the promoted rows."""
        free = getattr(day, self.capacity) - self.confirmed_count(day)
        if free <= 0:
            return []
        promoted = []
        fields = ["status"]
        for row in (self.rows(day).filter(status=self.waiting).select_related(*select_related)
                    .order_by(self.queued_at, "pk")[:free]):
            row.status = self.confirmed
            if self.promoted_at:
                setattr(row, self.promoted_at, timezone.now())
                fields = ["status", self.promoted_at]
            row.save(update_fields=fields)
            promoted.append(row)
        return promoted

    # --- reads

    def waiting_ahead(self, day_id, queued_at, pk):
        """The waiting rows before one: those who joined the list earlier (then by id)."""
        return self.model.objects.filter(**{f"{self.day_field}_id": day_id}, status=self.waiting).filter(
            Q(**{f"{self.queued_at}__lt": queued_at}) | Q(**{self.queued_at: queued_at, "id__lt": pk}))

    def waiting_ahead_subquery(self):
        """For a queryset of rows: how many wait ahead of each (annotate with it)."""
        return Coalesce(Subquery(
            self.waiting_ahead(OuterRef(f"{self.day_field}_id"), OuterRef(self.queued_at), OuterRef("pk"))
            .order_by().values(self.day_field).annotate(n=Count("pk")).values("n")), 0)

    def count_subquery(self, status):
        """For a queryset of days: how many rows have `status` (annotate with it)."""
        return Coalesce(Subquery(
            self.model.objects.filter(**{self.day_field: OuterRef("pk")}, status=status).order_by()
            .values(self.day_field).annotate(n=Count("pk")).values("n")), 0)

    def position(self, row) -> int | None:
        """1 for the first in line; None when the row does not wait."""
        if row is None or row.status != self.waiting:
            return None
        if hasattr(row, "waiting_ahead"):  # annotated with waiting_ahead_subquery
            return row.waiting_ahead + 1
        return self.waiting_ahead(getattr(row, f"{self.day_field}_id"), getattr(row, self.queued_at),
                                  row.pk).count() + 1
