"""Real concurrency for the tests that prove an invariant holds under it (PostgreSQL, transactional tests): calls
released together by a barrier, each in its own thread and database connection."""

import json
import threading
import urllib.error
import urllib.request

from django.db import connection, transaction


def race(calls, *, atomic=False):
    """Run the calls at the same moment, each in its own thread and connection (and, with `atomic`, its own
    transaction); return what each one returned or raised, in the order of the calls."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait(timeout=30)
            if atomic:
                with transaction.atomic():
                    results[index] = call()
            else:
                results[index] = call()
        except Exception as exc:  # noqa: BLE001 - collected for the assertions
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _post(url, token):
    request = urllib.request.Request(url, method="POST", data=b"{}", headers={
        "Authorization": f"Token {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - the test's own live server
            return response.status
    except urllib.error.HTTPError as exc:
        json.loads(exc.read() or b"{}")  # every refusal is a JSON error body
        return exc.code


def post_at_once(url, tokens):
    """POST to the API once per token, all requests released at once; return their status codes (or, for a
    refusal whose body is not JSON, the error)."""
    return race([lambda token=token: _post(url, token) for token in tokens])
