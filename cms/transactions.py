"""Writes in a transaction, reads without one.

`ATOMIC_REQUESTS` is off (cms.settings.base): it would run every view in a transaction, the reads
too, and a read needs none. On SQLite that is costly: the connection opens its transactions with
BEGIN IMMEDIATE (so that two writers queue on the busy timeout instead of failing), which takes the
database's write lock, so every page view of every process would wait in one line behind the
others; on PostgreSQL it costs the BEGIN and COMMIT round trips of each read.

What stays true is "an error in the middle of a request leaves no partial write". Every service
function opens its own `transaction.atomic`; and the URLconf (cms/urls.py) decorates every view with
`atomic_writes`, Django's `transaction.atomic` for the requests of a writing method (POST, PUT,
PATCH, DELETE...): the view runs in one transaction, rolled back when it raises, before Django
renders the error page, as under ATOMIC_REQUESTS. The API's error handler marks that transaction for
rollback when it turns an error into a 4xx (`rollback_if_writing`, as DRF does under
ATOMIC_REQUESTS). GET, HEAD and OPTIONS run in autocommit.
"""

from functools import wraps

from django.db import transaction

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def atomic_writes(view):
    """The view in `transaction.atomic()` for writing methods; as is for reads."""
    if getattr(view, "atomic_writes", False):
        return view

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method in READ_METHODS:
            return view(request, *args, **kwargs)
        with transaction.atomic():
            request.in_write_transaction = True
            try:
                return view(request, *args, **kwargs)
            finally:
                request.in_write_transaction = False

    wrapped.atomic_writes = True
    return wrapped


def rollback_if_writing(request) -> None:
    """Undo what this request wrote so far: its transaction ends without a commit."""
    if getattr(request, "in_write_transaction", False):
        transaction.set_rollback(True)
