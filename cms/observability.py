"""What operators see of a running platform: a request id on every request and log line, JSON
logs, and error reports to Sentry that carry no personal data.

- `RequestIdMiddleware` (first in MIDDLEWARE) takes the `X-Request-ID` the proxy in front sent (nginx's
  `$request_id`, 32 hex digits) when it looks like one, or makes one; it answers with the same header and
  keeps the id in a context variable until the response is closed, so that Django's own "Not Found" or
  "Internal Server Error" line, written after the middleware returns, carries it too.
- `RequestIdFilter` puts `request_id` on every log record ("-" outside a request); the console handler
  of `LOGGING` (cms/settings/base.py) has it, with the plain or the JSON formatter (`LOG_FORMAT`).
- `JsonFormatter`: one JSON object per line (timestamp, level, logger, message, request_id, and the
  record's extra fields); the request object Django attaches to its records becomes its method and
  path, never its query string, headers or body.
- `sentry_init` (only when `SENTRY_DSN` is set): no default personal data, no request bodies, no local
  variables, and `scrub_event` as the last word before anything leaves.

Nothing here reads settings or models at import: the settings module imports it.
"""

import re
import uuid
from contextvars import ContextVar
from logging import Filter

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
_META_KEY = "HTTP_X_REQUEST_ID"
# What we accept from the proxy: letters, digits, dot, dash, underscore; 8 to 64 of them. Anything
# else (an attempt to forge log lines, an over-long value) is replaced by a fresh id.
_VALID_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{7,63}\Z")
_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
NO_REQUEST = "-"


def current_request_id() -> str | None:
    """The id of the request being served in this context, or None."""
    return _request_id.get()


def _clear_request_id(**_kwargs):
    _request_id.set(None)


class RequestIdMiddleware:
    """Give every request an id, echo it in `X-Request-ID` and put it on the request's log lines."""

    def __init__(self, get_response):
        from django.core.signals import request_finished

        self.get_response = get_response
        request_finished.connect(_clear_request_id, dispatch_uid="cms-observability-request-id")

    def __call__(self, request):
        incoming = request.META.get(_META_KEY, "")
        request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        _request_id.set(request_id)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response


class RequestIdFilter(Filter):
    """Adds `request_id` to every record that goes through the handler."""

    def filter(self, record):
        record.request_id = _request_id.get() or NO_REQUEST
        return True


class JsonFormatter(_JsonFormatter):
    """One JSON object per line: timestamp (UTC, ISO 8601), level, logger, message, request_id."""

    def __init__(self, **kwargs):
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "request", "request_id"])
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", True)
        super().__init__("%(levelname)s %(name)s %(message)s", **kwargs)

    def add_fields(self, log_record, record, message_dict):
        super().add_fields(log_record, record, message_dict)
        log_record["request_id"] = getattr(record, "request_id", None) or _request_id.get() or NO_REQUEST
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            log_record["method"] = getattr(request, "method", None)
            log_record["path"] = request.path  # no query string: it may carry personal data


# --- Sentry ---------------------------------------------------------------------------------

FILTERED = "[filtré]"
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# Request headers that are kept (everything else, cookies and authorisation included, goes).
_KEPT_HEADERS = {"accept", "accept-language", "content-type", "content-length", "host", "user-agent",
                 "x-request-id", "x-forwarded-proto"}


def _scrub(value):
    """Remove email addresses from every string of a JSON-like value."""
    if isinstance(value, str):
        return _EMAIL.sub(FILTERED, value)
    if isinstance(value, dict):
        return {key: _scrub(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(item) for item in value]
    return value


def scrub_event(event, hint=None):
    """Sentry's before_send: what is sent about an error names no person.

    Goes: the request's body, cookies, query string and every header but a few technical ones; the
    user (even its id: an id joins the other data we hold); IP addresses; every email address left in
    messages, exception values, breadcrumbs and extra data. Added: the request id, to find the
    request's log lines."""
    request = event.get("request")
    if isinstance(request, dict):
        request.pop("data", None)
        request.pop("cookies", None)
        request.pop("env", None)
        if request.get("query_string"):
            request["query_string"] = FILTERED
        headers = request.get("headers") or {}
        request["headers"] = {name: value for name, value in headers.items() if name.lower() in _KEPT_HEADERS}
        if isinstance(request.get("url"), str):
            request["url"] = request["url"].split("?", 1)[0]
    event.pop("user", None)
    event = _scrub(event)
    request_id = current_request_id()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return event


def sentry_init(dsn: str, *, environment: str, release: str | None = None, traces_sample_rate: float = 0.0):
    """Report errors to Sentry (or a compatible server) without personal data."""
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        traces_sample_rate=traces_sample_rate,
        before_send=scrub_event,
        before_send_transaction=scrub_event,
    )
