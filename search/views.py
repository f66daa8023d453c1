"""The search page (/recherche/): a GET form, results, facets, pagination; works without JavaScript."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.mairies import mairie_for_request

from . import selectors
from .forms import SearchForm
from .query import FACETS, SearchQuery

FACET_TITLES = {"type": gettext_lazy("Type de contenu"), "tags": gettext_lazy("Mots-clés"),
                "quartier": gettext_lazy("Quartier"), "status": gettext_lazy("Statut")}
FACET_PARAMS = {"type": "type", "tags": "tag", "quartier": "quartier", "status": "status"}


def _url(request, drop=(), **changes):
    """This page's URL with some parameters changed (None removes one), page reset unless given."""
    params = request.GET.copy()
    params.pop("page", None)
    for key in drop:
        params.pop(key, None)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        elif isinstance(value, list | tuple):
            params.setlist(key, list(value))
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


def _facet_groups(request, results, query: SearchQuery, mairie):
    labels = {
        "type": selectors.type_labels(),
        "quartier": selectors.quartier_labels(list(results.facets["quartier"]) + list(query.quartiers), mairie),
    }
    selected = {"type": query.types, "tags": query.tags, "quartier": query.quartiers, "status": query.statuses}
    groups = []
    for name in FACETS:
        counts = dict(results.facets[name])
        for value in selected[name]:
            counts.setdefault(value, 0)
        if not counts:
            continue
        options = []
        for value, count in counts.items():
            if name == "status":
                label = selectors.status_label(value)
            else:
                label = labels.get(name, {}).get(value, value)
            options.append({"value": value, "label": label, "count": count, "checked": value in selected[name],
                            "id": f"facet-{name}-{len(options)}"})
        groups.append({"name": name, "param": FACET_PARAMS[name], "title": FACET_TITLES[name],
                       "options": options})
    return groups


def _active_filters(request, query: SearchQuery, mairie):
    type_labels = selectors.type_labels()
    quartiers = selectors.quartier_labels(query.quartiers, mairie)
    active = []
    for param, values, label_of in (
        ("type", query.types, lambda v: type_labels.get(v, v)),
        ("tag", query.tags, lambda v: v),
        ("quartier", query.quartiers, lambda v: quartiers.get(v, v)),
        ("status", query.statuses, selectors.status_label),
    ):
        for value in values:
            remaining = [v for v in values if v != value]
            active.append({"label": label_of(value), "url": _url(request, **{param: remaining or None})})
    return active


def _pages(request, results):
    current, last = results.query.page, results.num_pages
    numbers = sorted({1, last, *range(max(1, current - 2), min(last, current + 2) + 1)})
    pages, previous = [], 0
    for number in numbers:
        if number - previous > 1:
            pages.append({"gap": True})
        pages.append({"number": number, "url": _url(request, page=str(number)), "current": number == current})
        previous = number
    return {
        "pages": pages,
        "previous": _url(request, page=str(current - 1)) if current > 1 else None,
        "next": _url(request, page=str(current + 1)) if current < last else None,
    }


def _start_page(request, context, mairie):
    """No words, no filter: the search box and what there is to browse, by type."""
    labels = selectors.type_labels()
    counts = selectors.search_type_counts(user=request.user, mairie=mairie)
    context["browse"] = [{"value": key, "label": labels.get(key, key), "count": n,
                          "url": _url(request, type=key)} for key, n in counts.items()]
    context["start"] = True
    return render(request, "search/search.html", context)


def search_page(request):
    mairie = mairie_for_request(request)
    form = SearchForm(request.GET or None)
    context = {"form": form, "mairie": mairie, "type_labels": selectors.type_labels()}
    status = 200
    if request.GET and not form.is_valid():
        context["errors"] = [error for errors in form.errors.values() for error in errors]
        return render(request, "search/search.html", context, status=400)
    query = form.to_query() if request.GET else SearchQuery()
    try:
        if not (query.text or query.has_filters):
            return _start_page(request, context, mairie)
        results = selectors.search_results(user=request.user, mairie=mairie, query=query)
    except selectors.SearchUnavailable as exc:
        context["errors"] = [exc.message]
        return render(request, "search/search.html", context, status=exc.status_code)
    context.update({"query": query, "results": results})
    if not results.page_exists:
        context["errors"] = [_("Cette page de résultats n'existe pas : la recherche en compte %(n)d.")
                             % {"n": results.num_pages}]
        context["first_page_url"] = _url(request)
        status = 400
    context.update({
        "facet_groups": _facet_groups(request, results, query, mairie),
        "active_filters": _active_filters(request, query, mairie),
        "clear_filters_url": _url(request, drop=("type", "tag", "quartier", "status")),
        "pagination": _pages(request, results) if results.num_pages > 1 else None,
        "did_you_mean": [{"text": s, "url": _url(request, q=s)} for s in results.suggestions],
        "first_rank": query.offset + 1,
    })
    return render(request, "search/search.html", context, status=status)
