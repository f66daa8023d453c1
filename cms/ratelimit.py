"""Rate limits for the HTML doors (sign-up, login, password reset, support, comment, report,
complaint, search): a fixed window counted in the cache, so it works on the local-memory cache
of a laptop and on Redis in production alike (django-ratelimit refuses local memory).

Limits live in settings.RATELIMITS ({"signup": "5/h", ...}, each overridable by the environment
variable RATELIMIT_<SCOPE>). Over the limit the view answers 429 with a French message and a
Retry-After header: an HTML page, or JSON under /api/.

    from cms.ratelimit import ratelimit

    @ratelimit("comment")                          # POSTs, counted per user (per address if anonymous)
    def comment(request): ...

    ratelimit("login", key="ip")(LoginView.as_view())   # in a URLconf
    ratelimit("search", methods=("GET",))(search_view)

Services and API views can call `enforce(request, "scope")`, which raises cms.errors.TooMany
(429 with Retry-After through the API's exception handler).
"""

import functools
import hashlib
import math
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .errors import TooMany

_UNITS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([a-z]+)\s*$")


def parse_rate(rate: str) -> tuple[int, int]:
    """'5/h' -> (5, 3600); '10/15min' -> (10, 900). Raises ValueError on anything else."""
    match = _RATE.match(rate or "")
    if not match or match.group(3) not in _UNITS:
        raise ValueError(f"Invalid rate {rate!r}: use N/period with s, min, h or d (e.g. '5/h', '10/15min').")
    count, multiple, unit = int(match.group(1)), int(match.group(2) or 1), match.group(3)
    return count, multiple * _UNITS[unit]


def rate_for(scope: str) -> tuple[int, int] | None:
    rate = settings.RATELIMITS.get(scope)
    return parse_rate(rate) if rate else None


def client_ip(request) -> str:
    """The client's address. Behind N trusted proxies (RATELIMIT_PROXY_COUNT), the N-th address
    from the right of X-Forwarded-For; never a value the client alone can choose."""
    proxies = settings.RATELIMIT_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def account_and_address(request) -> str:
    """Key of the login limit: the address and the username tried (hashed: any length, any
    character), so that one account's brute force does not stop the others at a shared address."""
    username = str(request.POST.get("login") or request.POST.get("username", "")).strip().lower()
    digest = hashlib.sha256(username.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"ip{client_ip(request)}:a{digest}"


def _key_for(request, key) -> str:
    if callable(key):
        return str(key(request))
    user = getattr(request, "user", None)
    authenticated = user is not None and user.is_authenticated
    if authenticated and key in ("user", "user_or_ip"):
        return f"u{user.pk}"
    return f"ip{client_ip(request)}"


def hit(scope: str, ident: str) -> int | None:
    """Count one hit; return None when allowed, or the seconds to wait when over the limit."""
    if not settings.RATELIMIT_ENABLED:
        return None
    rate = rate_for(scope)
    if rate is None:
        return None
    limit, period = rate
    now = time.time()
    window = int(now // period)
    cache_key = f"rl:{scope}:{ident}:{window}"
    cache.add(cache_key, 0, timeout=period + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=period + 1)
        count = 1
    if count <= limit:
        return None
    return max(1, math.ceil((window + 1) * period - now))


def enforce(request, scope: str, key="user_or_ip"):
    """Count this request in `scope`; raise TooMany (429) past the limit."""
    wait = hit(scope, _key_for(request, key))
    if wait is not None:
        raise TooMany(too_many_message(wait), retry_after=wait)


def too_many_message(wait: int) -> str:
    if wait >= 3600:
        hours = math.ceil(wait / 3600)
        delay = ngettext("%(n)d heure", "%(n)d heures", hours) % {"n": hours}
    elif wait >= 60:
        minutes = math.ceil(wait / 60)
        delay = ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    else:
        delay = ngettext("%(n)d seconde", "%(n)d secondes", wait) % {"n": wait}
    return _("Trop de tentatives en peu de temps. Par sécurité, réessayez dans %(delay)s.") % {"delay": delay}


def too_many_response(request, wait: int, message: str | None = None):
    message = message or too_many_message(wait)
    if request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", ""):
        response = JsonResponse({"detail": message, "code": "throttled"}, status=429)
    else:
        response = render(request, "security/too_many.html", {"message": message}, status=429)
    response["Retry-After"] = str(wait)
    return response


def ratelimit(scope: str, *, key="user_or_ip", methods=("POST",)):
    """Limit a view: `key` is "ip", "user", "user_or_ip" or a callable(request) -> str;
    only requests whose method is in `methods` count."""
    parse_rate(settings.RATELIMITS.get(scope) or "1/s")  # fail early on a bad setting

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                wait = hit(scope, _key_for(request, key))
                if wait is not None:
                    return too_many_response(request, wait)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
