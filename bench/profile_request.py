"""Profile one request in process, on a benchmark data set: time per request, database queries and
the functions that cost most (cProfile). A tool for finding what a scenario of bench/run.py spends.

    .venv/bin/python bench/profile_request.py /                                 # as a resident of the 19e
    .venv/bin/python bench/profile_request.py /bricolages/... --who agent --repeat 50
    .venv/bin/python bench/profile_request.py /api/bureau/projects/1/soutien/ --method post --who resident
    .venv/bin/python bench/profile_request.py /bare/ --who anon --wsgi --repeat 3000  # the stack alone

It runs with the bench settings (production's, bench/settings.py) on the SQLite data set of
`bench/run.py --scale 1` unless DATABASE_URL says otherwise (the page cache is left out: logged-in
pages never use it).
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "paris19.localhost"
WHO = {"resident": "habitant", "agent": "agent", "anon": None}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path")
    parser.add_argument("--who", default="resident", choices=sorted(WHO))
    parser.add_argument("--method", default="get", choices=["get", "post"])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--sort", default="cumulative", choices=["cumulative", "tottime"])
    parser.add_argument("--queries", action="store_true", help="print the SQL of one request")
    parser.add_argument("--stacks", action="store_true", help="with --queries: the project's frames that ran each")
    parser.add_argument("--scale", default="1.0")
    parser.add_argument("--wsgi", action="store_true",
                        help="call the WSGI handler directly, over http as wrk does, without the test client's "
                             "own bookkeeping (anonymous GETs only): the per-request cost of the middleware stack")
    args = parser.parse_args()

    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench' / f'bench-{args.scale}.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ.setdefault("SECRET_KEY", "profile-only-" + "x" * 40)
    os.environ.setdefault("ALLOWED_HOSTS", ".localhost,testserver")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("AXES_ENABLED", "false")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if args.wsgi and (WHO[args.who] or args.method != "get"):
        parser.error("--wsgi measures anonymous GETs only (--who anon)")
    once = wsgi_handler(args.path) if args.wsgi else client_request(args)

    response = once()
    print(f"{args.method.upper()} {args.path} as {args.who}: {response.status_code}")
    stacks = []
    if args.stacks:
        import traceback

        def remember(execute, sql, params, many, context):
            frames = [f"{Path(f.filename).relative_to(ROOT)}:{f.lineno} {f.name}" for f in traceback.extract_stack()
                      if f.filename.startswith(str(ROOT)) and "/.venv/" not in f.filename
                      and "bench/" not in f.filename]
            stacks.append(" < ".join(reversed(frames[-4:])))
            return execute(sql, params, many, context)

        connection.execute_wrappers.append(remember)
    with CaptureQueriesContext(connection) as captured:
        once()
    if args.stacks:
        connection.execute_wrappers.remove(remember)
    print(f"queries: {len(captured.captured_queries)}")
    if args.queries:
        for index, query in enumerate(captured.captured_queries):
            print(f"  {query['time']}s  {query['sql'][:160]}")
            if index < len(stacks):
                print(f"      {stacks[index]}")
    started = time.perf_counter()
    for _ in range(args.repeat):
        once()
    elapsed = (time.perf_counter() - started) / args.repeat
    print(f"{elapsed * 1000:.3f} ms per request ({1 / elapsed:.0f} req/s on one core, in process)")
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.repeat):
        once()
    profiler.disable()
    pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)


def client_request(args):
    """One request through Django's test client, as the chosen visitor; returns the response."""
    from django.db import transaction
    from django.test import Client

    from cms.models import User

    client = Client(HTTP_HOST=HOST)
    if WHO[args.who]:
        client.force_login(User.objects.get(username=WHO[args.who]))
    send = getattr(client, args.method)

    def once():
        if args.method == "post":
            # Each POST runs in a transaction rolled back afterwards, so that it can be repeated.
            with transaction.atomic():
                response = send(args.path, secure=True)
                transaction.set_rollback(True)
        else:
            response = send(args.path, secure=True)
        return response

    return once


def wsgi_handler(path):
    """One GET through Django's WSGI handler as gunicorn makes it (plain http on loopback, the bench's
    Host), the body read and the response closed; returns an object with the status code."""
    from types import SimpleNamespace

    from django.core.handlers.wsgi import WSGIHandler
    from django.test.client import FakePayload

    application = WSGIHandler()
    base = {"REQUEST_METHOD": "GET", "SCRIPT_NAME": "", "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8765", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": HOST,
            "HTTP_USER_AGENT": "wrk", "wsgi.version": (1, 0), "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr,
            "wsgi.multiprocess": True, "wsgi.multithread": False, "wsgi.run_once": False}

    path, _, query = path.partition("?")

    def get():
        status = []
        environ = {**base, "PATH_INFO": path, "QUERY_STRING": query, "wsgi.input": FakePayload(b"")}
        response = application(environ, lambda code, headers, exc_info=None: status.append(int(code[:3])))
        try:
            for _chunk in response:
                pass
        finally:
            response.close()
        return SimpleNamespace(status_code=status[0])

    return get


if __name__ == "__main__":
    main()
