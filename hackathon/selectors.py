"""Reads that carry the Service lab's visibility rules."""

import json

from django.db.models import Prefetch

from . import permissions, similarity
from .models import SEATS, Complaint, Draw, HackathonSession, Letter, Outcome, RecurringIssue, Registration


def public_issues(mairie):
    return (RecurringIssue.objects.filter(mairie=mairie, is_hidden=False)
            .exclude(status=RecurringIssue.Status.ARCHIVED).select_related("quartier").prefetch_related("tags"))


def issue_is_visible(user, issue) -> bool:
    return issue.is_public() or permissions.user_can_manage_issue(user, issue.mairie)


def issues_for(user, mairie):
    """Public issues; agents and organisers of the mairie also see archived and hidden ones."""
    if permissions.user_can_manage_issue(user, mairie):
        return RecurringIssue.objects.filter(mairie=mairie).select_related("quartier").prefetch_related("tags")
    return public_issues(mairie)


def public_summaries(issue):
    """The anonymised summaries agents approved: the only trace of a complaint the public sees."""
    return (Complaint.objects.filter(issue=issue, summary_approved_at__isnull=False).exclude(public_summary="")
            .only("id", "public_summary", "received_on", "channel", "issue_id").order_by("-received_on", "-id"))


def complaints_for(user, mairie):
    """Complaints of a mairie for its agents and organisers; nothing for anyone else."""
    if not permissions.user_can_list_complaints(user, mairie):
        return Complaint.objects.none()
    return (Complaint.objects.filter(mairie=mairie).select_related("issue", "quartier", "personal")
            .prefetch_related("tags"))


def complaints_of_author(user):
    """A resident's own complaints, sent online or digitised by an agent under their account, in every mairie,
    newest first. Once its personal data is purged a complaint is no longer linked to anyone, and leaves
    this list."""
    if not getattr(user, "is_authenticated", False):
        return Complaint.objects.none()
    return (Complaint.objects.filter(personal__author=user).select_related("mairie", "issue", "personal")
            .order_by("-created_at", "-pk"))


def suggest_issues(mairie, text, *, exclude_issue_id=None, limit=5):
    """Open issues of the mairie whose words are closest to `text`: [(issue, score)]."""
    issues = {issue.pk: issue for issue in RecurringIssue.objects.filter(mairie=mairie).exclude(
        status__in=[RecurringIssue.Status.ARCHIVED, RecurringIssue.Status.SOLVED])}
    if exclude_issue_id:
        issues.pop(exclude_issue_id, None)
    if not issues or not (text or "").strip():
        return []
    texts = {pk: [issue.title, issue.description] for pk, issue in issues.items()}
    rows = (Complaint.objects.filter(issue_id__in=list(issues)).values_list(
        "issue_id", "public_summary", "personal__subject", "personal__full_text"))
    for issue_id, summary, subject, full_text in rows:
        texts[issue_id].extend([summary or "", subject or "", (full_text or "")[:2000]])
    profiles = {pk: similarity.tokens(" ".join(parts)) for pk, parts in texts.items()}
    return [(issues[pk], round(score, 3)) for pk, score in similarity.rank(text, profiles, limit=limit)]


def draws_for(mairie):
    return Draw.objects.filter(mairie=mairie).select_related("winner", "redraw_of", "redraw").order_by(
        "-month", "-sequence")


def draw_record(draw):
    return json.loads(draw.record_json)


def sessions_for(mairie):
    return (HackathonSession.objects.filter(mairie=mairie).select_related("issue", "draw")
            .prefetch_related(Prefetch("outcome", queryset=Outcome.objects.select_related("issue")))
            .order_by("-starts_at"))


def sessions_with_registrations(mairie, user):
    """sessions_for, each with its counts and `user`'s own registration (with its waiting position)
    read along with the sessions: a list of them costs no query per session."""
    qs = sessions_for(mairie).annotate(confirmed_count=SEATS.count_subquery(Registration.Status.CONFIRMED),
                                       waiting_count=SEATS.count_subquery(Registration.Status.WAITING))
    if getattr(user, "is_authenticated", False):
        mine = Registration.objects.filter(user=user).annotate(waiting_ahead=SEATS.waiting_ahead_subquery())
        qs = qs.prefetch_related(Prefetch("registrations", queryset=mine, to_attr="own_registrations"))
    return qs


def session_counts(session) -> dict:
    if hasattr(session, "confirmed_count"):  # sessions_with_registrations
        confirmed, waiting = session.confirmed_count, session.waiting_count
    else:
        confirmed = session.registrations.filter(status=Registration.Status.CONFIRMED).count()
        waiting = session.registrations.filter(status=Registration.Status.WAITING).count()
    return {"confirmed": confirmed, "waiting": waiting, "free": max(session.capacity - confirmed, 0)}


def registration_of(user, session):
    if not getattr(user, "is_authenticated", False):
        return None
    if hasattr(session, "own_registrations"):  # sessions_with_registrations, for this user
        return next((r for r in session.own_registrations if r.user_id == user.pk), None)
    return Registration.objects.filter(session=session, user=user).first()


def waiting_position(registration) -> int | None:
    return SEATS.position(registration)


def letters_for(user, mairie, *, sent=None):
    if not permissions.user_can_handle_letters(user, mairie):
        return Letter.objects.none()
    qs = Letter.objects.filter(mairie=mairie, withdrawn_at__isnull=True).select_related(
        "complaint", "complaint__personal", "sent_by")
    if sent is not None:
        qs = qs.filter(sent_at__isnull=not sent)
    return qs.order_by("-created_at", "-id") if sent else qs.order_by("created_at", "id")


def outcomes_for(mairie):
    return Outcome.objects.filter(mairie=mairie).select_related("issue", "session").order_by("-published_at")
