"""Hackathon days: registration within capacity, waiting list, promotion; outcomes and their
public steps; paper letters."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from cms.errors import Conflict, NotAllowed, ServiceError
from hackathon import letters, services
from hackathon.models import Letter, Outcome, RecurringIssue, Registration
from participation import selectors as engine_selectors
from participation.models import Notification
from tests.factories import resident
from tests.factories.hackathon import ComplaintFactory, IssueFactory

from .conftest import NOW, SOURCE

DAY = NOW + dt.timedelta(days=20)


@pytest.fixture
def drawn(mairie19, organiser19, clock):
    issue = IssueFactory(mairie=mairie19, title="Justificatifs de domicile")
    for _ in range(3):
        ComplaintFactory(mairie=mairie19, issue=issue, personal__contact_email="")
    draw = services.draw_open(actor=organiser19, mairie=mairie19, entropy_source=SOURCE,
                              entropy_available_at=NOW + dt.timedelta(hours=1))
    with time_machine.travel(NOW + dt.timedelta(hours=2), tick=False):
        return services.draw_run(actor=organiser19, draw=draw, entropy_value="4 11 23 38 45")


def _session(organiser, draw, capacity=2):
    return services.session_create(actor=organiser, draw=draw, title="Hackathon justificatifs", starts_at=DAY,
                                   ends_at=DAY + dt.timedelta(hours=8), place="Salle des fêtes", capacity=capacity,
                                   programme="Matin : témoignages.", tools="Post-it")


def test_a_session_belongs_to_a_drawn_draw_and_invites_paper_complainants(drawn, organiser19):
    session = _session(organiser19, drawn)
    assert session.issue == drawn.winner and session.mairie == drawn.mairie
    assert Letter.objects.filter(event_key=f"session:{session.pk}").count() == 3
    with pytest.raises(Conflict):
        _session(organiser19, drawn)


def test_session_rules(drawn, organiser19, agent19):
    with pytest.raises(NotAllowed):
        _session(agent19, drawn)
    with pytest.raises(ValidationError):
        services.session_create(actor=organiser19, draw=drawn, title="x", starts_at=DAY, ends_at=DAY, place="p",
                                capacity=10)
    with pytest.raises(ValidationError):
        services.session_create(actor=organiser19, draw=drawn, title="x", starts_at=DAY,
                                ends_at=DAY + dt.timedelta(hours=1), place="p", capacity=0)


def test_registration_beyond_capacity_goes_to_the_waiting_list_and_cancel_promotes(drawn, organiser19,
                                                                                  mairie19):
    session = _session(organiser19, drawn, capacity=2)
    a, b, c, d = (resident(mairie19, username=name) for name in "abcd")
    assert [services.session_register(user=u, session=session).status for u in (a, b, c, d)] == [
        "confirmed", "confirmed", "waiting", "waiting"]
    with pytest.raises(Conflict):
        services.session_register(user=a, session=session)
    promoted = services.session_unregister(user=b, session=session)
    assert [r.user for r in promoted] == [c]
    assert Registration.objects.get(session=session, user=c).status == "confirmed"
    assert Registration.objects.get(session=session, user=d).status == "waiting"
    assert Notification.objects.filter(user=c, verb="registration").exists()
    with pytest.raises(Conflict):
        services.session_unregister(user=b, session=session)


def test_raising_capacity_promotes_the_waiting_list(drawn, organiser19, mairie19):
    session = _session(organiser19, drawn, capacity=1)
    a, b = resident(mairie19, username="a"), resident(mairie19, username="b")
    services.session_register(user=a, session=session)
    services.session_register(user=b, session=session)
    services.session_update(actor=organiser19, session=session, capacity=2)
    assert Registration.objects.get(user=b).status == "confirmed"


def test_unconfirmed_accounts_and_late_registrations_are_refused(drawn, organiser19, mairie19, clock):
    session = _session(organiser19, drawn)
    with pytest.raises(NotAllowed):
        services.session_register(user=resident(mairie19, email_confirmed=False), session=session)
    clock.move_to(DAY + dt.timedelta(minutes=1))
    with pytest.raises(ServiceError):
        services.session_register(user=resident(mairie19, username="tard"), session=session)


def test_agents_register_too(drawn, organiser19, agent19):
    session = _session(organiser19, drawn)
    assert services.session_register(user=agent19, session=session).status == "confirmed"


def test_outcome_is_published_after_the_day_and_followed_to_implemented(drawn, organiser19, mairie19, clock):
    session = _session(organiser19, drawn)
    follower = resident(mairie19, username="abonne")
    from participation import services as engine

    engine.follow_add(user=follower, target=session.issue)
    with pytest.raises(ServiceError):
        services.outcome_publish(actor=organiser19, session=session, decision="x", carried_by="y")
    clock.move_to(DAY + dt.timedelta(days=1))
    outcome = services.outcome_publish(
        actor=organiser19, session=session, carried_by="Service de l'état civil", due_on=dt.date(2026, 9, 1),
        decision="Les factures de téléphone mobile sont désormais acceptées comme justificatif de domicile.")
    with pytest.raises(Conflict):
        services.outcome_publish(actor=organiser19, session=session, decision="x", carried_by="y")
    with pytest.raises(Conflict):
        services.outcome_advance(actor=organiser19, outcome=outcome, status="implemented", note="Trop tôt")
    with pytest.raises(ValidationError):
        services.outcome_advance(actor=organiser19, outcome=outcome, status="in_progress", note="")
    services.outcome_advance(actor=organiser19, outcome=outcome, status="in_progress", note="Formulaires revus.")
    outcome = services.outcome_advance(actor=organiser19, outcome=outcome, status="implemented",
                                       note="En place à tous les guichets.")
    assert outcome.status == Outcome.Status.IMPLEMENTED
    assert RecurringIssue.objects.get(pk=session.issue_id).status == RecurringIssue.Status.SOLVED
    timeline = engine_selectors.public_timeline(session.issue)
    assert [e.action for e in timeline] == ["drawn", "outcome_decided", "outcome_in_progress",
                                            "outcome_implemented"]
    assert timeline[-1].reason == "En place à tous les guichets."
    assert Notification.objects.filter(user=follower, verb="outcome").count() == 3
    assert Letter.objects.filter(kind="outcome").count() == 3 * 3  # three paper complainants, three steps
    with pytest.raises(Conflict):
        services.outcome_advance(actor=organiser19, outcome=outcome, status="implemented", note="Encore")


def test_only_organisers_publish_outcomes(drawn, organiser19, agent19, clock):
    session = _session(organiser19, drawn)
    clock.move_to(DAY + dt.timedelta(days=1))
    with pytest.raises(NotAllowed):
        services.outcome_publish(actor=agent19, session=session, decision="x", carried_by="y")


def test_a_letter_is_a_french_pdf_and_its_sending_is_logged(drawn, organiser19, agent19):
    letter = Letter.objects.filter(event_key=f"draw:{drawn.pk}").first()
    pdf = letters.render_letter(letter)
    assert pdf.startswith(b"%PDF-") and len(pdf) > 1000
    services.letter_mark_sent(actor=agent19, letter=letter)
    letter.refresh_from_db()
    assert letter.sent_at is not None and letter.sent_by == agent19
    with pytest.raises(Conflict):
        services.letter_mark_sent(actor=agent19, letter=letter)


def test_letters_render_without_system_fonts(drawn, monkeypatch, tmp_path):
    monkeypatch.setattr(letters, "FONT_DIRS", [tmp_path])
    letter = Letter.objects.filter(event_key=f"draw:{drawn.pk}").first()
    letter.body = "Œuvre « collective » — l’accueil…"
    assert letters.render_letter(letter).startswith(b"%PDF-")
