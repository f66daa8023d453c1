"""The scheduler (cms/schedule.py, `manage.py scheduler`): what is due when, failures, --once."""

import datetime as dt
import io
import logging
from zoneinfo import ZoneInfo

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.management import call_command
from django.utils import timezone

from cms import schedule
from cms.schedule import Job

PARIS = ZoneInfo("Europe/Paris")


def at(*args):
    return dt.datetime(*args, tzinfo=PARIS)


def names(jobs):
    return {job.name for job in jobs}


def test_slots_sit_on_the_wall_clock_of_paris():
    purge = schedule.job_named("purge_complaints")
    assert purge.last_slot(at(2026, 3, 10, 3, 29)) == at(2026, 3, 9, 3, 30)
    assert purge.last_slot(at(2026, 3, 10, 3, 30)) == at(2026, 3, 10, 3, 30)
    assert purge.next_slot(at(2026, 3, 10, 3, 30)) == at(2026, 3, 11, 3, 30)
    search = schedule.job_named("search_time_dependent")  # hourly, two minutes past
    assert search.last_slot(at(2026, 3, 10, 0, 1)) == at(2026, 3, 9, 23, 2)
    assert search.last_slot(at(2026, 3, 10, 14, 2)) == at(2026, 3, 10, 14, 2)
    # The night summer time starts (29 March 2026, 2:00 -> 3:00), the purge still runs at 3:30.
    assert purge.last_slot(at(2026, 3, 29, 12, 0)) == at(2026, 3, 29, 3, 30)
    assert purge.last_slot(at(2026, 3, 29, 12, 0)).utcoffset() == dt.timedelta(hours=2)
    assert schedule.daily_time("purge_complaints") == dt.time(3, 30)


def test_a_job_must_fit_in_a_day():
    with pytest.raises(ValueError, match="divide a day"):
        Job("odd", "odd", every=dt.timedelta(minutes=7), call="builtins.print")
    with pytest.raises(ValueError, match="command or a call"):
        Job("none", "none")


@pytest.mark.django_db
def test_what_is_due_when():
    with time_machine.travel(at(2026, 5, 4, 10, 3), tick=False):
        assert names(schedule.due(timezone.now())) == {  # nothing ran yet: everything catches up
            "send_pending_notifications", "expire_login_attempts", "search_time_dependent", "purge_complaints",
            "search_replay_failed", "search_reconcile", "accueil_close_day", "purge_carnets",
            "purge_coworking_invitations", "purge_help_requests", "explorations_reminders",
            "openbricolage_reminders",
            "publish_scheduled", "notification_digests"}
        schedule.run_due()
        assert schedule.due(timezone.now()) == []
    with time_machine.travel(at(2026, 5, 4, 10, 3, 59), tick=False):
        assert schedule.due(timezone.now()) == []
    with time_machine.travel(at(2026, 5, 4, 10, 4, 59), tick=False):
        assert names(schedule.due(timezone.now())) == {"publish_scheduled"}  # every minute
    with time_machine.travel(at(2026, 5, 4, 10, 5), tick=False):
        assert names(schedule.due(timezone.now())) == {"send_pending_notifications", "search_replay_failed",
                                                       "publish_scheduled"}
    with time_machine.travel(at(2026, 5, 4, 11, 2), tick=False):
        assert names(schedule.due(timezone.now())) == {"send_pending_notifications", "expire_login_attempts",
                                                       "search_time_dependent", "search_replay_failed",
                                                       "publish_scheduled"}
    with time_machine.travel(at(2026, 5, 5, 0, 30), tick=False):
        assert "accueil_close_day" in names(schedule.due(timezone.now()))
    with time_machine.travel(at(2026, 5, 5, 3, 30), tick=False):
        assert "purge_complaints" in names(schedule.due(timezone.now()))


def test_task_results_are_pruned_only_with_the_database_queue(settings):
    assert "prune_task_results" not in names(j for j in schedule.SCHEDULE if j.enabled())  # immediate backend
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASK_RESULT_RETENTION_DAYS = 3
    job = schedule.job_named("prune_task_results")
    assert job.enabled() and job.arguments() == ["--min-age-days", "3"]


@pytest.mark.django_db
def test_a_failing_job_is_logged_and_the_others_still_run(caplog):
    jobs = (Job("boom", "fails", every=dt.timedelta(minutes=5), call="cms.schedule.no_such_function"),
            Job("fine", "works", every=dt.timedelta(minutes=5), command="scheduler", args=("--list",)))
    with caplog.at_level(logging.INFO, logger="cms.scheduler"):
        assert schedule.run_due(jobs=jobs) == {"boom": False, "fine": True}
    assert "Scheduled job boom failed" in caplog.text and "Scheduled job fine done" in caplog.text
    assert schedule.run_due(jobs=jobs) == {}  # the failed one waits for its next slot, as the other


@pytest.mark.django_db
def test_a_slot_claimed_by_another_scheduler_is_not_run_twice():
    from django.core.cache import cache

    job = schedule.job_named("send_pending_notifications")
    cache.add(job.claim_key(timezone.now()), "another scheduler")
    assert "send_pending_notifications" not in schedule.run_due()


def test_once_runs_the_due_jobs_for_real(resident19, mairie19, settings):
    from hackathon import services as lab
    from hackathon.models import Complaint, ComplaintPersonalData

    settings.COMPLAINT_RETENTION_DAYS = 30
    complaint = lab.complaint_submit(user=resident19, mairie=mairie19, subject="Trottoir", full_text="Un trou.",
                                     postal_address="12 rue de Crimée")
    Complaint.objects.filter(pk=complaint.pk).update(received_on=timezone.localdate() - dt.timedelta(days=31))
    AccessAttempt.objects.create(username="awa", ip_address="192.0.2.4", user_agent="x", get_data="", post_data="",
                                 http_accept="", path_info="/", failures_since_start=1)
    AccessAttempt.objects.filter(username="awa").update(attempt_time=timezone.now() - dt.timedelta(hours=1))
    out = io.StringIO()
    call_command("scheduler", "--once", stdout=out)
    assert "purge_complaints: ok" in out.getvalue() and "expire_login_attempts: ok" in out.getvalue()
    assert not ComplaintPersonalData.objects.filter(pk=complaint.pk).exists()
    assert not AccessAttempt.objects.filter(username="awa").exists()
    out = io.StringIO()
    call_command("scheduler", "--once", stdout=out)
    assert out.getvalue().strip() == "Nothing due."


def test_recent_failed_logins_are_kept_until_their_lockout_ends(db, settings):
    from cms.security import login_attempts_expire

    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
    for username, minutes in (("old", 20), ("recent", 5)):
        AccessAttempt.objects.create(username=username, ip_address="192.0.2.4", user_agent="", get_data="",
                                     post_data="", http_accept="", path_info="/", failures_since_start=1)
        AccessAttempt.objects.filter(username=username).update(
            attempt_time=timezone.now() - dt.timedelta(minutes=minutes))
    assert login_attempts_expire() == 1
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["recent"]
