"""Per-context support rules: who may support, when, how many times in one context, and who
sees the counts. Templates, serializers and the API ask the rule (`counts_visible_to`), never
the app, so that a count hidden in one place is hidden in all of them."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class SupportRule:
    context: str = ""  # budget scope, e.g. "occupai.call:5"; "" = none
    budget: int | None = None  # supports per user in this context; None = unlimited
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    mairie: object = None  # only users whose home mairie is this one; None = any
    eligible: Callable | None = None  # eligible(user) -> refusal message or None
    withdrawable: bool = True
    closed_reason: str = ""  # when set, supports are refused with this message (400)
    counts_visible: Callable | None = None  # counts_visible(user) -> bool; None = shown to everyone

    def counts_visible_to(self, user) -> bool:
        """Whether `user` may see how many supports an object has (e.g. an Occupai call hides
        them during its vote, except to its organisers)."""
        return self.counts_visible is None or bool(self.counts_visible(user))

    @classmethod
    def closed(cls, reason):
        return cls(closed_reason=str(reason))
