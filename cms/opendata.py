"""Open data: the public datasets of a mairie, in CSV and JSON, under the Licence Ouverte 2.0.

cms never imports a feature app: each app describes its datasets (`Dataset`) and hands them to
`register_dataset` from its AppConfig.ready() (through participation.features.plug_in). A dataset
builds its rows for one mairie from the app's own selectors, public data only: no email, no
contact, no name of a person (authors are never exported, anonymous or not; an association's or
a collective's name is public, a resident's is not).

Formats (docs/opendata.md):
- CSV: UTF-8 with a byte order mark (so that spreadsheet software recognises the encoding),
  comma-separated, fields quoted when needed, CRLF line ends (RFC 4180), one header row with the
  column names; served as an attachment named `<mairie>-<dataset>-<YYYY-MM-DD>.csv`.
- JSON: {"licence", "source", "generated_at", "dataset", "columns", "rows"}; rows are objects keyed
  by column name, integers as numbers, dates and times in ISO 8601 with their offset, empty as null.
"""

import csv
import hashlib
import io
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

LICENCE = {
    "id": "etalab-2.0",
    "name": "Licence Ouverte / Open Licence version 2.0",
    "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}
LICENCE_LABEL = _("Licence Ouverte 2.0 (Etalab)")


@dataclass(frozen=True)
class Column:
    name: str  # the machine name: snake_case, in English like the API's fields
    description: str  # what it holds, in French (gettext_lazy)
    type: str = "string"  # string | integer | date | datetime (Table Schema's names)


@dataclass(frozen=True)
class Dataset:
    """One public dataset. `rows(mairie)` returns dicts keyed by the columns' names (only those);
    `updated` names the columns whose latest value is the dataset's last update; `charts(rows)`
    draws figures (cms.charts) from the rows as exported (moments as ISO text), so that a chart's
    table holds the CSV's numbers."""

    key: str  # in URLs: /donnees-ouvertes/<key>.csv
    title: str
    description: str
    columns: Sequence[Column]
    rows: Callable = field(compare=False)
    order: int = 100
    updated: tuple[str, ...] = ()
    charts: Callable | None = field(default=None, compare=False)

    @property
    def column_names(self):
        return [column.name for column in self.columns]


_datasets: dict[str, Dataset] = {}


def register_dataset(dataset: Dataset):
    names = dataset.column_names
    if len(set(names)) != len(names):
        raise ValueError(f"dataset {dataset.key}: a column name is repeated")
    _datasets[dataset.key] = dataset


def datasets() -> list[Dataset]:
    return sorted(_datasets.values(), key=lambda d: (d.order, d.key))


def dataset(key: str) -> Dataset | None:
    return _datasets.get(key)


# --- building ----------------------------------------------------------------------------------


def cell(value):
    """A cell as JSON carries it: ISO 8601 for moments (in the platform's time zone, with the
    offset) and days, text for lazy strings; numbers and None as they are."""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds") if timezone.is_aware(value) \
            else value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if value is None or (isinstance(value, (int, float, str)) and not isinstance(value, bool)):
        return value
    return str(value)


@dataclass
class Table:
    """A dataset's rows for one mairie, as exported."""

    dataset: Dataset
    mairie: object
    rows: list[dict]
    generated_at: datetime

    @property
    def last_update(self) -> datetime | None:
        """The latest value of the dataset's `updated` columns (a day counts from its midnight)."""
        latest = None
        for row in self.rows:
            for name in self.dataset.updated:
                value = row.get(name)
                if value:
                    moment = datetime.fromisoformat(value)
                    if timezone.is_naive(moment):  # a day
                        moment = timezone.make_aware(moment)
                    latest = moment if latest is None or moment > latest else latest
        return latest

    def charts(self):
        """The dataset's charts, drawn from these rows (none for an empty dataset)."""
        return list(self.dataset.charts(self.rows)) if self.dataset.charts and self.rows else []


def build(ds: Dataset, mairie) -> Table:
    names = ds.column_names
    rows = [{name: cell(row.get(name)) for name in names} for row in ds.rows(mairie)]
    return Table(dataset=ds, mairie=mairie, rows=rows, generated_at=timezone.now())


def file_name(table: Table, extension: str) -> str:
    return f"{table.mairie.slug}-{table.dataset.key}-{timezone.localdate(table.generated_at).isoformat()}.{extension}"


def as_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    names = table.dataset.column_names
    writer.writerow(names)
    for row in table.rows:
        writer.writerow(["" if row[name] is None else row[name] for name in names])
    return out.getvalue().encode("utf-8-sig")


def as_json(table: Table, *, source_url: str, urls: dict) -> dict:
    ds = table.dataset
    last = table.last_update
    return {
        "licence": LICENCE,
        "source": {"publisher": table.mairie.name, "mairie": table.mairie.slug, "url": source_url},
        "generated_at": cell(table.generated_at),
        "dataset": {"key": ds.key, "title": str(ds.title), "description": str(ds.description),
                    "last_update": cell(last), "row_count": len(table.rows), **urls},
        "columns": [{"name": c.name, "type": c.type, "description": str(c.description)} for c in ds.columns],
        "rows": table.rows,
    }


def fingerprint(table: Table, fmt: str) -> str:
    """What the file says, minus the moment it was made: equal for equal data."""
    data = json.dumps([fmt, table.mairie.slug, table.dataset.key, table.rows], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:32]


def json_bytes(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")


def tables_for(mairie, keys: Iterable[str] | None = None) -> list[Table]:
    return [build(ds, mairie) for ds in datasets() if keys is None or ds.key in keys]
