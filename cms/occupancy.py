"""Who occupies a place at a time, asked across features without importing them.

A feature that books places (Occupai's events in its spaces) registers a check under a kind
("occupai.space"); another feature that lends the same place for something else (the hall's
co-working in the salle des fêtes) asks `occupied(kind, id, starts, ends)` before taking it. No
feature imports another: they meet here (tests/test_layers.py)."""

from collections.abc import Callable
from datetime import datetime

# check(object_id, starts, ends) -> a short description of what occupies it, or None
_CHECKS: dict[str, Callable[[int, datetime, datetime], str | None]] = {}


def register_occupancy(kind: str, check: Callable[[int, datetime, datetime], str | None]) -> None:
    _CHECKS[kind] = check


def occupied(kind: str, object_id: int, starts: datetime, ends: datetime) -> str | None:
    """What occupies the place over [starts, ends), or None (also when no feature answers for `kind`)."""
    check = _CHECKS.get(kind)
    return check(object_id, starts, ends) if check is not None else None
