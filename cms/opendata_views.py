"""The open data page (/donnees-ouvertes/) and its files: every dataset of the request's mairie
(cms.opendata), in CSV and JSON, with the charts drawn from the same rows (cms.charts).

The files are public and the same for everyone: `Cache-Control: public`, a weak ETag of their
rows (a repeated request with If-None-Match gets 304 while the data is unchanged) and an open
CORS header.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.cache import get_conditional_response
from django.views.decorators.http import require_GET

from . import opendata
from .mairies import require_mairie

FILE_MAX_AGE = 300  # seconds: the figures move slowly (a vote closes, a decision is published)


def _urls(request, key) -> dict:
    return {"csv": request.build_absolute_uri(reverse("opendata-csv", args=[key])),
            "json": request.build_absolute_uri(reverse("opendata-json", args=[key]))}


@require_GET
def index(request):
    mairie = require_mairie(request)
    tables = opendata.tables_for(mairie)
    entries = [{"table": table, "dataset": table.dataset, "count": len(table.rows), "last_update": table.last_update,
                "urls": _urls(request, table.dataset.key), "charts": table.charts()} for table in tables]
    return render(request, "cms/opendata.html", {
        "mairie": mairie, "entries": entries, "licence": opendata.LICENCE, "licence_label": opendata.LICENCE_LABEL,
        "catalogue_url": reverse("api-opendata")})


def _table(request, key):
    mairie = require_mairie(request)
    dataset = opendata.dataset(key)
    if dataset is None:
        raise Http404("No such dataset.")
    return opendata.build(dataset, mairie)


def _file(request, table, fmt: str, body, content_type: str, disposition: str):
    """`body()` is built only when the client's copy is stale: the ETag is weak, computed from the
    rows (the JSON's generated_at changes on each request, the data does not)."""
    etag = f'W/"{opendata.fingerprint(table, fmt)}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(body(), content_type=content_type)
        response["Content-Disposition"] = disposition
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={FILE_MAX_AGE}"
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    return response


@require_GET
def csv_file(request, key):
    table = _table(request, key)
    return _file(request, table, "csv", lambda: opendata.as_csv(table), "text/csv; charset=utf-8",
                 f'attachment; filename="{opendata.file_name(table, "csv")}"')


@require_GET
def json_file(request, key):
    table = _table(request, key)

    def body():
        payload = opendata.as_json(table, source_url=request.build_absolute_uri(reverse("opendata")),
                                   urls=_urls(request, key))
        return opendata.json_bytes(payload)

    return _file(request, table, "json", body, "application/json",
                 f'inline; filename="{opendata.file_name(table, "json")}"')


urlpatterns = [
    path("", index, name="opendata"),
    path("<slug:key>.csv", csv_file, name="opendata-csv"),
    path("<slug:key>.json", json_file, name="opendata-json"),
]
