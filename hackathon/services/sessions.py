"""The Service lab's writes, part 3: hackathon sessions, their outcomes, and the letters to print."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cms.errors import Conflict, NotAllowed, ServiceError
from participation import services as engine

from .. import permissions
from ..models import (
    SEATS,
    Draw,
    HackathonSession,
    Letter,
    Outcome,
    RecurringIssue,
    Registration,
)
from .complaints import _clean, _tell_complainants, absolute_url

# --- sessions ---------------------------------------------------------------------------------


def _session_fields(title, starts_at, ends_at, place, capacity, programme, tools):
    errors = {}
    if starts_at is None or ends_at is None:
        errors["starts_at"] = _("Indiquez le début et la fin.")
    elif ends_at <= starts_at:
        errors["ends_at"] = _("La fin doit suivre le début.")
    if capacity is None or int(capacity) < 1:
        errors["capacity"] = _("Au moins une place.")
    if errors:
        raise ValidationError(errors)
    return {"title": _clean(title, "title", 160), "starts_at": starts_at, "ends_at": ends_at,
            "place": _clean(place, "place", 200), "capacity": int(capacity),
            "programme": _clean(programme, "programme", 6000, required=False),
            "tools": _clean(tools, "tools", 4000, required=False)}


@transaction.atomic
def session_create(*, actor, draw, title, starts_at, ends_at, place, capacity, programme="", tools=""):
    if not permissions.user_can_manage_session(actor, draw.mairie):
        raise NotAllowed(_("Seuls les organisateur·rices de cette mairie programment les journées."))
    if not draw.is_drawn or Draw.objects.filter(redraw_of=draw).exists():
        raise ServiceError(_("Une journée se programme sur un tirage qui a eu lieu et n'a pas été refait."),
                           code="draw_not_final")
    fields = _session_fields(title, starts_at, ends_at, place, capacity, programme, tools)
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("La journée doit être dans le futur.")})
    try:
        with transaction.atomic():
            session = HackathonSession.objects.create(mairie=draw.mairie, draw=draw, issue=draw.winner, **fields)
    except IntegrityError as exc:
        raise Conflict(_("Ce tirage a déjà sa journée."), code="session_exists") from exc
    when = formats.date_format(timezone.localtime(starts_at), "DATETIME_FORMAT")
    message = _("La journée hackathon sur « %(title)s » aura lieu le %(when)s, %(place)s. Inscription libre "
                "dans la limite des %(n)d places : %(url)s") % {"title": draw.winner.title, "when": when,
                                                                 "place": session.place, "n": session.capacity,
                                                                 "url": absolute_url(session.mairie,
                                                                                     session.get_absolute_url())}
    _tell_complainants(issue=draw.winner, verb="session", title=_("Une journée hackathon sur votre sujet"),
                       message=message, url=session.get_absolute_url(), actor=actor, letter_kind=Letter.Kind.DRAW,
                       event_key=f"session:{session.pk}", letter_subject=_("Invitation à la journée hackathon"))
    return session


@transaction.atomic
def session_update(*, actor, session, **changes):
    if not permissions.user_can_manage_session(actor, session.mairie):
        raise NotAllowed(_("Seuls les organisateur·rices de cette mairie modifient les journées."))
    current = {name: getattr(session, name) for name in
               ("title", "starts_at", "ends_at", "place", "capacity", "programme", "tools")}
    current.update({k: v for k, v in changes.items() if k in current and v is not None})
    for name, value in _session_fields(**current).items():
        setattr(session, name, value)
    session.save()
    _promote_waiting(session)
    return session


def _promote_waiting(session):
    """Fill free seats from the waiting list, oldest first (participation.waitlist); tell the promoted.
    The caller holds the session's lock."""
    promoted = SEATS.promote(session, select_related=("user",))
    if promoted:
        engine.notify_users(users=[r.user for r in promoted], target=session.issue, verb="registration",
                            title=_("Une place s'est libérée : vous êtes inscrit·e"),
                            message=_("Vous passez de la liste d'attente aux inscrit·es de « %(t)s ».") % {
                                "t": session.title}, url=session.get_absolute_url())
    return promoted


@transaction.atomic
def session_register(*, user, session) -> Registration:
    """Register, within capacity, or join the waiting list. The session row is locked while
    counting, so two last-seat requests cannot both be confirmed."""
    if not getattr(user, "is_authenticated", False):
        raise NotAllowed(_("Connectez-vous pour vous inscrire."), code="not_authenticated")
    if not permissions.user_can_register_session(user, session):
        raise NotAllowed(_("Confirmez d'abord votre adresse e-mail pour vous inscrire."), code="unconfirmed")
    session = SEATS.lock(session)
    if session.status != HackathonSession.Status.PLANNED or session.starts_at <= timezone.now():
        raise ServiceError(_("Les inscriptions à cette journée sont closes."), code="closed")
    if Registration.objects.filter(session=session, user=user).exists():
        raise Conflict(_("Vous êtes déjà inscrit·e à cette journée."), code="already_registered")
    status = SEATS.status_for_newcomer(session)
    try:
        with transaction.atomic():
            registration = Registration.objects.create(session=session, user=user, status=status)
    except IntegrityError as exc:
        raise Conflict(_("Vous êtes déjà inscrit·e à cette journée."), code="already_registered") from exc
    engine.follow_add(user=user, target=session.issue)
    return registration


@transaction.atomic
def session_unregister(*, user, session):
    """Cancel a registration; a freed seat goes to the first person waiting."""
    if not getattr(user, "is_authenticated", False):
        raise NotAllowed(_("Connectez-vous pour annuler votre inscription."), code="not_authenticated")
    session = SEATS.lock(session)
    registration = Registration.objects.filter(session=session, user=user).first()
    if registration is None:
        raise Conflict(_("Vous n'êtes pas inscrit·e à cette journée."), code="not_registered")
    registration.delete()
    return _promote_waiting(session) if session.starts_at > timezone.now() else []


# --- outcomes ---------------------------------------------------------------------------------


def _outcome_news(outcome, note):
    label = Outcome.Status(outcome.status).label
    message = _("Suite donnée à « %(title)s » : %(status)s.\n\nDécision : %(decision)s\nPortée par : %(who)s") % {
        "title": outcome.issue.title, "status": label.lower(), "decision": outcome.decision,
        "who": outcome.carried_by}
    if outcome.due_on:
        message += "\n" + _("Échéance : %(d)s") % {"d": formats.date_format(outcome.due_on, "DATE_FORMAT")}
    if note:
        message += "\n\n" + note
    return message + "\n\n" + absolute_url(outcome.mairie, outcome.get_absolute_url())


def _outcome_changed(outcome, actor, note, action):
    label = Outcome.Status(outcome.status).label
    engine.audit_record(actor=actor, target=outcome.issue, action=action, public=True, reason=note,
                        label=_("Suite donnée : %(s)s") % {"s": label.lower()},
                        data={"outcome": outcome.pk, "status": outcome.status})
    _tell_complainants(issue=outcome.issue, verb="outcome", title=_("Suite donnée : %(s)s") % {"s": label.lower()},
                       message=_outcome_news(outcome, note), url=outcome.get_absolute_url(), actor=actor,
                       letter_kind=Letter.Kind.OUTCOME, event_key=f"outcome:{outcome.pk}:{outcome.status}",
                       letter_subject=_("Ce que la mairie a décidé sur votre sujet"))


@transaction.atomic
def outcome_publish(*, actor, session, decision, carried_by, due_on=None, note="") -> Outcome:
    """After the day: what was decided, who carries it, by when."""
    if not permissions.user_can_manage_outcome(actor, session.mairie):
        raise NotAllowed(_("Seuls les organisateur·rices de cette mairie publient les suites données."))
    now = timezone.now()
    if session.starts_at > now:
        raise ServiceError(_("La suite se publie après la journée."), code="too_early")
    decision = _clean(decision, "decision", 4000)
    carried_by = _clean(carried_by, "carried_by", 200)
    note = _clean(note, "note", 2000, required=False)
    try:
        with transaction.atomic():
            outcome = Outcome.objects.create(mairie=session.mairie, session=session, issue=session.issue,
                                             decision=decision, carried_by=carried_by, due_on=due_on,
                                             published_at=now)
    except IntegrityError as exc:
        raise Conflict(_("La suite de cette journée est déjà publiée."), code="outcome_exists") from exc
    _outcome_changed(outcome, actor, note, "outcome_decided")
    return outcome


@transaction.atomic
def outcome_advance(*, actor, outcome, status, note) -> Outcome:
    """decided → in progress → implemented, each step with a public note."""
    if not permissions.user_can_manage_outcome(actor, outcome.mairie):
        raise NotAllowed(_("Seuls les organisateur·rices de cette mairie font avancer les suites."))
    outcome = Outcome.objects.select_for_update().select_related("issue").get(pk=outcome.pk)
    expected = Outcome.NEXT.get(outcome.status)
    if status not in Outcome.Status.values:
        raise ValidationError({"status": _("Statut inconnu.")})
    if status != expected:
        raise Conflict(_("Étape suivante attendue : %(s)s.") % {
            "s": Outcome.Status(expected).label.lower() if expected else _("aucune, c'est réalisé")},
            code="bad_transition")
    note = _clean(note, "note", 2000)
    outcome.status = status
    outcome.save()
    if status == Outcome.Status.IMPLEMENTED:
        RecurringIssue.objects.filter(pk=outcome.issue_id).update(status=RecurringIssue.Status.SOLVED)
        outcome.issue.status = RecurringIssue.Status.SOLVED
    _outcome_changed(outcome, actor, note, f"outcome_{status}")
    return outcome


# --- letters --------------------------------------------------------------------------------


@transaction.atomic
def letter_mark_sent(*, actor, letter) -> Letter:
    if not permissions.user_can_handle_letters(actor, letter.mairie):
        raise NotAllowed(_("Seuls les agents de cette mairie envoient les lettres."))
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if letter.sent_at is not None:
        raise Conflict(_("Cette lettre est déjà notée comme envoyée."), code="already_sent")
    if letter.withdrawn_at is not None:
        raise Conflict(_("Cette lettre a été retirée : le résultat qu'elle annonçait a été remplacé."),
                       code="letter_withdrawn")
    letter.sent_at, letter.sent_by = timezone.now(), actor
    letter.save(update_fields=["sent_at", "sent_by"])
    return letter
