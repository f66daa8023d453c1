"""The one helper that scopes queries to a mairie (a Wagtail Site)."""

from django.http import Http404
from wagtail.models import Site

from .models import Mairie


def mairie_for_request(request):
    """The mairie of the Site that answers this request (by hostname), or None."""
    if not hasattr(request, "_mairie_cache"):
        site = Site.find_for_request(request)
        request._mairie_cache = Mairie.objects.filter(site=site).select_related("site").first() if site else None
    return request._mairie_cache


def require_mairie(request):
    mairie = mairie_for_request(request)
    if mairie is None:
        raise Http404("No mairie answers at this address.")
    return mairie


def scoped(queryset, request, field="mairie"):
    """Restrict a queryset of participatory objects to the mairie of this request."""
    return queryset.filter(**{field: require_mairie(request)})
