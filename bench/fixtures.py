"""The benchmark's side of the database: run by bench/run.py in the server's own environment
(same settings, database and cache), one sub-command at a time, printing one JSON line.

    prepare --voters N --targets T   which URLs to measure (None: that app has not landed), session
                                     cookies of a logged-in agent and resident, N voters with API tokens
                                     and T supportable Bureau projects of the 19e for the vote POST
    votes --targets 1,2,3            supports_count and Support rows of those projects
    floor --queries N                the bare FTS5 / tsvector query's latency on this database
    queries --plan FILE              database queries of each scenario's request (in process, after
                                     one warm-up request: 0 for a page served from the page cache)
    hall-queue --fill N              the hall's bench services (20e): called tickets released (absent),
                                     the ticket-taking queue emptied, the call queue topped up to N
                                     waiting tickets of today
    hall-counts                      tickets of the hall's bench services: rows, numbers, states
    hall-day --tickets N --seed S    bench/hall_day.py: a day of one mairie replayed (in a rolled-back
                                     transaction)
"""

import argparse
import json
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "paris19.localhost"
HALL_HOST = "paris20.localhost"  # the hall's write scenarios: the 19e's hall screen stays the demo's
HALL_MAIRIE = "paris20"
HALL_TAKE, HALL_CALL = "banc-tickets", "banc-appels"  # the bench's own services in the 20e's hall
HALL_COUNTER_FROM = 10000  # bench counters are numbered from here (the mairie's own start at 1)
SEARCH_WORDS = ["jardin", "concert quartier", "atelier vélo", "fête", "compost potager", "bibliothèque",
                "musique danse", "propreté", "balade nature", "solidarité"]


def setup():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def _model(label):
    from django.apps import apps

    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _page_path(page):
    parts = page.get_url_parts() if page is not None else None
    return parts[2] if parts else None


def _first(label, **filters):
    model = _model(label)
    if model is None:
        return None
    qs = model.objects.filter(**filters) if filters else model.objects.all()
    return qs


def discover_urls(mairie):
    """The pages and endpoints of issue 9, or None for an app that is not there (yet)."""
    from django.db.models import Count, Q

    root = mairie.site.root_page
    urls = {"bare": "/bare/", "home": "/"}

    charters = _first("commandements.charterpage")
    charter = charters.live().descendant_of(root).first() if charters is not None else None
    urls["commandements"] = _page_path(charter)

    proposals = _first("occupai.proposal")
    call = proposal = None
    if proposals is not None:
        public = proposals.filter(mairie=mairie, is_hidden=False, status__in=["accepted", "selected", "not_selected"])
        call_id = (public.values("call_id").annotate(n=Count("id")).order_by("-n")
                   .values_list("call_id", flat=True).first())
        if call_id is not None:
            call = _model("occupai.callpage").objects.get(pk=call_id)
            proposal = public.filter(call_id=call_id).order_by("-supports_count", "pk").first()
    urls["call"] = _page_path(call)
    urls["proposal"] = proposal.get_absolute_url() if proposal is not None else None

    projects = _first("bureau.project")
    project = None
    if projects is not None:
        project = (projects.filter(mairie=mairie, is_hidden=False, published_at__isnull=False)
                   .exclude(status="draft").order_by("-supports_count", "pk").first())
    urls["bureau_project"] = project.get_absolute_url() if project is not None else None
    urls["list_api"] = "/api/bureau/projects/?status=incubated&ordering=soutiens" if projects is not None else None

    bricolages = _first("bricolages.bricolagepage")
    bricolage = (bricolages.live().filter(Q(is_hidden=False)).order_by("-supports_count", "pk").first()
                 if bricolages is not None else None)
    urls["bricolage"] = bricolage.get_absolute_url() if bricolage is not None else None

    from django.apps import apps

    searchable = apps.is_installed("search") and _model("search.searchentry") is not None
    urls["search_page"] = "/recherche/?q=jardin" if searchable else None
    urls["search_api"] = "/api/search/?q=jardin" if searchable else None
    urls["hall_screen"] = "/api/accueil/screen/" if apps.is_installed("accueil") else None
    return urls


def _second_factor(user):
    """Staff have a second factor in production (cms/second_factor.py): the bench's agent gets one, so that
    its pages are the agent's pages, not the redirect to set one up."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from cms.second_factor import holds_staff_role

    if holds_staff_role(user) and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())


def session_cookie(username):
    """A logged-in session for `username`, created the way django.contrib.auth.login() does."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from cms.models import User

    user = User.objects.filter(username=username).first()
    if user is None:
        return None
    _second_factor(user)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]  # allauth's, as a real login records
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def make_voters(mairie, count):
    """`count` new confirmed residents of the 19e with API tokens: voters of earlier runs (on a reused
    data set) already support the targets, so each run has its own."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from rest_framework.authtoken.models import Token

    from cms import roles
    from cms.models import User

    prefix = f"votant{int(time.time())}{secrets.token_hex(3)}-"  # two calls in the same second: distinct
    password = make_password(None)
    users = [User(username=f"{prefix}{i}", email=f"{prefix}{i}@bench.mairie-de-demain.localhost", password=password,
                  display_name=f"Votant·e {i}", mairie=mairie, email_confirmed=True) for i in range(count)]
    User.objects.bulk_create(users, batch_size=2000)
    group = Group.objects.get(name=roles.RESIDENTS)
    new = User.objects.filter(username__in=[u.username for u in users])
    User.groups.through.objects.bulk_create([User.groups.through(user_id=u.pk, group_id=group.pk) for u in new],
                                            batch_size=2000)
    Token.objects.bulk_create([Token(user=u, key=Token.generate_key()) for u in new], batch_size=2000)
    return list(Token.objects.filter(user__in=new).order_by("user_id").values_list("key", flat=True))


def make_agents(mairie, count):
    """`count` new agents of `mairie` with API tokens (the hall's counters are their mairie's agents')."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from rest_framework.authtoken.models import Token

    from cms import roles
    from cms.models import User

    prefix = f"guichet{int(time.time())}{secrets.token_hex(3)}-"
    password = make_password(None)
    User.objects.bulk_create([User(username=f"{prefix}{i}", email=f"{prefix}{i}@bench.mairie-de-demain.localhost",
                                   password=password, display_name=f"Agent·e {i}", mairie=mairie,
                                   email_confirmed=True) for i in range(count)])
    group = Group.objects.get(name=roles.AGENTS)
    new = list(User.objects.filter(username__startswith=prefix))
    User.groups.through.objects.bulk_create([User.groups.through(user_id=u.pk, group_id=group.pk) for u in new])
    Token.objects.bulk_create([Token(user=u, key=Token.generate_key()) for u in new])
    return list(Token.objects.filter(user__in=new).order_by("user_id").values_list("key", flat=True))


def _hall_service(mairie, slug, name, position):
    """A bench service of the hall, open at every hour of every day (the bench runs at any time)."""
    from datetime import time as clock

    from accueil.models import OpeningHours, Service

    service = Service.objects.filter(mairie=mairie, slug=slug).first()
    if service is None:
        used = set(Service.objects.filter(mairie=mairie).values_list("letter", flat=True))
        letter = next(c for c in "ZYXWVUTQPONMLKJIHFDCBA" if c not in used)
        service = Service.objects.create(mairie=mairie, slug=slug, name=name, letter=letter, position=position,
                                         default_minutes=5, description="Banc d'essai (bench/run.py).")
        OpeningHours.objects.bulk_create([OpeningHours(service=service, weekday=d, opens=clock(0),
                                                       closes=clock(23, 59, 59)) for d in range(7)])
    return service


def hall_prepare(counters, agents, residents):
    """The hall's write scenarios, in the 20e: a service to take tickets in (residents with API tokens,
    online), a service whose queue `counters` counters call at once (agents with API tokens), each request
    on a counter of its own so that no answer is "this counter already calls someone"."""
    from django.apps import apps

    from cms.models import Mairie

    if not apps.is_installed("accueil") or counters <= 0:
        return None
    from accueil.models import Counter

    mairie = Mairie.objects.get(slug=HALL_MAIRIE)
    take = _hall_service(mairie, HALL_TAKE, "Banc d'essai : prise de tickets", 90)
    call = _hall_service(mairie, HALL_CALL, "Banc d'essai : appels", 91)
    have = set(Counter.objects.filter(service=call).values_list("number", flat=True))
    Counter.objects.bulk_create([Counter(mairie=mairie, service=call, number=HALL_COUNTER_FROM + i)
                                 for i in range(counters) if HALL_COUNTER_FROM + i not in have], batch_size=2000)
    Counter.objects.filter(service=call).update(is_open=True)
    ids = list(Counter.objects.filter(service=call).order_by("number").values_list("pk", flat=True)[:counters])
    return {"host": HALL_HOST, "take_service": take.slug, "take_service_id": take.pk, "call_service_id": call.pk,
            "counters": ids, "agent_tokens": make_agents(mairie, agents), "resident_tokens": make_voters(mairie, residents)}


def hall_queue(fill):
    """Between two measures: the tickets called in the last one released (marked absent: not passages, so
    the estimator of the bench service is not moved), the ticket-taking queue emptied (cancelled) so that
    each measure starts from an empty hall, tickets of past days closed, and the call queue topped up to
    `fill` waiting tickets of today."""
    from django.db import transaction
    from django.db.models import Max
    from django.utils import timezone

    from accueil.models import Channel, Service, State, Ticket, new_token
    from cms.models import Mairie

    mairie = Mairie.objects.get(slug=HALL_MAIRIE)
    take = Service.objects.get(mairie=mairie, slug=HALL_TAKE)
    call = Service.objects.get(mairie=mairie, slug=HALL_CALL)
    now = timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        released = Ticket.objects.filter(service=call, state=State.CALLED).update(
            state=State.ABSENT, closed_at=now, phone="", email="")
        Ticket.objects.filter(service__in=[take, call], day__lt=today, state__in=[State.WAITING, State.CALLED]).update(
            state=State.ABSENT, closed_at=now, phone="", email="")
        Ticket.objects.filter(service=take, state=State.WAITING).update(state=State.CANCELLED, closed_at=now)
        waiting = Ticket.objects.filter(service=call, state=State.WAITING, day=today).count()
        seq = Ticket.objects.filter(service=call, day=today).aggregate(m=Max("seq"))["m"] or 0
        missing = max(0, fill - waiting)
        Ticket.objects.bulk_create([
            Ticket(mairie=mairie, service=call, day=today, seq=seq + i, number=f"{call.letter}{seq + i:03d}",
                   channel=Channel.KIOSK, queued_at=now, token=new_token()) for i in range(1, missing + 1)],
            batch_size=2000)
    return {"released": released, "added": missing, "waiting": waiting + missing}


def hall_counts():
    """Per bench service: tickets of today (rows, distinct numbers, highest rank), by state, and how many
    distinct counters the called tickets are at."""
    from django.db.models import Count, Max
    from django.utils import timezone

    from accueil.models import Service, Ticket
    from cms.models import Mairie

    mairie = Mairie.objects.get(slug=HALL_MAIRIE)
    today = timezone.localdate()
    out = {}
    for slug in (HALL_TAKE, HALL_CALL):
        tickets = Ticket.objects.filter(service=Service.objects.get(mairie=mairie, slug=slug), day=today)
        figures = tickets.aggregate(rows=Count("id"), numbers=Count("number", distinct=True), top=Max("seq"))
        figures["states"] = dict(tickets.order_by().values_list("state").annotate(n=Count("id")))
        figures["called_counters"] = tickets.filter(state="called").values("counter").distinct().count()
        out[slug] = figures
    return out


def hall_day(args):
    sys.path.insert(0, str(ROOT))
    from bench.hall_day import simulate
    from cms.models import Mairie

    return simulate(mairie=Mairie.objects.get(slug="paris19"), tickets=args.tickets, counters=args.counters,
                    seed=args.seed)


def vote_targets(mairie, count):
    Project = _model("bureau.project")
    if Project is None:
        return []
    qs = (Project.objects.filter(mairie=mairie, is_hidden=False, published_at__isnull=False,
                                 status__in=["under_review", "incubated", "launched"]).order_by("pk"))
    return list(qs.values_list("pk", flat=True)[:count])


def prepare(args):
    from django.db import transaction

    from cms.models import Mairie

    mairie = Mairie.objects.select_related("site").get(slug="paris19")
    with transaction.atomic():
        tokens = make_voters(mairie, args.voters) if args.voters else []
        out = {
            "host": HOST,
            "urls": discover_urls(mairie),
            "agent_cookie": session_cookie("agent"),
            "resident_cookie": session_cookie("habitant"),
            "tokens": tokens,
            "vote_targets": vote_targets(mairie, args.targets),
            "hall": hall_prepare(args.hall_counters, args.hall_agents, args.hall_residents),
        }
    out["votes_before"] = votes(out["vote_targets"])
    return out


def votes(targets):
    """For each project: its counter and its Support rows (they must agree)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Count

    from participation.models import Support

    Project = _model("bureau.project")
    if Project is None or not targets:
        return {}
    ct = ContentType.objects.get_for_model(Project)
    rows = dict(Support.objects.filter(content_type=ct, object_id__in=targets).order_by().values_list("object_id")
                .annotate(n=Count("id")).values_list("object_id", "n"))
    counters = dict(Project.objects.filter(pk__in=targets).values_list("pk", "supports_count"))
    return {str(pk): {"counter": counters.get(pk, 0), "rows": rows.get(pk, 0)} for pk in targets}


def floor(args):
    """The bare engine query, on this database's own index, timed here (no HTTP, no Django view)."""
    from django.db import connection

    from search.models import SearchEntry

    try:
        sys.path.insert(0, str(ROOT))
        from bench.search_bench import floor_query
    except ImportError as exc:
        return {"error": f"bench/search_bench.py not usable: {exc}"}
    run = floor_query()
    for text in SEARCH_WORDS:
        run(text)
    times = []
    for i in range(args.queries):
        text = SEARCH_WORDS[i % len(SEARCH_WORDS)] if args.word is None else args.word
        started = time.perf_counter()
        run(text)
        times.append((time.perf_counter() - started) * 1000)
    ordered = sorted(times)
    return {"vendor": connection.vendor, "docs": SearchEntry.objects.count(), "n": len(times),
            "p50_ms": statistics.median(ordered), "p95_ms": ordered[int(0.95 * (len(ordered) - 1))],
            "p99_ms": ordered[int(0.99 * (len(ordered) - 1))]}


def hall_queries(item):
    """One ticket taken (`hall_take`) or one call next (`hall_call`), after a first one of each."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    client = APIClient(HTTP_HOST=HALL_HOST)
    client.credentials(HTTP_AUTHORIZATION=f"Token {item['token']}")
    if item["who"] == "hall_take":
        def request(_index):
            return client.post("/api/accueil/tickets/", {"service": item["service"]}, format="json")
    else:
        hall_queue(2)

        def request(index):
            return client.post(f"/api/accueil/counters/{item['counters'][index]}/call-next/")
    request(0)
    with CaptureQueriesContext(connection) as ctx:
        status = request(1).status_code
    if item["who"] == "hall_call":
        hall_queue(0)
    return status, ctx


def count_queries(plan_path):
    """{scenario: number of queries} for the requests described in the JSON plan file:
    [{"key", "path", "who": "anon"|"resident"|"agent"|"vote", "target": pk}]."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from cms.models import Mairie, User

    plan = json.loads(Path(plan_path).read_text())
    mairie = Mairie.objects.get(slug="paris19")
    clients = {"anon": APIClient(HTTP_HOST=HOST)}
    for who, username in (("resident", "habitant"), ("agent", "agent")):
        clients[who] = APIClient(HTTP_HOST=HOST)
        clients[who].force_login(User.objects.get(username=username))
    out = {}
    for item in plan:
        if item["who"] in ("hall_take", "hall_call"):
            status, ctx = hall_queries(item)
        elif item["who"] == "vote":
            tokens = make_voters(mairie, 2)
            client = APIClient(HTTP_HOST=HOST)
            path = f"/api/bureau/projects/{item['target']}/vote/"
            client.credentials(HTTP_AUTHORIZATION=f"Token {tokens[0]}")
            client.post(path)
            client.credentials(HTTP_AUTHORIZATION=f"Token {tokens[1]}")
            with CaptureQueriesContext(connection) as ctx:
                status = client.post(path).status_code
        else:
            client = clients[item["who"]]
            client.get(item["path"])
            with CaptureQueriesContext(connection) as ctx:
                status = client.get(item["path"]).status_code
        out[item["key"]] = {"queries": len(ctx.captured_queries), "status": status}
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--voters", type=int, default=0)
    p.add_argument("--targets", type=int, default=50)
    v = sub.add_parser("votes")
    v.add_argument("--targets", required=True)
    f = sub.add_parser("floor")
    f.add_argument("--queries", type=int, default=300)
    f.add_argument("--word", default=None)
    p.add_argument("--hall-counters", type=int, default=0)
    p.add_argument("--hall-agents", type=int, default=20)
    p.add_argument("--hall-residents", type=int, default=50)
    q = sub.add_parser("queries")
    q.add_argument("--plan", required=True)
    h = sub.add_parser("hall-queue")
    h.add_argument("--fill", type=int, default=0)
    sub.add_parser("hall-counts")
    d = sub.add_parser("hall-day")
    d.add_argument("--tickets", type=int, default=2000)
    d.add_argument("--counters", type=int, default=20)
    d.add_argument("--seed", type=int, default=21)
    args = parser.parse_args()
    setup()
    if args.command == "prepare":
        result = prepare(args)
    elif args.command == "votes":
        result = votes([int(x) for x in args.targets.split(",") if x])
    elif args.command == "queries":
        result = count_queries(args.plan)
    elif args.command == "hall-queue":
        result = hall_queue(args.fill)
    elif args.command == "hall-counts":
        result = hall_counts()
    elif args.command == "hall-day":
        result = hall_day(args)
    else:
        result = floor(args)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
