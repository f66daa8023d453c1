"""The open data catalogue in the API: the datasets of the request's mairie (cms.opendata), with
their licence, columns, last update, row count and the links to their CSV and JSON files."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.reverse import reverse

from cms import opendata
from cms.mairies import require_mairie


class OpenDataColumn(serializers.Serializer):
    name = serializers.CharField()
    type = serializers.CharField(help_text="string | integer | date | datetime")
    description = serializers.CharField()


class OpenDataDataset(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    row_count = serializers.IntegerField()
    last_update = serializers.CharField(allow_null=True)
    csv = serializers.URLField()
    json = serializers.URLField()
    columns = OpenDataColumn(many=True)


class OpenDataCatalogue(serializers.Serializer):
    licence = serializers.DictField(child=serializers.CharField())
    source = serializers.DictField(child=serializers.CharField())
    datasets = OpenDataDataset(many=True)


@extend_schema(responses={200: OpenDataCatalogue}, tags=["opendata"])
@api_view(["GET"])
@permission_classes([AllowAny])
def catalogue(request):
    """The open data of this mairie (Licence Ouverte 2.0): every dataset with its files."""
    mairie = require_mairie(request)
    datasets = []
    for table in opendata.tables_for(mairie):
        ds = table.dataset
        datasets.append({
            "key": ds.key, "title": str(ds.title), "description": str(ds.description), "row_count": len(table.rows),
            "last_update": opendata.cell(table.last_update),
            "csv": reverse("opendata-csv", args=[ds.key], request=request),
            "json": reverse("opendata-json", args=[ds.key], request=request),
            "columns": [{"name": c.name, "type": c.type, "description": str(c.description)} for c in ds.columns],
        })
    return Response({"licence": opendata.LICENCE,
                     "source": {"publisher": mairie.name, "mairie": mairie.slug,
                                "url": reverse("opendata", request=request)},
                     "datasets": datasets})
