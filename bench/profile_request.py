"""Profile one request in process, on a benchmark data set: time per request, database queries and
the functions that cost most (cProfile). A tool for finding what a scenario of bench/run.py spends.

    .venv/bin/python bench/profile_request.py /                                 # as a resident of the 19e
    .venv/bin/python bench/profile_request.py /bricolages/... --who agent --repeat 50
    .venv/bin/python bench/profile_request.py /api/bureau/projects/1/soutien/ --method post --who resident

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
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cms.models import User

    client = Client(HTTP_HOST=HOST)
    username = WHO[args.who]
    if username:
        client.force_login(User.objects.get(username=username))
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
    print(f"{elapsed * 1000:.1f} ms per request ({1 / elapsed:.0f} req/s on one core, in process)")
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.repeat):
        once()
    profiler.disable()
    pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
