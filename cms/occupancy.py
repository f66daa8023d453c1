"""Who occupies a place at a time, asked across features without importing them.

A feature that books a kind of place registers a check under that kind, with its own name: Occupai
answers for its events in its spaces ("occupai.space", by "occupai"), and the hall's co-working answers
for the desks it booked in the Occupai rooms it borrows (the same kind, by "accueil"). Before taking a
place each asks `occupied(kind, id, starts, ends, besides=<its own name>)`: the others' checks answer.
No feature imports another: they meet here (tests/test_layers.py)."""

from collections.abc import Callable
from datetime import datetime

# check(object_id, starts, ends) -> a short description of what occupies it, or None
Check = Callable[[int, datetime, datetime], str | None]
_CHECKS: dict[str, dict[str, Check]] = {}


def register_occupancy(kind: str, check: Check, *, by: str) -> None:
    _CHECKS.setdefault(kind, {})[by] = check


def occupied(kind: str, object_id: int, starts: datetime, ends: datetime, *, besides: str = "") -> str | None:
    """What the other features (all but `besides`) hold of the place over [starts, ends), or None (also
    when no other feature answers for `kind`)."""
    for by, check in _CHECKS.get(kind, {}).items():
        if by != besides:
            found = check(object_id, starts, ends)
            if found:
                return found
    return None
