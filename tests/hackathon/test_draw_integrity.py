"""The monthly draw cannot be re-rolled: an announced future entropy event, no run before it, at
most one ordinary redraw a month (more only for a void winner), a month resolved before the next
pool is frozen, corrections to the people told, and the database holding what it can."""

import datetime as dt
import json
import subprocess
import sys

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from cms.errors import Conflict, ServiceError
from hackathon import drawing, selectors, services
from hackathon.models import Draw, Letter, RecurringIssue
from participation import services as engine
from participation.models import Notification
from tests.conftest import api_as, client_as
from tests.factories import resident
from tests.factories.hackathon import ComplaintFactory, IssueFactory, issue_with_complaints

from .conftest import NOW, SOURCE

PUBLIC_AT = NOW + dt.timedelta(days=2)
LATER = NOW + dt.timedelta(days=9)
REASON = "La valeur saisie ne correspondait pas au tirage du Loto publié."


@pytest.fixture
def two_issues(mairie19, clock):
    return issue_with_complaints(mairie19, 5, title="Justificatifs"), issue_with_complaints(mairie19, 3, title="Attente")


def _open(organiser, mairie, **kwargs):
    kwargs.setdefault("entropy_available_at", PUBLIC_AT)
    return services.draw_open(actor=organiser, mairie=mairie, entropy_source=SOURCE, **kwargs)


def _run(organiser, draw, value="4 11 23 38 45"):
    with time_machine.travel(draw.entropy_available_at + dt.timedelta(minutes=5), tick=False):
        return services.draw_run(actor=organiser, draw=draw, entropy_value=value)


def _redraw(organiser, draw, n, **kwargs):
    kwargs.setdefault("reason", REASON)
    return services.draw_redraw(actor=organiser, draw=draw, entropy_source=f"{SOURCE}, tirage de secours n° {n}",
                                entropy_available_at=LATER + dt.timedelta(days=n), **kwargs)


def test_opening_without_or_with_a_past_entropy_moment_is_a_400(two_issues, organiser19):
    api = api_as(organiser19)
    missing = api.post("/api/hackathon/draws/", {"entropy_source": SOURCE}, format="json")
    assert missing.status_code == 400 and "entropy_available_at" in missing.json()["errors"]
    for moment in (NOW - dt.timedelta(hours=1), NOW):
        past = api.post("/api/hackathon/draws/", {"entropy_source": SOURCE, "entropy_available_at": moment.isoformat()},
                        format="json")
        assert past.status_code == 400 and "entropy_available_at" in past.json()["errors"], past.json()
    assert not Draw.objects.exists()


def test_a_source_naming_a_past_event_is_refused_even_with_a_future_moment(two_issues, organiser19, mairie19):
    """The incident: a draw named on « the Loto numbers of 1 January 2020 »."""
    for source in ("Les numéros du Loto du 1er janvier 2020, dans l'ordre croissant",
                   "Les numéros du Loto du 01/01/2020", "Le tour drand du 2020-01-01 à midi"):
        response = api_as(organiser19).post("/api/hackathon/draws/", {
            "entropy_source": source, "entropy_available_at": PUBLIC_AT.isoformat()}, format="json")
        assert response.status_code == 400 and "entropy_source" in response.json()["errors"], source
    assert not Draw.objects.exists()


def test_running_before_the_announced_moment_is_a_409_and_changes_nothing(two_issues, organiser19, clock):
    api = api_as(organiser19)
    draw_id = api.post("/api/hackathon/draws/", {"entropy_source": SOURCE, "entropy_available_at":
                                                 PUBLIC_AT.isoformat()}, format="json").json()["id"]
    early = api.post(f"/api/hackathon/draws/{draw_id}/run/", {"entropy_value": "1 2 3 4 5"}, format="json")
    assert early.status_code == 409 and early.json()["code"] == "too_early"
    assert "n'existe pas encore" in early.json()["detail"]
    assert Draw.objects.get(pk=draw_id).status == Draw.Status.FROZEN
    clock.move_to(PUBLIC_AT)
    assert api.post(f"/api/hackathon/draws/{draw_id}/run/", {"entropy_value": "1 2 3 4 5"},
                    format="json").status_code == 200


def test_a_redraw_without_reason_or_new_future_event_is_a_400(two_issues, organiser19, mairie19):
    first = _run(organiser19, _open(organiser19, mairie19))
    api = api_as(organiser19)
    url = f"/api/hackathon/draws/{first.pk}/redraw/"
    future = LATER.isoformat()
    for body, field in (({"reason": "", "entropy_source": SOURCE + " bis", "entropy_available_at": future}, "reason"),
                        ({"reason": REASON, "entropy_source": SOURCE + " bis"}, "entropy_available_at"),
                        ({"reason": REASON, "entropy_source": SOURCE, "entropy_available_at": future},
                         "entropy_source"),
                        ({"reason": REASON, "entropy_source": SOURCE + " bis",
                          "entropy_available_at": NOW.isoformat()}, "entropy_available_at")):
        response = api.post(url, body, format="json")
        assert response.status_code == 400 and field in response.json()["errors"], (body, response.json())
    assert Draw.objects.count() == 1 and Draw.objects.get().winner_id == first.winner_id


def test_a_second_ordinary_redraw_in_a_month_is_a_409_unless_the_winner_became_void(two_issues, organiser19,
                                                                                       mairie19):
    issue_with_complaints(mairie19, 4, title="Troisième sujet")
    first = _run(organiser19, _open(organiser19, mairie19))
    second = _run(organiser19, _redraw(organiser19, first, 1))
    with pytest.raises(Conflict) as refused:
        _redraw(organiser19, second, 2)
    assert (refused.value.status_code, refused.value.code) == (409, "redraw_limit")
    assert Draw.objects.count() == 2
    third = _redraw(organiser19, second, 2, kind=Draw.RedrawKind.VOID_WINNER,
                    reason="Le sujet tiré a été résolu par le service avant la journée.")
    assert (third.sequence, third.redraw_kind) == (3, "void_winner")
    assert second.winner_id not in [i["id"] for i in json.loads(third.record_json)["issues"]]
    response = api_as(organiser19).post(f"/api/hackathon/draws/{third.pk}/redraw/", {
        "reason": REASON, "entropy_source": SOURCE + " quater", "entropy_available_at": LATER.isoformat()},
        format="json")
    assert response.status_code == 409 and response.json()["code"] == "redraw_limit"


def test_a_void_winner_redraw_needs_a_drawn_winner(two_issues, organiser19, mairie19):
    frozen = _open(organiser19, mairie19)
    with pytest.raises(ValidationError) as refused:
        _redraw(organiser19, frozen, 1, kind=Draw.RedrawKind.VOID_WINNER)
    assert "kind" in refused.value.message_dict
    assert Draw.objects.get().status == Draw.Status.FROZEN


def test_a_refused_redraw_changes_no_winner_and_no_letter(mairie19, organiser19, clock):
    """The redraw frees the winner, withdraws letters, then finds nothing eligible: all rolled back."""
    issue = IssueFactory(mairie=mairie19, title="Le seul sujet")
    paper = ComplaintFactory(mairie=mairie19, issue=issue, personal__contact_email="")
    ComplaintFactory.create_batch(2, mairie=mairie19, issue=issue, personal__contact_email="")
    services._recount(issue.pk)
    draw = _run(organiser19, _open(organiser19, mairie19))
    assert Letter.objects.filter(complaint=paper, event_key=f"draw:{draw.pk}").exists()
    with pytest.raises(ServiceError, match="Aucun sujet"):
        _redraw(organiser19, draw, 1, kind=Draw.RedrawKind.VOID_WINNER)
    assert RecurringIssue.objects.get(pk=issue.pk).status == RecurringIssue.Status.DRAWN
    assert Draw.objects.count() == 1 and Draw.objects.get().winner_id == issue.pk
    assert not Letter.objects.filter(withdrawn_at__isnull=False).exists()
    assert not Notification.objects.filter(verb="draw_corrected").exists()


def test_a_replaced_winner_brings_corrections_and_withdraws_unsent_letters(mairie19, organiser19, agent19, clock,
                                                                            on_commit, mailoutbox):
    issue = IssueFactory(mairie=mairie19, title="Le seul sujet")
    IssueFactory(mairie=mairie19, title="Un autre sujet")
    author, follower = resident(mairie19, username="autrice"), resident(mairie19, username="abonne")
    engine.follow_add(user=follower, target=issue)
    ComplaintFactory(mairie=mairie19, issue=issue, personal__author=author, personal__contact_email="",
                     personal__postal_address="")
    ComplaintFactory(mairie=mairie19, issue=issue, personal__contact_email="avec.email@contact-prive.example")
    unsent = ComplaintFactory(mairie=mairie19, issue=issue, personal__contact_email="")
    sent = ComplaintFactory(mairie=mairie19, issue=issue, personal__contact_email="")
    services._recount(issue.pk)
    with on_commit(execute=True):
        draw = _run(organiser19, _open(organiser19, mairie19))
    assert draw.winner_id == issue.pk
    services.letter_mark_sent(actor=agent19, letter=Letter.objects.get(complaint=sent, event_key=f"draw:{draw.pk}"))
    mailoutbox.clear()
    with on_commit(execute=True):
        new = _redraw(organiser19, draw, 1)
    assert set(Notification.objects.filter(verb="draw_corrected").values_list("user__username", flat=True)) == {
        "autrice", "abonne"}
    assert any("avec.email@contact-prive.example" in m.to and "Correction" in m.body for m in mailoutbox)
    withdrawn = Letter.objects.get(complaint=unsent, event_key=f"draw:{draw.pk}")
    assert withdrawn.withdrawn_at is not None and withdrawn.sent_at is None
    assert Letter.objects.get(complaint=sent, event_key=f"draw:{draw.pk}").withdrawn_at is None
    corrections = Letter.objects.filter(kind=Letter.Kind.CORRECTION)
    assert [(c.complaint_id, c.event_key) for c in corrections] == [(sent.pk, f"redraw:{new.pk}")]
    assert REASON in corrections[0].body
    assert withdrawn not in selectors.letters_for(agent19, mairie19, sent=False)
    with pytest.raises(Conflict):
        services.letter_mark_sent(actor=agent19, letter=withdrawn)


def test_next_months_pool_is_refused_while_the_previous_month_is_unresolved(two_issues, organiser19, mairie19,
                                                                            clock):
    may = _open(organiser19, mairie19)
    clock.move_to(dt.datetime(2026, 6, 2, 10, 0, tzinfo=dt.UTC))
    june = {"entropy_available_at": dt.datetime(2026, 6, 8, 21, 0, tzinfo=dt.UTC)}
    response = api_as(organiser19).post("/api/hackathon/draws/", {
        "entropy_source": "Les 5 numéros du Loto FDJ du lundi 8 juin 2026",
        "entropy_available_at": june["entropy_available_at"].isoformat()}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "previous_draw_pending"
    with pytest.raises(ValidationError):
        services.draw_close(actor=organiser19, draw=may, reason="")
    closed = services.draw_close(actor=organiser19, draw=may, reason="Le tirage du Loto annoncé a été annulé.")
    assert closed.is_void and closed.closed_reason.startswith("Le tirage du Loto")
    with pytest.raises(Conflict):
        services.draw_run(actor=organiser19, draw=may, entropy_value="1 2 3 4 5")
    june_draw = services.draw_open(actor=organiser19, mairie=mairie19, entropy_source="Les 5 numéros du Loto FDJ du "
                                   "lundi 8 juin 2026", **june)
    assert june_draw.month == dt.date(2026, 6, 1)


def test_the_database_refuses_an_early_value_and_two_frozen_pools(two_issues, organiser19, mairie19):
    draw = _open(organiser19, mairie19)
    fields = {f: getattr(draw, f) for f in ("record_json", "list_hash", "entropy_source")}
    with pytest.raises(IntegrityError), transaction.atomic():
        Draw.objects.create(mairie=mairie19, month=dt.date(2026, 6, 1), opened_at=NOW, entropy_available_at=NOW,
                            status=Draw.Status.DRAWN, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():  # a second frozen pool of the same mairie
        Draw.objects.create(mairie=mairie19, month=dt.date(2026, 6, 1), opened_at=NOW, entropy_available_at=LATER,
                            **fields)
    with pytest.raises(IntegrityError), transaction.atomic():  # drawn before its value was public
        Draw._base_manager.filter(pk=draw.pk).update(status=Draw.Status.DRAWN, drawn_at=NOW)
    with pytest.raises(IntegrityError), transaction.atomic():  # a redraw without reason
        Draw.objects.create(mairie=mairie19, month=dt.date(2026, 5, 1), sequence=2, redraw_of=draw, opened_at=NOW,
                            entropy_available_at=LATER, status=Draw.Status.VOID, closed_reason="x", **fields)


def test_the_verifiers_show_the_predecessor_and_the_reason(two_issues, organiser19, mairie19, client19, capsys,
                                                           tmp_path):
    first = _run(organiser19, _open(organiser19, mairie19))
    second = _run(organiser19, _redraw(organiser19, first, 1))
    call_command("verify_draw", "paris19", "2026-05")
    out = capsys.readouterr().out
    assert f"replaces    draw {first.pk} (list hash {first.list_hash})" in out and REASON in out
    assert "redraw kind incident" in out and "DOES NOT" not in out
    verify = api_as(organiser19).get(f"/api/hackathon/draws/{second.pk}/verify/").json()
    assert (verify["replaces"], verify["reason"], verify["replaces_matches"], verify["matches"]) == (
        first.pk, REASON, True, True)
    script = tmp_path / "verifier.py"
    script.write_text(drawing.standalone_script(record_text=second.record_json, entropy_value=second.entropy_value,
                                                list_hash_hex=second.list_hash, seed=second.seed,
                                                winner_id=second.winner_id), encoding="utf-8")
    run = subprocess.run([sys.executable, "-I", str(script)], capture_output=True, text=True, timeout=30, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"redraw of draw:   {first.pk}" in run.stdout and REASON in run.stdout
    page = client19.get(second.get_absolute_url()).content.decode()
    assert first.get_absolute_url() in page and "Incident" in page and "La valeur saisie ne correspondait" in page


def test_organisers_close_a_draw_through_its_page(two_issues, organiser19, resident19, mairie19, client19):
    draw = _open(organiser19, mairie19)
    url = f"/service-lab/tirages/{draw.pk}/cloturer/"
    assert client_as(resident19).post(url, {"reason": "Une raison assez longue."}).status_code == 403
    assert client_as(organiser19).post(url, {"reason": ""}).status_code == 400
    response = client_as(organiser19).post(url, {"reason": "La FDJ a annulé le tirage annoncé."})
    assert response.status_code == 302 and Draw.objects.get().is_void
    page = client19.get(draw.get_absolute_url()).content.decode()
    assert "clôturé sans avoir lieu" in page and "La FDJ a annulé le tirage annoncé." in page
