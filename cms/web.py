"""The HTML twin of cms/api/errors.py: how an HTML view calls a service and shows its refusal.

A service refuses with a `ServiceError` (a message and a status) or a Django `ValidationError`
(field messages). An HTML view either puts that refusal on its form (`attempt(..., form=form)`,
then renders the form again with `form_status`) or, for a button, shows it as a message and
goes back (`act`). Every "go back" goes through `safe_next`: a `next` on this host only
(and HTTPS only when the request is), else the view's default.
"""

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

from cms.errors import ServiceError


def safe_next(request, default: str = "/") -> str:
    """The `next` the form sent (POST, then GET) when it stays on this host; else `default`."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


def refusal_text(exc: ServiceError | ValidationError) -> str:
    """One sentence for a flash message."""
    if isinstance(exc, ServiceError):
        return str(exc.message)
    return " ".join(str(m) for m in exc.messages)


def refusal_status(exc: ServiceError | ValidationError) -> int:
    return exc.status_code if isinstance(exc, ServiceError) else 400


def put_on_form(form, exc: ServiceError | ValidationError, *, fields: Mapping[str, str | None] = ()) -> None:
    """Put a refusal on the form: each field's messages next to that field (`fields` renames a
    service field to a form field, or to None for the whole form), the rest above the form."""
    fields = dict(fields)
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = fields.get(field, field)
            form.add_error(target if target in form.fields else None, errors)
    else:  # a ValidationError's messages stay apart, one error each
        form.add_error(None, exc.messages if isinstance(exc, ValidationError) else refusal_text(exc))


def form_status(*forms) -> int:
    """400 when a posted form (or formset) has errors, else 200."""
    return 400 if any(f.is_bound and not f.is_valid() for f in forms if f is not None) else 200


@dataclass(frozen=True)
class Outcome:
    ok: bool
    value: Any = None
    status: int = 200  # the refusal's status when not ok

    def __bool__(self):
        return self.ok


def attempt(request, action: Callable[[], Any], *, success: str | Callable[[Any], str] | None = None,
            form=None, fields: Mapping[str, str | None] = ()) -> Outcome:
    """Call `action()` (a service call). Done: flash `success` (text, or a function of the result).
    Refused: put the refusal on `form` when there is one, else flash it."""
    try:
        value = action()
    except (ServiceError, ValidationError) as exc:
        if form is not None:
            put_on_form(form, exc, fields=fields)
        else:
            messages.error(request, refusal_text(exc))
        return Outcome(ok=False, status=refusal_status(exc))
    if success:
        messages.success(request, success(value) if callable(success) else success)
    return Outcome(ok=True, value=value)


def act(request, action: Callable[[], Any], *, success: str | Callable[[Any], str] | None = None,
        default: str = "/", done: str | Callable[[Any], str] | None = None) -> HttpResponseRedirect:
    """A button's POST: run the service, flash what happened, and go back to `safe_next`
    (`done`, text or a function of the result, replaces `default` when the action succeeded)."""
    outcome = attempt(request, action, success=success)
    if outcome.ok and done is not None:
        default = done(outcome.value) if callable(done) else done
    return HttpResponseRedirect(safe_next(request, default))


def button(view):
    """A button's view: POST only (404 otherwise), logged in (else the login page, back here)."""
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method != "POST":
            raise Http404
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)
    return wrapped


class LoginNeeded(Exception):
    """Raised by a view's own check when the visitor must log in first; `login_first` answers it."""


def require_user(request, allowed: Callable[[Any], bool] | None = None):
    """The logged-in user (else LoginNeeded: `login_first` sends the visitor to the login page), allowed by
    `allowed(user)` when given (else 403)."""
    if not request.user.is_authenticated:
        raise LoginNeeded
    if allowed is not None and not allowed(request.user):
        raise PermissionDenied
    return request.user


def require_mairie_role(request, allowed: Callable[[Any, Any], bool]):
    """The request's mairie, for a logged-in user allowed by `allowed(user, mairie)` (a role of that mairie):
    else the login page (LoginNeeded) or 403."""
    from cms.mairies import require_mairie

    mairie = require_mairie(request)
    require_user(request, lambda user: allowed(user, mairie))
    return mairie


def login_first(view):
    """A view whose checks may raise LoginNeeded: the visitor goes to the login page, and back here."""
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except LoginNeeded:
            return redirect_to_login(request.get_full_path())
    return wrapped


def with_form_status(view):
    """A view of a library (django-allauth) that renders its form again, with a 200, when the form has
    errors: the project's 400 instead (`form_status`), so that a client and a test tell a refusal from
    a page."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        form = (getattr(response, "context_data", None) or {}).get("form")
        if request.method == "POST" and response.status_code == 200 and form is not None and form.is_bound:
            response.status_code = form_status(form)
        return response

    return wrapped
