"""Indexes for every filter and sort of the lists and APIs: EXPLAIN on PostgreSQL at a scaled size.

A scaled set (20,000 Bureau projects, 40,000 supports and follows, 20,000 comments, 20,000
notifications, 500 people; made by seed_scale's generator, then ANALYZE) is loaded once for the
module inside a transaction rolled back at the end. Each main list query, built by the code that
runs it in production (selectors, the API's queryset), is explained; a sequential scan of one of
the large tables (more than LARGE_ROWS rows, as ANALYZE counted them) fails the test. Counts over
most of a table are left out on purpose: reading the whole table is the right plan for them.
"""

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from bench.management.commands.seed_scale import Scale
from participation import selectors as engine
from participation.bureau import selectors as bureau
from participation.bureau.models import Project, Status
from participation.models import Follow, Notification, Quartier, Support, SupportAllowance

pytestmark = [pytest.mark.postgres]

LARGE_ROWS = 10_000  # the scaled tables; people (3,000) and reference tables are not "large"
COUNTS = {"users": 3_000, "bureau.project": 20_000, "supports": 40_000, "comments": 20_000,
          "notifications": 20_000}
AUDIT_ENTRIES = 20_000


@pytest.fixture(scope="module")
def scaled(django_db_setup, django_db_blocker):
    """The scaled set, made once for the module and rolled back after it."""
    from cms.demo import DemoContext, seed_core
    from tests.factories.bureau import ProjectFactory

    with django_db_blocker.unblock(), transaction.atomic():
        ctx = DemoContext(stdout=lambda line: None)
        seed_core(ctx, port=80)
        for mairie in ctx.mairies.values():
            for name in ("Villette", "Combat", "Belleville"):
                Quartier.objects.create(mairie=mairie, name=name, slug=name.lower())
        ProjectFactory(mairie=ctx.mairies["paris19"], title="Modèle")  # the row the generator clones
        data = Scale(1.0, log=lambda line: None, counts=COUNTS)
        data.users()
        data.projects()
        data.supports()
        data.comments()
        data.notifications()
        data.counters()
        _audit_entries(data)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples > %s", [LARGE_ROWS])
            large = {row[0] for row in cursor.fetchall()}
        yield {"ctx": ctx, "data": data, "large": large}
        transaction.set_rollback(True)


def _audit_entries(data):
    """Decisions on the projects: the public timeline's rows."""
    from participation.models import AuditEntry

    ct = ContentType.objects.get_for_model(Project)
    pks = [pk for _model, pks in data.targets for pk in pks]
    AuditEntry.objects.bulk_create([
        AuditEntry(mairie_id=data.mairies[0].pk, content_type=ct, object_id=str(pks[i % len(pks)]),
                   action="transition", label="Incubé", reason="Le projet est solide.", public=i % 3 != 0)
        for i in range(AUDIT_ENTRIES)], batch_size=2000)


_large = set()


def seq_scans(queryset):
    """Large tables the plan of `queryset` reads sequentially."""
    plan = json.loads(queryset.explain(format="json"))
    found, stack = set(), [plan[0]["Plan"]]
    while stack:
        node = stack.pop()
        if node.get("Node Type") == "Seq Scan" and node.get("Relation Name") in _large:
            found.add(node["Relation Name"])
        stack.extend(node.get("Plans", []))
    return found


def _page(queryset, size=20):
    return queryset[:size]


@pytest.fixture(autouse=True)
def _large_tables(request):
    if "scaled" in request.fixturenames:
        _large.clear()
        _large.update(request.getfixturevalue("scaled")["large"])


@pytest.fixture
def mairie(scaled):
    return scaled["ctx"].mairies["paris19"]


@pytest.fixture
def someone(scaled):
    from cms.models import User

    return User.objects.filter(username__startswith="foule").order_by("pk")[7]


def bureau_lists(mairie):
    public = bureau.visible_projects(AnonymousUser(), mairie)
    api = public.select_related("author", "quartier", "image").prefetch_related("tags")
    yield "recent projects", bureau.filter_projects(api)
    for sort in bureau.SORTS:
        yield f"sorted by {sort}", bureau.filter_projects(api, sort=sort)
        yield f"status incubated, sorted by {sort}", bureau.filter_projects(api, status=Status.INCUBATED, sort=sort)
    yield "by quartier", bureau.filter_projects(api, quartier="combat", sort="soutiens")
    yield "by tag", bureau.filter_projects(api, tag="jardin", sort="recents")
    yield "HTML index page", bureau.filter_projects(bureau.public_projects(mairie), sort="recents")


@pytest.mark.django_db
def test_bureau_lists_use_indexes_for_every_filter_and_sort(mairie):
    assert Project.objects.count() > 20_000
    bad = {name: scans for name, qs in bureau_lists(mairie) if (scans := seq_scans(_page(qs)))}
    assert not bad, f"sequential scans: {bad}"


@pytest.mark.django_db
def test_selective_counts_use_indexes(mairie):
    api = bureau.visible_projects(AnonymousUser(), mairie)
    # The pagination count of a status that few projects have.
    qs = bureau.filter_projects(api, status=Status.SUBMITTED)
    assert not seq_scans(qs.values("pk")), "count of a rare status"


@pytest.mark.django_db
def test_support_lookups_use_indexes(scaled, someone):
    project = Project.objects.filter(supports_count__gt=0).order_by("-supports_count").first()
    ct = ContentType.objects.get_for_model(Project)
    projects = Project.objects.filter(mairie=project.mairie).order_by("-published_at")[:20]
    queries = {
        "supported ids of a page": Support.objects.filter(user=someone, content_type=ct,
                                                          object_id__in=[p.pk for p in projects]),
        "has supported": Support.objects.filter(user=someone, content_type=ct, object_id=project.pk),
        "supports of a target": Support.objects.filter(content_type=ct, object_id=project.pk),
        "supports of a person": Support.objects.filter(user=someone).order_by("-created_at"),
        "budget spent": SupportAllowance.objects.filter(user=someone, context="occupai.call:1"),
        "followers to notify": Follow.objects.filter(content_type=ct, object_id=project.pk).values("user_id"),
        "is following": Follow.objects.filter(user=someone, content_type=ct, object_id=project.pk),
    }
    bad = {name: scans for name, qs in queries.items() if (scans := seq_scans(qs))}
    assert not bad, f"sequential scans: {bad}"


@pytest.mark.django_db
def test_notifications_of_a_person_use_indexes(someone):
    assert Notification.objects.count() >= 20_000
    queries = {
        "notifications page": engine.notifications_for(someone)[:50],
        "unread count": Notification.objects.filter(user=someone, read_at__isnull=True),
        "mark read": engine.notifications_for(someone, unread_only=True).values("pk"),
    }
    bad = {name: scans for name, qs in queries.items() if (scans := seq_scans(qs))}
    assert not bad, f"sequential scans: {bad}"


@pytest.mark.django_db
def test_comments_and_timeline_of_a_target_use_indexes(scaled):
    from django.conf import settings
    from django_comments_xtd.models import XtdComment

    from participation.models import AuditEntry

    project = Project.objects.filter(comments_count__gt=0).order_by("-comments_count").first()
    ct = ContentType.objects.get_for_model(Project)
    queries = {
        "comments of a target": XtdComment.objects.filter(
            content_type=ct, object_pk=str(project.pk), site_id=settings.SITE_ID, is_public=True, is_removed=False,
        ).select_related("user").order_by("thread_id", "order"),
        "public timeline": AuditEntry.objects.filter(content_type=ct, object_id=str(project.pk), public=True),
    }
    bad = {name: scans for name, qs in queries.items() if (scans := seq_scans(qs))}
    assert not bad, f"sequential scans: {bad}"
