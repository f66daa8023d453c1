"""Reads that carry the charter's visibility rules."""

from collections import defaultdict

from django.db.models import Count, Prefetch

from participation import selectors as engine_selectors

from . import permissions
from .models import Amendment, CharterPage, CharterVersion, CommandementWording, CommitmentReport


def live_charter(mairie) -> CharterPage | None:
    """The published charter of a mairie (one per mairie, under its home page), unless a Wagtail
    view restriction keeps it private."""
    if mairie is None:
        return None
    return CharterPage.objects.live().public().filter(mairie=mairie).select_related("mairie").first()


def amendment_is_visible(user, amendment) -> bool:
    if not amendment.charter.live:
        return False
    if not amendment.is_hidden:
        return True
    return permissions.user_can_see_hidden_amendments(user, amendment.mairie)


def public_amendments(charter, *, number=None, statuses=None):
    qs = (Amendment.objects.filter(charter=charter, is_hidden=False)
          .select_related("author", "wording__version", "charter"))
    if number is not None:
        qs = qs.filter(number=number)
    if statuses:
        qs = qs.filter(status__in=statuses)
    return qs


def current_version(charter) -> CharterVersion | None:
    return CharterVersion.objects.filter(charter=charter).order_by("-number").first()


def current_wordings(charter) -> dict[int, CommandementWording]:
    """The latest published wording of each number."""
    latest = {}
    for wording in (CommandementWording.objects.filter(charter=charter).select_related("version")
                    .order_by("number", "version__number")):
        latest[wording.number] = wording
    return latest


def wording_history(charter, number) -> list[CommandementWording]:
    """Every published wording of commandement n° number, oldest first, with the amendments
    that produced each one."""
    wordings = list(CommandementWording.objects.filter(charter=charter, number=number)
                    .select_related("version")
                    .prefetch_related(Prefetch("amendments", queryset=Amendment.objects.select_related("author")))
                    .order_by("version__number"))
    for wording in wordings:
        for amendment in wording.amendments.all():
            amendment.charter = charter  # their links are under this page: no query (nor join) for each
    return wordings


def contributions_counts(charter) -> dict[int, int]:
    """How many adopted amendments went into the published wordings of each commandement."""
    rows = (Amendment.objects.filter(charter=charter, wording__isnull=False).values("number")
            .annotate(n=Count("pk")).order_by())
    return {row["number"]: row["n"] for row in rows}


def reports_by_number(charter) -> dict[int, list[CommitmentReport]]:
    grouped = defaultdict(list)
    for report in CommitmentReport.objects.filter(charter=charter).order_by("number", "-date", "-pk"):
        grouped[report.number].append(report)
    return dict(grouped)


def supported_amendments(charter, user) -> set[int]:
    """The open amendments of this charter that `user` supports (one query)."""
    return engine_selectors.supported_ids(user, public_amendments(charter, statuses=[Amendment.Status.OPEN]))


def charter_rows(charter, supported):
    """Everything the charter page shows for each commandement, in a handful of queries
    (`supported`: the open amendments the visitor supports, from supported_amendments)."""
    commandements = charter.ordered_commandements()
    open_amendments = defaultdict(list)
    for amendment in public_amendments(charter, statuses=[Amendment.Status.OPEN]):
        open_amendments[amendment.number].append(amendment)
    contributions = contributions_counts(charter)
    reports = reports_by_number(charter)
    return [{
        "commandement": c,
        "amendments": open_amendments.get(c.number, []),
        "contributions": contributions.get(c.number, 0),
        "reports": reports.get(c.number, [])[:2],
        "supported": supported,
    } for c in commandements]
