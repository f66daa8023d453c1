"""Whole-page cache for anonymous visitors.

A public HTML page that an anonymous visitor asks for with GET is stored whole after its first
render, keyed by scheme, host, path, query string and language, and the next anonymous visitors
get it without running the view. What makes this safe:

- Only requests that carry no session cookie, no messages cookie and no Authorization header are
  served from or stored in the cache: a logged-in person always has a session cookie, so their
  pages are always rendered for them and never stored (an anonymous session is rare and simply
  not cached).
- A response is stored only if it is a 200 text/html page, sets no cookie, says nothing against
  caching (Cache-Control private/no-store/no-cache), was rendered for an anonymous user with no
  flash message, did not change the session and used no CSP nonce.
- CSRF tokens are never stored: every masked token of the request's secret in the page (forms,
  the footer's language switch) is replaced by a placeholder, and each visitor served from the
  cache gets a fresh token of their own (and the CSRF cookie that goes with it).

Freshness: every entry lives PAGE_CACHE_SECONDS (5 s by default: a support count or a new
comment shows at most that late), and versions stored in the cache are changed on events that
must show at once. The platform-wide version: a Wagtail page saved, published, unpublished, moved
or deleted, a mairie or site edited. Each mairie's own version: the new rows of the models its apps
name with `renew_on_create` (the participation engine's audit log: moderation hide/restore,
automatic hiding after reports, status decisions), which renew the version of the row's mairie
only (the platform-wide one when the row has no mairie). A page, a value or a fragment is kept
under the platform-wide version and the version of the mairie it was made for (the request's).
With Redis (REDIS_URL) the versions are shared by every app server; with the local-memory cache
each process has its own, so a change made through one process reaches the others' cached pages
within PAGE_CACHE_SECONDS.

Settings: PAGE_CACHE_ALIAS (the cache that holds pages, "pages"; when CACHES has no such alias, as
in the test settings, the page cache is off), PAGE_CACHE_SECONDS (0 turns it off too),
PAGE_CACHE_EXCLUDE (path prefixes never cached). Views opt out with `@no_page_cache`.
"""

import hashlib
import re
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.core.cache import caches

from cms.db_router import primary_reads

VERSION_KEY = "pagecache:version"
MAIRIE_VERSION_KEY = "pagecache:version:mairie:{pk}"
CACHE_HEADER = "X-Page-Cache"
TOKEN_PLACEHOLDER = b"__PAGE_CACHE_CSRF_TOKEN_PLACEHOLDER__"
DEFAULT_EXCLUDE = ("/admin/", "/api/", "/compte/", "/documents/", "/django-admin/", "/i18n/", "/cms-preview/")
# Response headers that depend on the request and are set again by the middleware around this one.
_DROPPED_HEADERS = {"content-length", "set-cookie"}
_SAFE_VARY = {"cookie", "accept-language", "accept-encoding"}
_NO_STORE = ("private", "no-store", "no-cache", "max-age=0")
_TOKEN_RE = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")


def _settings():
    """(seconds, alias, excluded prefixes); seconds is 0 (off) when the cache alias is not configured."""
    alias = settings.PAGE_CACHE_ALIAS
    seconds = settings.PAGE_CACHE_SECONDS if alias in settings.CACHES else 0
    return seconds, alias, tuple(getattr(settings, "PAGE_CACHE_EXCLUDE", DEFAULT_EXCLUDE))


def page_cache():
    alias = settings.PAGE_CACHE_ALIAS
    return caches[alias if alias in settings.CACHES else "default"]


# --- invalidation -----------------------------------------------------------------------------


def _current(cache, key):
    version = cache.get(key)
    if version is None:
        # A fresh random value, never a counter: if the key is evicted, old entries (stored under
        # another value) can never match again.
        cache.add(key, uuid.uuid4().hex, None)
        version = cache.get(key)
    return version


def current_version(cache=None):
    """The platform-wide version."""
    return _current(cache or page_cache(), VERSION_KEY)


def _mairie_key(mairie_id):
    return MAIRIE_VERSION_KEY.format(pk=mairie_id)


def _version(cache, found, mairie_id):
    """The version an entry made for `mairie_id` (None: for no mairie) must carry to be fresh;
    `found` holds the versions already read."""
    version = found.get(VERSION_KEY) or current_version(cache)
    if mairie_id is None:
        return version
    key = _mairie_key(mairie_id)
    return f"{version}:{found.get(key) or _current(cache, key)}"


def invalidate_all(**_ignored):
    """Make every cached page stale at once (cheap: one cache write)."""
    page_cache().set(VERSION_KEY, uuid.uuid4().hex, None)


def invalidate_mairie(mairie_id):
    """Make the pages, values and fragments made for one mairie stale (every one's when None)."""
    if mairie_id is None:
        invalidate_all()
    else:
        page_cache().set(_mairie_key(mairie_id), uuid.uuid4().hex, None)


def renew_on_create(model, *, mairie_id=lambda instance: getattr(instance, "mairie_id", None)):
    """A new row of `model` must show at once on cached pages: it renews the version of its mairie
    (`mairie_id(instance)`; the platform-wide version when that is None). Apps call this from
    their AppConfig.ready() for the models they own."""
    from django.db.models.signals import post_save

    def on_save(sender, instance, created=False, **kwargs):
        if created:
            invalidate_mairie(mairie_id(instance))

    post_save.connect(on_save, sender=model, weak=False, dispatch_uid=f"pagecache-created-{model._meta.label}")


_connected = False


def connect_signals():
    """Invalidate on the platform's events whose effect must show at once. Idempotent."""
    global _connected
    if _connected:
        return
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import PageViewRestriction, Site, get_page_models
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from cms.models import Mairie

    page_published.connect(invalidate_all, dispatch_uid="pagecache-published")
    page_unpublished.connect(invalidate_all, dispatch_uid="pagecache-unpublished")
    post_page_move.connect(invalidate_all, dispatch_uid="pagecache-moved")
    # A page row saved without being published (a draft saved, an alias made, a field written by
    # code) or deleted: the mairie directory holds the sites' home pages and the route tables their paths.
    # Every page type is loaded when the apps are ready; the signal's sender is the row's own class.
    for model in (Mairie, Site, PageViewRestriction, *get_page_models()):
        post_save.connect(invalidate_all, sender=model, dispatch_uid=f"pagecache-save-{model._meta.label}")
        post_delete.connect(invalidate_all, sender=model, dispatch_uid=f"pagecache-delete-{model._meta.label}")
    _connected = True


# --- the mairie a request is made for ------------------------------------------------------------


_request_mairie: ContextVar[int | None] = ContextVar("pagecache_request_mairie", default=None)


@contextmanager
def made_for(mairie_id):
    """What is remembered inside this block is made for `mairie_id` (None: for no mairie): kept
    under that mairie's version too. cms.mairies.MairieMiddleware opens it around each view."""
    token = _request_mairie.set(mairie_id)
    try:
        yield
    finally:
        _request_mairie.reset(token)


def set_request_mairie(mairie_id):
    """Inside `made_for()`: the request's mairie, once known."""
    _request_mairie.set(mairie_id)


# --- values and fragments shared by every visitor ----------------------------------------------


def sharing_on() -> bool:
    """Whether values and fragments are kept at all (the page cache is on)."""
    return _settings()[0] > 0


def remember(key, compute, seconds=None):
    """`compute()`, kept in the page cache for PAGE_CACHE_SECONDS (or `seconds`) under the
    platform-wide version and the version of the request's mairie: the same freshness as a cached
    anonymous page. Computed each time when the page cache is off (as in the test settings, where
    every write must show at once)."""
    return remember_all({key: compute}, seconds)[key]


def remember_all(computes, seconds=None, always=False, platform=False):
    """{key: value} for several keys in one read of the cache, each value `computes[key]()` kept as
    remember() keeps it (one copy per mairie). `always`: kept even when the page cache is off, for
    values that change only with the version; `platform`: one copy for every mairie, under the
    platform-wide version alone (the mairie directory)."""
    ttl, _alias, _excluded = _settings()
    if ttl <= 0 and not always:
        return {key: compute() for key, compute in computes.items()}
    mairie_id = None if platform else _request_mairie.get()
    stored = {key: key if mairie_id is None else f"{key}@mairie:{mairie_id}" for key in computes}
    store = page_cache()
    versions = [VERSION_KEY] if mairie_id is None else [VERSION_KEY, _mairie_key(mairie_id)]
    found = store.get_many([*versions, *stored.values()])
    version = _version(store, found, mairie_id)
    values, fresh = {}, {}
    for key, compute in computes.items():
        entry = found.get(stored[key])
        if entry is None or entry[0] != version:
            with primary_reads():  # shared under this version: as fresh as it (cms/db_router.py)
                entry = fresh[stored[key]] = (version, compute())
        values[key] = entry[1]
    if fresh:
        store.set_many(fresh, seconds or ttl)
    return values


# --- opting out -----------------------------------------------------------------------------


def no_page_cache(view):
    """Never store this view's responses in the anonymous page cache."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.page_cache_exempt = True
        return response

    return wrapped


# --- the middleware ---------------------------------------------------------------------------


def _key(request, host):
    raw = "|".join((request.scheme, host, request.get_full_path(),
                    getattr(request, "LANGUAGE_CODE", "") or ""))
    return "pagecache:page:" + hashlib.sha256(raw.encode()).hexdigest()


def _eligible_request(request, exclude):
    if request.method != "GET" or "HTTP_AUTHORIZATION" in request.META:
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    return not request.path_info.startswith(exclude)


def _strip_tokens(request, content):
    """Replace every masked CSRF token of this request's secret by the placeholder.

    Returns the new content, or None when a token remains that could not be replaced."""
    from django.middleware.csrf import _unmask_cipher_token

    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return None

    def replace(match):
        token = match.group(0)
        try:
            if _unmask_cipher_token(token.decode()) == secret:
                return TOKEN_PLACEHOLDER
        except Exception:  # noqa: BLE001 - anything that is not a token is left alone
            return token
        return token

    return _TOKEN_RE.sub(replace, content)


def _storable(request, response):
    if response.status_code != 200 or response.streaming or getattr(response, "page_cache_exempt", False):
        return False
    if not response.get("Content-Type", "").startswith("text/html") or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in _NO_STORE):
        return False
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    if vary - _SAFE_VARY:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    storage = getattr(request, "_messages", None)
    if storage is not None and (getattr(storage, "_queued_messages", None) or getattr(storage, "_loaded_data", None)):
        return False
    return not isinstance(getattr(request, "_csp_nonce", None), str)


class PageCacheMiddleware:
    """Serve anonymous GETs of public pages from the cache (see the module docstring).

    Keep it at the end of MIDDLEWARE, after every middleware that adds headers or cookies: they
    then still run around a cached response (security headers and CSP, CSRF cookie, language
    headers), exactly as around a rendered one."""

    def __init__(self, get_response):
        self.get_response = get_response
        # hostname -> the mairie its last page was made for, so that one read of the cache brings
        # that mairie's version with the page (checked against the entry, read again if it differs).
        self._host_mairies = {}
        connect_signals()

    def __call__(self, request):
        seconds, _alias, exclude = _settings()
        if seconds <= 0 or not _eligible_request(request, exclude):
            response = self.get_response(request)
            response[CACHE_HEADER] = "bypass"
            return response
        cache = page_cache()
        host = request.get_host()  # validated against ALLOWED_HOSTS once, for the key and the mairie guess
        key = _key(request, host)
        guess = self._host_mairies.get(host)
        found = cache.get_many([VERSION_KEY, key, *([_mairie_key(guess)] if guess is not None else [])])
        entry = found.get(key)
        if entry is not None and entry[0] == _version(cache, found, entry[1]):
            return self._from_entry(request, entry)
        with primary_reads():  # a page shared with every visitor is made from the primary (cms/db_router.py)
            response = self.get_response(request)
        mairie = getattr(request, "_mairie_cache", None)  # cms.mairies: the mairie the page was made for
        mairie_id = mairie.pk if mairie is not None else None
        if len(self._host_mairies) > 1000:  # hostnames are few (ALLOWED_HOSTS); never let it grow
            self._host_mairies.clear()
        self._host_mairies[host] = mairie_id
        self._store(request, response, cache, key, _version(cache, found, mairie_id), mairie_id, seconds)
        return response

    def _store(self, request, response, cache, key, version, mairie_id, seconds):
        response[CACHE_HEADER] = "miss"
        if not _storable(request, response):
            return
        content = response.content
        used_token = bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
        if used_token:
            content = _strip_tokens(request, content)
            if content is None:
                return
        headers = [(k, v) for k, v in response.items() if k.lower() not in _DROPPED_HEADERS and k != CACHE_HEADER]
        cache.set(key, (version, mairie_id, response.status_code, headers, content, used_token), seconds)

    @staticmethod
    def _from_entry(request, entry):
        from django.http import HttpResponse
        from django.middleware.csrf import get_token

        _version, _mairie_id, status, headers, content, used_token = entry
        if used_token:
            token = get_token(request).encode()  # also sends this visitor's CSRF cookie
            content = content.replace(TOKEN_PLACEHOLDER, token)
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response[CACHE_HEADER] = "hit"
        return response
