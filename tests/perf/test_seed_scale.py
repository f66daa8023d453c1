"""The benchmark's data generator (bench app: manage.py seed_scale under the bench settings): rows the platform can read as its own."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db.models import Count
from django_comments_xtd.models import XtdComment

from bench.bulk import bulk_insert, clone
from bench.management.commands.seed_scale import Command as SeedScale
from bench.management.commands.seed_scale import Scale
from participation import selectors
from participation.bureau.models import Project, Status
from participation.models import Follow, Notification, Support
from tests.factories.bureau import ProjectFactory, bureau_index

COUNTS = {"users": 200, "bureau.project": 40, "supports": 300, "comments": 60, "notifications": 50}


@pytest.fixture
def generated(mairie19, mairie20):
    bureau_index(mairie19)
    ProjectFactory(mairie=mairie19, title="Modèle")
    data = Scale(1.0, log=lambda line: None, counts=COUNTS)
    for step in ("users", "projects", "supports", "comments", "notifications"):
        getattr(data, step)()
    data.counters()
    return data


def test_counts_and_skips_are_reported(generated):
    made = generated.report["made"]
    assert made["users"] == 200 and made["bureau.project"] == 40
    assert made["supports"] == made["follows"] == Support.objects.count()
    assert made["comments"] == XtdComment.objects.count() == 60
    assert Notification.objects.count() == 50


def test_counters_equal_the_rows_as_the_engine_keeps_them(generated):
    ct = ContentType.objects.get_for_model(Project)
    rows = dict(Support.objects.filter(content_type=ct).values_list("object_id").annotate(n=Count("id")))
    for project in Project.objects.exclude(title="Modèle"):
        assert project.supports_count == rows.get(project.pk, 0)
        assert project.comments_count == XtdComment.objects.filter(content_type=ct, object_pk=str(project.pk)).count()
    assert Follow.objects.count() == Support.objects.count()
    assert not Support.objects.values("user", "content_type", "object_id").annotate(n=Count("id")).filter(n__gt=1)


def test_comment_threads_read_like_the_engine_writes_them(generated):
    project = Project.objects.filter(comments_count__gt=1).order_by("-comments_count").first()
    threads = selectors.comments_for(project)
    assert sum(1 + len(t["replies"]) for t in threads) == project.comments_count
    for thread in threads:
        assert thread["comment"].thread_id == thread["comment"].pk and thread["comment"].level == 0
        assert all(r["comment"].parent_id == thread["comment"].pk and r["comment"].level == 1
                   for r in thread["replies"])


def test_generated_projects_show_on_the_site(generated, client19, mairie19):
    project = Project.objects.filter(mairie=mairie19, status=Status.INCUBATED).exclude(title="Modèle").first()
    response = client19.get(project.get_absolute_url())
    assert response.status_code == 200 and project.title in response.content.decode()
    listed = client19.get("/api/bureau/projects/?status=incubated&ordering=soutiens").json()
    assert listed["count"] == Project.objects.filter(mairie=mairie19, status=Status.INCUBATED).count()


def test_clone_makes_unique_fields_unique(mairie19):
    from cms.models import User

    template = User.objects.create(username="modele", email="modele@example.org")
    copies = [clone(template, {}, i) for i in range(3)]
    bulk_insert(User, copies)
    assert User.objects.filter(username__startswith="modele").count() == 4


def test_a_second_run_on_the_same_database_is_refused(generated):
    with pytest.raises(CommandError, match="already holds a scaled data set"):
        call_command(SeedScale(), "--scale", "0.001", "--no-index")  # the bench app is not installed here
