"""Which mairie answers a request, and the one helper that scopes queries to it.

Every request asks which Site (and so which mairie) answers at its hostname, pages ask which mairie
they belong to, and the footer lists every mairie. Sites and mairies change rarely (an administrator
edits them), so these answers come from a directory kept in the cache under the page cache's
site-wide version, which a saved or deleted Site, Mairie or page changes (cms.cache): a request reads the
cache, not the database, and an edit shows at once (with Redis; with the local-memory cache, in the
process that made it at once and in the others within DIRECTORY_SECONDS).
"""

from django.db.models import Q
from django.http import Http404
from django.http.request import split_domain_port
from wagtail.models import Page, Site

from .cache import made_for, remember_all, set_request_mairie
from .models import Mairie

DIRECTORY_KEY = "platform:directory"
HOST_KEY = "platform:host:{hostname}:{port}"
DIRECTORY_SECONDS = 5  # as a cached page: with the local-memory cache, other processes see an edit within this time


def _directory_data():
    sites = {site.pk: site for site in Site.objects.all()}
    # Each site's home page as its specific type: Wagtail routes every request from it
    # (site.root_page.specific), which would otherwise cost a query per request.
    # With their translations (one home page per language, cms.i18n), in the same query.
    root_ids = [s.root_page_id for s in sites.values()]
    keys = Page.objects.filter(pk__in=root_ids).values("translation_key")
    found = list(Page.objects.filter(Q(pk__in=root_ids) | Q(translation_key__in=keys, live=True)).specific())
    roots = {page.pk: page for page in found if page.pk in root_ids}
    _attach_locale_roots(found)
    for site in sites.values():
        if site.root_page_id in roots:
            site.root_page = roots[site.root_page_id]
    mairies = list(Mairie.objects.all())
    for mairie in mairies:
        mairie.site = sites[mairie.site_id]  # the same Site objects, home page included
    return {"mairies": mairies, "by_site": {m.site_id: m for m in mairies}, "by_id": {m.pk: m for m in mairies},
            "sites": sites}


def _attach_locale_roots(homes):
    """Give each home page `_locale_roots`, {language code: the live home page of that language} of
    its mairie, so that `HomePage.localized` and the routing's fallback (cms.routing) need no query."""
    from .i18n import locale_code

    by_key = {}
    for page in homes:
        if page.live:
            by_key.setdefault(page.translation_key, {})[locale_code(page.locale_id)] = page
    for page in homes:
        page._locale_roots = by_key.get(page.translation_key, {})


def _directory_seconds():
    """DIRECTORY_SECONDS, or the MAIRIE_DIRECTORY_SECONDS setting (the test settings keep it longer
    than any test, so that counting one request's queries never depends on how long the test took)."""
    from django.conf import settings

    return getattr(settings, "MAIRIE_DIRECTORY_SECONDS", DIRECTORY_SECONDS)


def _directory(*extra):
    """The directory, and the values of `extra` ((key, compute) pairs) kept beside it, in one read."""
    values = remember_all({DIRECTORY_KEY: _directory_data, **dict(extra)}, seconds=_directory_seconds(), always=True,
                          platform=True)
    return values[DIRECTORY_KEY], [values[key] for key, _compute in extra]


def _lookup(request):
    """(site, mairie, directory) of this request's hostname."""
    hostname, port = split_domain_port(request._get_raw_host())[0], request.get_port()

    def site_id():
        site = Site._find_for_request(request)  # Wagtail's own matching (hostname, port, default site)
        return site.pk if site else None

    directory, (found,) = _directory((HOST_KEY.format(hostname=hostname, port=port), site_id))
    return directory["sites"].get(found), directory["by_site"].get(found), directory


def _resolve(request):
    if not hasattr(request, "_mairie_cache"):
        site, mairie, directory = _lookup(request)
        request._wagtail_site = site  # what Wagtail's Site.find_for_request returns from now on
        request._mairie_cache = mairie
        request._mairie_directory = directory
    return request._mairie_cache


class MairieMiddleware:
    """Resolve the Site and mairie of each request from the directory before its view (and Wagtail)
    asks; views marked `mairie_exempt` (the benchmarks' bare view) are left alone. What the view
    remembers in the page cache is made for that mairie (cms.cache.made_for)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with made_for(None):
            return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "mairie_exempt", False):
            mairie = _resolve(request)
            set_request_mairie(mairie.pk if mairie is not None else None)


def mairie_exempt(view):
    """This view needs no mairie: MairieMiddleware does not look it up."""
    view.mairie_exempt = True
    return view


def mairie_for_request(request):
    """The mairie of the Site that answers this request (by hostname), or None."""
    return _resolve(request)


def all_mairies(request):
    """Every mairie of the platform, with its site, in arrondissement order."""
    _resolve(request)
    return request._mairie_directory["mairies"]


def mairie_for_page(page):
    """The mairie whose site contains this page (its home page is the page or an ancestor), or None."""
    parts = page.get_url_parts() if page is not None and page.path else None
    if not parts:
        return None
    return _directory()[0]["by_site"].get(parts[0])


def attach_mairie(obj):
    """Give `obj` (anything with a `mairie` foreign key) its Mairie from the directory, so that
    reading `obj.mairie` costs no query. Returns obj."""
    if obj is not None and obj.mairie_id is not None and not obj._state.fields_cache.get("mairie"):
        mairie = _directory()[0]["by_id"].get(obj.mairie_id)
        if mairie is not None:
            obj.mairie = mairie
    return obj


def require_mairie(request):
    mairie = mairie_for_request(request)
    if mairie is None:
        raise Http404("No mairie answers at this address.")
    return mairie


def scoped(queryset, request, field="mairie"):
    """Restrict a queryset of participatory objects to the mairie of this request."""
    return queryset.filter(**{field: require_mairie(request)})
