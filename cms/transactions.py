"""ATOMIC_REQUESTS for the requests that may write, not for the reads.

With ATOMIC_REQUESTS Django runs every view in a transaction, so that an error in the middle of a
request leaves no partial write. A read needs no such transaction, and on SQLite it is costly: the
connection opens its transactions with BEGIN IMMEDIATE (so that two writers queue on the busy timeout
instead of failing), which takes the database's write lock, so every page view of every process
would wait in one line behind the others (measured: logged-in pages did not go faster with 8 clients
than with 1). On PostgreSQL it saves the BEGIN and COMMIT round trips of each read.

So GET, HEAD and OPTIONS requests run in autocommit, and every other method keeps the whole-view
transaction. (A read that arrives inside a transaction already open, as in a test, still gets its
savepoint.) A read that writes several rows on purpose does it in a service function with its own
`transaction.atomic`, as every service of the platform does.
"""

from django.core.handlers.base import BaseHandler
from django.db import connection

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def atomic_writes_only():
    """Make Django's handlers (WSGI, ASGI and the test client alike) wrap views in a transaction
    for writing methods only. Idempotent."""
    if getattr(BaseHandler.make_view_atomic, "writes_only", False):
        return
    make_view_atomic = BaseHandler.make_view_atomic

    def make_writes_atomic(self, view):
        atomic_view = make_view_atomic(self, view)
        if atomic_view is view:
            return view

        def view_by_method(request, *args, **kwargs):
            if request.method in READ_METHODS and not connection.in_atomic_block:
                return view(request, *args, **kwargs)
            # A write; or a read inside a transaction already open (a test's): a savepoint, so that
            # an error handled in the view (DRF marks the transaction for rollback) stays in it.
            return atomic_view(request, *args, **kwargs)

        return view_by_method

    make_writes_atomic.writes_only = True
    BaseHandler.make_view_atomic = make_writes_atomic
