import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.test import override_settings
from wagtail.models import Page

from cms.models import Mairie, User
from cms.moderation import review_workflow

# What each run writes as its own record, not content: sessions, tasks, Wagtail's search index, and
# the log of search rebuilds (the demo's search step rebuilds the index each time it runs).
NOT_CONTENT = {"search.IndexRebuild"}


def _counts():
    return {m._meta.label: m.objects.count() for m in apps.get_models() if not m._meta.proxy
            and m._meta.app_label not in {"sessions", "django_tasks_db", "wagtailsearch"}
            and m._meta.label not in NOT_CONTENT}


def test_seed_demo_is_idempotent(db):
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = _counts()
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _counts() == first
    assert set(User.objects.values_list("username", flat=True)) >= {
        "habitant", "agent", "editeur", "organisateur", "habitant20", "agent20", "editeur20",
        "organisateur20", "relecteur20"}
    # The 20e reviews its pages: its two demo editors submit, and approve each other's pages.
    paris20 = Mairie.objects.get(slug="paris20")
    assert paris20.pages_reviewed and not Mairie.objects.get(slug="paris19").pages_reviewed
    assert review_workflow(paris20).active
    home20 = Page.objects.get(pk=paris20.site.root_page_id)
    for username in ("editeur20", "relecteur20"):
        assert not home20.permissions_for_user(User.objects.get(username=username)).can_publish()
    # Only confirmed accounts take part (report, comment, propose, support): the demo's all are.
    assert not User.objects.filter(email_confirmed=False).exists()


def test_demo_accounts_log_in_with_the_demo_password(db, settings):
    call_command("seed_demo", "--core-only", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert User.objects.get(username="organisateur").check_password(settings.DEMO_PASSWORD)


@override_settings(PLATFORM_ENV="production")
def test_seed_demo_refuses_in_production_unless_forced(db):
    User.objects.all().delete()  # the session's core demo made them: start from no account (rolled back)
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not User.objects.filter(username="habitant").exists()
    call_command("seed_demo", "--force", "--core-only", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert User.objects.filter(username="habitant").exists()
