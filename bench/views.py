from django.db import transaction
from django.http import HttpResponse

from cms.mairies import mairie_exempt


@mairie_exempt
@transaction.non_atomic_requests  # not even a savepoint when a transaction is already open (tests)
def bare(request):
    """No database, no template: the ceiling the benchmarks compare every page against."""
    return HttpResponse(b"ok", content_type="text/plain")
