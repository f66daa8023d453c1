"""The monthly draw through its services: freeze, run, verify, redraw; never edited or deleted."""

import datetime as dt
import json
import subprocess
import sys

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from cms.errors import Conflict, NotAllowed, ServiceError
from hackathon import drawing, services
from hackathon.models import Draw, Letter, RecurringIssue
from participation import services as engine
from participation.models import AuditEntry, Notification
from tests.factories import resident
from tests.factories.hackathon import ComplaintFactory, IssueFactory, issue_with_complaints

from .conftest import NOW, SOURCE


@pytest.fixture
def issues(mairie19, mairie20, clock):
    big = issue_with_complaints(mairie19, 5, title="Justificatifs de domicile")
    small = issue_with_complaints(mairie19, 3, title="Attente à l'état civil")
    issue_with_complaints(mairie19, 2, title="Trop peu de courriers")
    issue_with_complaints(mairie19, 4, title="Déjà résolu", status=RecurringIssue.Status.SOLVED)
    issue_with_complaints(mairie19, 4, title="Déjà tiré", status=RecurringIssue.Status.DRAWN)
    issue_with_complaints(mairie20, 6, title="Sujet du 20e")
    return big, small


def _open(organiser, mairie, **kwargs):
    kwargs.setdefault("entropy_available_at", NOW + dt.timedelta(days=2))
    return services.draw_open(actor=organiser, mairie=mairie, entropy_source=SOURCE, **kwargs)


def _run(organiser, draw, entropy_value):
    """Run the draw once its announced value is public."""
    with time_machine.travel(draw.entropy_available_at + dt.timedelta(minutes=1), tick=False):
        return services.draw_run(actor=organiser, draw=draw, entropy_value=entropy_value)


def test_opening_freezes_the_eligible_issues_with_their_weights_and_publishes_the_hash(issues, organiser19,
                                                                                         mairie19, resident19):
    big, small = issues
    engine.support_add(user=resident19, target=small)
    draw = _open(organiser19, mairie19)
    record = json.loads(draw.record_json)
    assert [(i["id"], i["weight"], i["complaints"], i["me_too"]) for i in record["issues"]] == [
        (big.pk, 5, 5, 0), (small.pk, 4, 3, 1)]
    assert record["entropy_source"] == SOURCE and record["month"] == "2026-05" and record["min_complaints"] == 3
    assert draw.list_hash == drawing.hash_of_bytes(draw.record_json.encode()) == drawing.list_hash(record)
    assert draw.status == Draw.Status.FROZEN and not draw.seed and draw.winner is None


def test_min_complaints_comes_from_settings(issues, organiser19, mairie19, settings):
    settings.DRAW_MIN_COMPLAINTS = 5
    record = json.loads(_open(organiser19, mairie19).record_json)
    assert [i["title"] for i in record["issues"]] == ["Justificatifs de domicile"]


def test_no_eligible_issue_is_a_clear_error_and_creates_nothing(mairie19, organiser19, clock):
    issue_with_complaints(mairie19, 2)
    with pytest.raises(ServiceError, match="Aucun sujet") as exc:
        _open(organiser19, mairie19)
    assert exc.value.code == "no_eligible_issue"
    assert not Draw.objects.exists()


def test_a_second_draw_for_the_same_month_is_a_conflict(issues, organiser19, mairie19):
    _open(organiser19, mairie19)
    with pytest.raises(Conflict):
        _open(organiser19, mairie19)
    assert Draw.objects.count() == 1


def test_only_organisers_of_the_mairie_open_a_draw(issues, mairie19, agent19, organiser20):
    for user in (agent19, organiser20):
        with pytest.raises(NotAllowed):
            _open(user, mairie19)


def test_source_must_be_named_and_its_value_unknown_at_freeze_time(issues, organiser19, mairie19):
    with pytest.raises(ValidationError):
        services.draw_open(actor=organiser19, mairie=mairie19, entropy_source="dés")
    with pytest.raises(ValidationError):
        _open(organiser19, mairie19, entropy_available_at=NOW - dt.timedelta(hours=1))
    with pytest.raises(ValidationError):
        _open(organiser19, mairie19, month="2026-03")
    assert not Draw.objects.exists()


def test_running_the_draw_picks_the_winner_by_the_published_procedure(issues, organiser19, mairie19):
    draw = _open(organiser19, mairie19)
    draw = _run(organiser19, draw, "  4 11  23 38 45 ")
    assert draw.entropy_value == "4 11 23 38 45"
    expected = drawing.recompute(draw.record_json.encode(), "4 11 23 38 45")
    assert draw.seed == expected["seed"] == drawing.compute_seed(draw.list_hash, "4 11 23 38 45")
    assert draw.winner_id == expected["winner_id"]
    assert RecurringIssue.objects.get(pk=draw.winner_id).status == RecurringIssue.Status.DRAWN
    assert AuditEntry.objects.filter(action="drawn", public=True, object_id=str(draw.winner_id)).exists()
    verification = services.draw_verify(draw)
    assert verification["matches"] is True and verification["winner_id"] == draw.winner_id


def test_empty_entropy_is_refused_and_nothing_changes(issues, organiser19, mairie19):
    draw = _open(organiser19, mairie19)
    with pytest.raises(ValidationError):
        _run(organiser19, draw, "   ")
    draw.refresh_from_db()
    assert draw.status == Draw.Status.FROZEN and draw.entropy_value == "" and draw.winner is None


def test_a_draw_runs_once(issues, organiser19, mairie19):
    draw = _run(organiser19, _open(organiser19, mairie19), "1 2 3 4 5")
    with pytest.raises(Conflict):
        _run(organiser19, draw, "6 7 8 9 10")
    draw.refresh_from_db()
    assert draw.entropy_value == "1 2 3 4 5"


def test_the_draw_waits_for_its_announced_value(issues, organiser19, mairie19, clock):
    draw = _open(organiser19, mairie19, entropy_available_at=NOW + dt.timedelta(days=2))
    with pytest.raises(Conflict, match="n'existe pas encore") as early:
        services.draw_run(actor=organiser19, draw=draw, entropy_value="1 2 3 4 5")
    assert (early.value.status_code, early.value.code) == (409, "too_early")
    assert not Draw.objects.get(pk=draw.pk).is_drawn
    clock.shift(dt.timedelta(days=3))
    assert services.draw_run(actor=organiser19, draw=draw, entropy_value="1 2 3 4 5").is_drawn


def test_a_drawn_draw_cannot_be_edited_or_deleted(issues, organiser19, mairie19):
    draw = _run(organiser19, _open(organiser19, mairie19), "1 2 3 4 5")
    draw.entropy_value = "9 9 9 9 9"
    with pytest.raises(Conflict):
        draw.save()
    with pytest.raises(Conflict):
        draw.delete()
    with pytest.raises(Conflict):
        Draw.objects.filter(pk=draw.pk).update(seed="0" * 64)
    with pytest.raises(Conflict):
        Draw.objects.filter(pk=draw.pk).delete()
    assert Draw.objects.get(pk=draw.pk).entropy_value == "1 2 3 4 5"


def test_a_frozen_list_cannot_be_changed_before_the_draw(issues, organiser19, mairie19):
    draw = _open(organiser19, mairie19)
    draw.entropy_source = "Un autre tirage, choisi après coup"
    with pytest.raises(Conflict):
        draw.save()


def test_verification_detects_a_tampered_record(issues, organiser19, mairie19):
    draw = _run(organiser19, _open(organiser19, mairie19), "1 2 3 4 5")
    with connection.cursor() as cursor:  # someone edits the database behind the application's back
        cursor.execute("UPDATE hackathon_draw SET entropy_value = %s WHERE id = %s", ["1 2 3 4 6", draw.pk])
    assert services.draw_verify(Draw.objects.get(pk=draw.pk))["matches"] is False


def test_verify_draw_command_recomputes_and_says_whether_it_matches(issues, organiser19, mairie19, capsys):
    draw = _run(organiser19, _open(organiser19, mairie19), "1 2 3 4 5")
    call_command("verify_draw", "paris19", "2026-05")
    out = capsys.readouterr().out
    assert "MATCHES" in out and draw.seed in out and "DOES NOT" not in out
    with connection.cursor() as cursor:
        cursor.execute("UPDATE hackathon_draw SET seed = %s WHERE id = %s", ["0" * 64, draw.pk])
    with pytest.raises(CommandError):
        call_command("verify_draw", "paris19", "2026-05")
    with pytest.raises(CommandError):
        call_command("verify_draw", "paris19", "2026-04")
    with pytest.raises(CommandError):
        call_command("verify_draw", "nulle-part", "2026-05")


def test_the_standalone_script_recomputes_the_same_winner(issues, organiser19, mairie19, tmp_path):
    draw = _run(organiser19, _open(organiser19, mairie19), "1 2 3 4 5")
    script = tmp_path / "verifier.py"
    script.write_text(drawing.standalone_script(record_text=draw.record_json, entropy_value=draw.entropy_value,
                                                list_hash_hex=draw.list_hash, seed=draw.seed,
                                                winner_id=draw.winner_id), encoding="utf-8")
    run = subprocess.run([sys.executable, "-I", str(script)], capture_output=True, text=True, timeout=30,
                         check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"winner:           {draw.winner_id} " in run.stdout and draw.seed in run.stdout
    record = tmp_path / "liste.json"
    record.write_bytes(draw.record_json.encode())
    other = subprocess.run([sys.executable, "-I", str(script), str(record), "1 2 3 4 6"], capture_output=True,
                           text=True, timeout=30, check=False)
    assert other.returncode == 1 and "DOES NOT MATCH" in other.stdout


def test_a_redraw_needs_a_reason_keeps_the_first_visible_and_is_linked(issues, organiser19, mairie19):
    first = _run(organiser19, _open(organiser19, mairie19), "1 2 3 4 5")
    with pytest.raises(ValidationError):
        services.draw_redraw(actor=organiser19, draw=first, reason="", entropy_source=SOURCE)
    RecurringIssue.objects.filter(pk=first.winner_id).update(status=RecurringIssue.Status.SOLVED)
    second = services.draw_redraw(actor=organiser19, draw=first, entropy_source=SOURCE + " (second tirage)",
                                  reason="Le sujet tiré a été résolu entre-temps par le service.",
                                  entropy_available_at=NOW + dt.timedelta(days=3))
    assert (second.sequence, second.redraw_of_id, second.month) == (2, first.pk, first.month)
    record = json.loads(second.record_json)
    assert record["replaces"] == {"draw_id": first.pk, "list_hash": first.list_hash}
    assert first.winner_id not in [i["id"] for i in record["issues"]]
    assert Draw.objects.get(pk=first.pk).is_drawn  # the first stays, unchanged
    with pytest.raises(Conflict):
        services.draw_redraw(actor=organiser19, draw=first, reason="Encore une fois, pour voir.",
                             entropy_source=SOURCE + " (troisième)", entropy_available_at=NOW + dt.timedelta(days=4))
    with pytest.raises(Conflict):
        _open(organiser19, mairie19)


def test_a_replaced_frozen_draw_cannot_be_run(issues, organiser19, mairie19):
    first = _open(organiser19, mairie19)
    services.draw_redraw(actor=organiser19, draw=first, entropy_source=SOURCE + " bis",
                         reason="Le tirage du Loto annoncé a été annulé.", entropy_available_at=NOW + dt.timedelta(days=3))
    with pytest.raises(Conflict):
        _run(organiser19, first, "1 2 3 4 5")


def test_the_draw_tells_followers_account_authors_email_contacts_and_queues_letters(mairie19, organiser19, clock,
                                                                                    on_commit, mailoutbox):
    issue = IssueFactory(mairie=mairie19, title="Le seul sujet")
    author = resident(mairie19, username="autrice")
    follower = resident(mairie19, username="abonne")
    engine.follow_add(user=follower, target=issue)
    ComplaintFactory(mairie=mairie19, issue=issue, personal__author=author, personal__contact_email="",
                     personal__postal_address="")
    ComplaintFactory(mairie=mairie19, issue=issue, personal__contact_email="avec.email@contact-prive.example")
    paper = ComplaintFactory(mairie=mairie19, issue=issue, personal__contact_email="")
    ComplaintFactory(mairie=mairie19, issue=issue, personal__contact_email="", personal__postal_address="")
    with on_commit(execute=True):
        draw = _run(organiser19, _open(organiser19, mairie19), "1 2 3 4 5")
    assert draw.winner_id == issue.pk
    assert set(Notification.objects.filter(verb="drawn").values_list("user__username", flat=True)) == {
        "autrice", "abonne"}
    assert any("avec.email@contact-prive.example" in m.to for m in mailoutbox)
    letters = list(Letter.objects.all())
    assert [(letter.complaint_id, letter.kind) for letter in letters] == [(paper.pk, Letter.Kind.DRAW)]
    assert "tiré au sort" in letters[0].body and "contact-prive" not in letters[0].body


def test_draws_are_per_mairie(issues, organiser19, organiser20, mairie19, mairie20):
    _open(organiser19, mairie19)
    draw20 = _open(organiser20, mairie20)
    assert [i["title"] for i in json.loads(draw20.record_json)["issues"]] == ["Sujet du 20e"]


def test_month_label_and_timezone(issues, organiser19, mairie19):
    draw = _open(organiser19, mairie19)
    assert draw.month == timezone.localdate().replace(day=1) and draw.month_label == "2026-05"
