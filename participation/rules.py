"""Per-context support rules: who may support, when, and how many times in one context."""

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

    @classmethod
    def closed(cls, reason):
        return cls(closed_reason=str(reason))
