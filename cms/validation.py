"""Checks on raw input shared by every app: ids that a database can hold, one-line titles.

Django guards a plain integer column against an out-of-range lookup, but not a foreign key nor a
page's primary key (a `page_ptr`): there SQLite raises OverflowError and the request ends in a 500.
Every id read from a query string, a form or a body goes through `parse_id` (or `check_id`) so
that it is refused with a 400 and a French message before any query.

A title is one line: it becomes the subject of notification emails, and Django refuses a
subject with a line break (header injection), so such a title is refused where it is written.
"""

from functools import wraps

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

LINE_BREAK_MESSAGE = gettext_lazy("Ce champ tient sur une seule ligne : retirez les retours à la ligne.")

MAX_ID = 2**63 - 1  # the largest value of a 64-bit primary key (SQLite and PostgreSQL bigint)
LINE_BREAKS = ("\r", "\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")


def ids_in_range(view):
    """A URL's ids (its `<int:…>` parts match any run of digits) beyond MAX_ID name no row: 404 before
    the view, whose lookup the database would refuse with an overflow (a 500)."""
    if getattr(view, "ids_in_range", False):
        return view

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if out_of_range(args, kwargs):
            raise Http404
        return view(request, *args, **kwargs)

    wrapped.ids_in_range = True
    return wrapped


def out_of_range(args, kwargs) -> bool:
    return any(isinstance(value, int) and value > MAX_ID for value in (*args, *kwargs.values()))


def _bad_id(field):
    return ValidationError({field: _("Identifiant invalide : un nombre entier entre 1 et %(max)d est attendu.")
                            % {"max": MAX_ID}})


def check_id(value, *, field: str) -> int:
    """The id as an int, or ValidationError({field: ...}) when it is not an integer from 1 to MAX_ID."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        raise _bad_id(field)
    return value


def parse_id(raw, *, field: str) -> int | None:
    """A query or form parameter that names an object: None when absent or empty, the id when it
    is plain ASCII digits within range, otherwise ValidationError (a 400 in the API)."""
    if raw is None or raw == "":
        return None
    raw = str(raw).strip()
    if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(MAX_ID)):
        raise _bad_id(field)
    return check_id(int(raw), field=field)


def id_or_none(raw) -> int | None:
    """`parse_id` for a door that treats a bad id as no id (an HTML filter, an unknown target: 404)."""
    try:
        return parse_id(raw, field="id")
    except ValidationError:
        return None


def id_param(request, name: str) -> int | None:
    """`parse_id` on a query parameter of a DRF or Django request."""
    params = getattr(request, "query_params", None)
    if params is None:
        params = request.GET
    return parse_id(params.get(name), field=name)


def required_text(value, *, field: str, message) -> str:
    """`value` without its surrounding spaces; a ValidationError on `field` saying `message` when
    nothing is left (a reason, a rationale, a text that a service must not store empty)."""
    value = str(value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def clean_text(value, *, field: str, max_length: int | None, required: bool = True, single_line: bool = False) -> str:
    """A text a service stores: without its surrounding spaces, a string (not a number or a list sent as
    JSON), not empty when `required`, on one line when `single_line`, at most `max_length` characters;
    else a ValidationError on `field`."""
    value = "" if value is None else value
    if not isinstance(value, str):
        raise ValidationError({field: _("Texte attendu.")})
    value = value.strip()
    if required and not value:
        raise ValidationError({field: _("Ce champ est obligatoire.")})
    if single_line:
        require_single_line(**{field: value})
    if max_length and len(value) > max_length:
        raise ValidationError({field: _("%(n)d caractères au plus.") % {"n": max_length}})
    return value


def has_line_break(value) -> bool:
    return isinstance(value, str) and any(mark in value for mark in LINE_BREAKS)


def require_single_line(**fields) -> None:
    """Refuse (ValidationError, one message per field) titles that hold a line break."""
    errors = {field: LINE_BREAK_MESSAGE for field, value in fields.items() if has_line_break(value)}
    if errors:
        raise ValidationError(errors)


def one_line(text) -> str:
    """The text on one line (line breaks become spaces): for email subjects of rows stored before
    titles were checked, which Django would refuse (BadHeaderError) at every retry."""
    text = str(text or "")
    for mark in LINE_BREAKS:
        text = text.replace(mark, " ")
    return " ".join(text.split())
