"""The Service lab's writes, part 2: the monthly draw anyone can verify."""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cms.errors import Conflict, NotAllowed, ServiceError
from participation import services as engine

from .. import conf, drawing, permissions
from ..models import (
    Complaint,
    Draw,
    HackathonSession,
    Letter,
    RecurringIssue,
)
from .complaints import _tell_complainants, absolute_url

ENTROPY_MAX_LENGTH = 500

# --- the draw -------------------------------------------------------------------------------


def month_start(value) -> dt.date:
    if isinstance(value, str):
        try:
            year, month = value.split("-")
            return dt.date(int(year), int(month), 1)
        except (ValueError, TypeError) as exc:
            raise ValidationError({"month": _("Mois attendu au format AAAA-MM.")}) from exc
    return value.replace(day=1)


def eligible_issues(mairie):
    """Issues of the mairie with at least K complaints, neither drawn nor solved, visible."""
    return (RecurringIssue.objects.filter(mairie=mairie, status=RecurringIssue.Status.OPEN, is_hidden=False,
                                          complaints_count__gte=conf.draw_min_complaints()).order_by("pk"))


def _utc(moment):
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def build_record(*, mairie, month, sequence, issues, entropy_source, entropy_available_at, frozen_at,
                 replaces=None, reason="", kind="") -> dict:
    record = {
        "version": 1,
        "procedure": drawing.PROCEDURE,
        "mairie": mairie.slug,
        "month": month.strftime("%Y-%m"),
        "sequence": sequence,
        "frozen_at": _utc(frozen_at),
        "min_complaints": conf.draw_min_complaints(),
        "entropy_source": drawing.clean_text(entropy_source),
        "entropy_available_at": _utc(entropy_available_at),
        "issues": [{"id": issue.pk, "title": drawing.clean_text(issue.title), "complaints": issue.complaints_count,
                    "me_too": issue.supports_count, "weight": issue.complaints_count + issue.supports_count}
                   for issue in sorted(issues, key=lambda i: i.pk)],
    }
    if replaces is not None:
        record["replaces"] = {"draw_id": replaces.pk, "list_hash": replaces.list_hash}
        record["reason"] = drawing.clean_text(reason)
        record["redraw_kind"] = kind
    return record


_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre")
_NAMED_DATES = (
    (re.compile(r"\b(\d{1,2})(?:er)?\s+(" + "|".join(_MONTHS) + r")\s+(\d{4})\b", re.IGNORECASE),
     lambda m: (int(m[3]), _MONTHS.index(m[2].lower()) + 1, int(m[1]))),
    (re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b"), lambda m: (int(m[3]), int(m[2]), int(m[1]))),
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), lambda m: (int(m[1]), int(m[2]), int(m[3]))),
)


def _named_dates(text):
    for pattern, parts in _NAMED_DATES:
        for match in pattern.finditer(text):
            try:
                yield dt.date(*parts(match))
            except ValueError:
                continue


def _check_entropy_source(entropy_source, entropy_available_at, now, *, previous=()):
    """The entropy must be a public value that nobody knows when the list is frozen: the moment it
    becomes public is required and strictly later, and a date the source names may not be past.
    A redraw names a new event (`previous`: the sources already used this month)."""
    source = drawing.clean_text(entropy_source)
    if len(source) < 10:
        raise ValidationError({"entropy_source": _(
            "Nommez précisément la source du hasard, par exemple « les 5 numéros du tirage du Loto du lundi "
            "4 mai 2026, dans l'ordre croissant, séparés par des espaces ».")})
    if len(source) > 500:
        raise ValidationError({"entropy_source": _("500 caractères au plus.")})
    if entropy_available_at is None:
        raise ValidationError({"entropy_available_at": _(
            "Indiquez le moment où la valeur sera publiée : le tirage ne pourra pas avoir lieu avant.")})
    if entropy_available_at <= now:
        raise ValidationError({"entropy_available_at": _(
            "La valeur doit être inconnue au moment du gel : choisissez un tirage ou un tour futur.")})
    today = timezone.localdate(now)
    if any(day < today for day in _named_dates(source)):
        raise ValidationError({"entropy_source": _(
            "La source nomme une date passée : son résultat est déjà connu. Choisissez un événement futur.")})
    if source.casefold() in {drawing.clean_text(p).casefold() for p in previous}:
        raise ValidationError({"entropy_source": _(
            "Un nouveau tirage demande une nouvelle source du hasard, future : celle-ci a déjà servi ce mois.")})
    return source


def _freeze(*, actor, mairie, month, entropy_source, entropy_available_at, now, sequence=1, replaces=None,
            reason="", kind="", exclude=()) -> Draw:
    issues = list(eligible_issues(mairie).exclude(pk__in=exclude))
    if not issues:
        raise ServiceError(_("Aucun sujet n'est éligible : il faut au moins un sujet ouvert avec %(k)d courriers "
                             "ou plus.") % {"k": conf.draw_min_complaints()}, code="no_eligible_issue")
    record = build_record(mairie=mairie, month=month, sequence=sequence, issues=issues,
                          entropy_source=entropy_source, entropy_available_at=entropy_available_at,
                          frozen_at=now, replaces=replaces, reason=reason, kind=kind)
    record_json = drawing.canonical_bytes(record).decode("utf-8")
    try:
        with transaction.atomic():
            draw = Draw.objects.create(
                mairie=mairie, month=month, sequence=sequence, redraw_of=replaces, redraw_reason=reason,
                redraw_kind=kind, record_json=record_json, list_hash=drawing.list_hash(record),
                entropy_source=record["entropy_source"], entropy_available_at=entropy_available_at, opened_at=now,
                opened_by=actor)
    except IntegrityError as exc:
        raise Conflict(_("Un tirage existe déjà pour ce mois, ou un autre tirage attend encore."),
                       code="draw_exists") from exc
    return draw


def _pending_refusal(mairie, *, other_than=None):
    """A frozen draw still waiting (not run, not closed) blocks any new pool of the mairie."""
    pending = Draw.objects.filter(mairie=mairie, status=Draw.Status.FROZEN).exclude(pk=getattr(other_than, "pk", None))
    pending = pending.order_by("month").first()
    if pending is None:
        return None
    return Conflict(_("Le tirage de %(m)s attend encore : faites-le, ou clôturez-le avec un motif public, avant de "
                      "geler une nouvelle liste.") % {"m": formats.date_format(pending.month, "YEAR_MONTH_FORMAT")},
                    code="previous_draw_pending")


@transaction.atomic
def draw_open(*, actor, mairie, entropy_source, month=None, entropy_available_at=None) -> Draw:
    """Freeze the month's list and publish it, with its hash, the named entropy source and the
    moment its value becomes public."""
    if not permissions.user_can_open_draw(actor, mairie):
        raise NotAllowed(_("Seuls les organisateur·rices de cette mairie ouvrent le tirage."))
    now = timezone.now()
    today = timezone.localdate(now)
    month = month_start(month or today)
    if month < today.replace(day=1):
        raise ValidationError({"month": _("Ce mois est passé.")})
    if month > (today.replace(day=28) + dt.timedelta(days=5)).replace(day=1):
        raise ValidationError({"month": _("On ouvre le tirage du mois en cours ou du mois suivant.")})
    source = _check_entropy_source(entropy_source, entropy_available_at, now)
    # Serialise the mairie's openings: the checks below read what a concurrent opening writes.
    type(mairie).objects.select_for_update().filter(pk=mairie.pk).first()
    if Draw.objects.filter(mairie=mairie, month=month).exists():
        raise Conflict(_("Un tirage existe déjà pour ce mois : un nouveau tirage demande un motif public."),
                       code="draw_exists")
    if Draw.objects.filter(mairie=mairie, month__gt=month).exists():
        raise Conflict(_("Le tirage d'un mois suivant est déjà ouvert."), code="later_draw_exists")
    if (refusal := _pending_refusal(mairie)) is not None:
        raise refusal
    return _freeze(actor=actor, mairie=mairie, month=month, entropy_source=source,
                   entropy_available_at=entropy_available_at, now=now)


def _withdraw_letters(draw, now) -> set:
    """The paper letters announcing `draw`'s result that no one has sent yet are withdrawn; the
    complaints whose letter was already sent are returned (they get a correction)."""
    queued = Letter.objects.filter(event_key=f"draw:{draw.pk}", withdrawn_at__isnull=True)
    sent = set(queued.filter(sent_at__isnull=False).values_list("complaint_id", flat=True))
    queued.filter(sent_at__isnull=True).update(withdrawn_at=now)
    return sent


def _tell_replaced(*, actor, draw, new, reason):
    """The people told that `draw.winner` was drawn learn that the result is replaced."""
    issue, now = draw.winner, timezone.now()
    sent = _withdraw_letters(draw, now)
    month = formats.date_format(draw.month, "YEAR_MONTH_FORMAT")
    message = _("Correction : le tirage au sort de %(month)s, qui avait désigné le sujet « %(title)s », est refait. "
                "Motif public : %(reason)s. Le nouveau tirage, ses règles et sa source du hasard se consultent en "
                "ligne : %(url)s") % {"month": month, "title": issue.title, "reason": reason,
                                      "url": absolute_url(draw.mairie, new.get_absolute_url())}
    # Paper letters only to those whose first letter left: the others never read the replaced result.
    unsent = set(Complaint.objects.filter(issue=issue).values_list("pk", flat=True)) - sent
    _tell_complainants(issue=issue, verb="draw_corrected", title=_("Correction : le tirage au sort est refait"),
                       message=message, url=new.get_absolute_url(), actor=actor, letter_kind=Letter.Kind.CORRECTION,
                       event_key=f"redraw:{new.pk}", letter_subject=_("Correction du tirage au sort"),
                       skip_letters_to=unsent)


def _public_reason(reason, missing):
    reason = drawing.clean_text(reason)
    if len(reason) < 10:
        raise ValidationError({"reason": missing})
    if len(reason) > 2000:
        raise ValidationError({"reason": _("%(n)d caractères au plus.") % {"n": 2000}})
    return reason


def _redraw_refusal(draw, kind):
    """Why `draw` (locked) may not be redrawn now with this kind, or None."""
    if Draw.objects.filter(redraw_of=draw).exists():
        return Conflict(_("Ce tirage a déjà été refait."), code="already_redrawn")
    if draw.is_void:
        return Conflict(_("Ce tirage est clôturé : le mois ne se refait plus."), code="draw_closed")
    if HackathonSession.objects.filter(draw=draw).exists():
        return Conflict(_("Une journée est déjà programmée sur ce tirage."), code="session_exists")
    if Draw.objects.filter(mairie=draw.mairie, month__gt=draw.month).exists():
        return Conflict(_("Le tirage d'un mois suivant est déjà ouvert : ce mois ne se refait plus."),
                        code="later_draw_exists")
    if kind == Draw.RedrawKind.VOID_WINNER and not draw.is_drawn:
        return ValidationError({"kind": _("Ce tirage n'a pas encore désigné de sujet : rien n'est devenu caduc.")})
    if kind == Draw.RedrawKind.INCIDENT and Draw.objects.filter(
            mairie=draw.mairie, month=draw.month, redraw_kind=Draw.RedrawKind.INCIDENT).exists():
        return Conflict(_("Ce mois a déjà été refait une fois. Un nouveau tirage n'est possible que si le sujet tiré "
                          "est devenu caduc (à déclarer comme tel, avec son motif)."), code="redraw_limit")
    return _pending_refusal(draw.mairie, other_than=draw)


@transaction.atomic
def draw_redraw(*, actor, draw, reason, entropy_source, entropy_available_at=None,
                kind=Draw.RedrawKind.INCIDENT) -> Draw:
    """A new draw for the same month, with a public reason and a new future entropy event; the
    replaced draw stays visible. One ordinary (incident) redraw per month; more only when the drawn
    subject became void. When a winner is replaced, the people told are told again."""
    if not permissions.user_can_run_draw(actor, draw):
        raise NotAllowed(_("Seuls les organisateur·rices de cette mairie refont un tirage."))
    reason = _public_reason(reason, _("Expliquez publiquement pourquoi le tirage est refait."))
    if kind not in Draw.RedrawKind.values:
        raise ValidationError({"kind": _("Nature inconnue : « incident » ou « void_winner ».")})
    draw = Draw.objects.select_for_update().get(pk=draw.pk)
    if (refusal := _redraw_refusal(draw, kind)) is not None:
        raise refusal
    now = timezone.now()
    used = Draw.objects.filter(mairie=draw.mairie, month=draw.month).values_list("entropy_source", flat=True)
    source = _check_entropy_source(entropy_source, entropy_available_at, now, previous=list(used))
    exclude = ()
    if draw.winner_id:
        exclude = (draw.winner_id,) if kind == Draw.RedrawKind.VOID_WINNER else ()
        RecurringIssue.objects.filter(pk=draw.winner_id, status=RecurringIssue.Status.DRAWN).update(
            status=RecurringIssue.Status.OPEN)
    if not draw.is_drawn:  # a frozen draw that will never run: closed, with the same public reason
        draw.status, draw.closed_reason, draw.closed_at = Draw.Status.VOID, reason, now
        draw.save()
    new = _freeze(actor=actor, mairie=draw.mairie, month=draw.month, entropy_source=source,
                  entropy_available_at=entropy_available_at, now=now, sequence=draw.sequence + 1,
                  replaces=draw, reason=reason, kind=kind, exclude=exclude)
    if draw.winner_id:
        engine.audit_record(actor=actor, target=draw.winner, action="redraw", public=True, reason=reason,
                            label=_("Tirage de %(m)s refait") % {"m": draw.month_label},
                            data={"draw": draw.pk, "new_draw": new.pk, "kind": kind})
        _tell_replaced(actor=actor, draw=draw, new=new, reason=reason)
    return new


@transaction.atomic
def draw_close(*, actor, draw, reason) -> Draw:
    """Close a frozen draw without running it (the announced value never came, the month is
    abandoned), with a public reason: the mairie may then freeze its next pool."""
    if not permissions.user_can_run_draw(actor, draw):
        raise NotAllowed(_("Seuls les organisateur·rices de cette mairie clôturent un tirage."))
    reason = _public_reason(reason, _("Expliquez publiquement pourquoi le tirage est clôturé sans avoir lieu."))
    draw = Draw.objects.select_for_update().get(pk=draw.pk)
    if draw.status != Draw.Status.FROZEN:
        raise Conflict(_("Seul un tirage en attente se clôture."), code="not_frozen")
    draw.status, draw.closed_reason, draw.closed_at = Draw.Status.VOID, reason, timezone.now()
    draw.save()
    return draw


@transaction.atomic
def draw_run(*, actor, draw, entropy_value) -> Draw:
    """Type the entropy value in: the seed and the winner follow, by the published procedure.
    Refused (409) before the announced value exists."""
    if not permissions.user_can_run_draw(actor, draw):
        raise NotAllowed(_("Seuls les organisateur·rices de cette mairie font le tirage."))
    value = drawing.normalise_entropy(entropy_value)
    if not value:
        raise ValidationError({"entropy_value": _("Saisissez la valeur publiée par la source du hasard.")})
    if len(value) > ENTROPY_MAX_LENGTH:
        raise ValidationError({"entropy_value": _("%(n)d caractères au plus.") % {"n": ENTROPY_MAX_LENGTH}})
    draw = Draw.objects.select_for_update().get(pk=draw.pk)
    if draw.status == Draw.Status.DRAWN:
        raise Conflict(_("Ce tirage a déjà eu lieu."), code="already_drawn")
    if Draw.objects.filter(redraw_of=draw).exists():
        raise Conflict(_("Ce tirage a été remplacé par un nouveau tirage."), code="replaced")
    if draw.is_void:
        raise Conflict(_("Ce tirage est clôturé sans avoir eu lieu."), code="draw_closed")
    now = timezone.now()
    if now < draw.entropy_available_at:
        raise Conflict(_("Trop tôt : la valeur annoncée n'existe pas encore (attendue le %(d)s). Le tirage se fait "
                         "après ce moment.") % {
            "d": formats.date_format(timezone.localtime(draw.entropy_available_at), "DATETIME_FORMAT")},
            code="too_early")
    result = drawing.recompute(draw.record_json.encode("utf-8"), value)
    winner = RecurringIssue.objects.get(pk=result["winner_id"])
    draw.entropy_value, draw.seed, draw.winner = value, result["seed"], winner
    draw.status, draw.drawn_at, draw.drawn_by = Draw.Status.DRAWN, now, actor
    draw.save()
    RecurringIssue.objects.filter(pk=winner.pk).update(status=RecurringIssue.Status.DRAWN)
    winner.status = RecurringIssue.Status.DRAWN
    month = formats.date_format(draw.month, "YEAR_MONTH_FORMAT")
    engine.audit_record(actor=actor, target=winner, action="drawn", public=True,
                        label=_("Tiré au sort (tirage de %(m)s)") % {"m": month},
                        data={"draw": draw.pk, "seed": draw.seed})
    message = _("Le sujet « %(title)s » a été tiré au sort en %(month)s parmi %(n)d sujets. Il sera le thème "
                "d'une journée hackathon à la mairie, ouverte à toutes et à tous. Le tirage se vérifie en "
                "ligne : %(url)s") % {"title": winner.title, "month": month,
                                      "n": len(drawing.json.loads(draw.record_json)["issues"]),
                                      "url": absolute_url(draw.mairie, draw.get_absolute_url())}
    _tell_complainants(issue=winner, verb="drawn", title=_("Votre sujet a été tiré au sort"), message=message,
                       url=draw.get_absolute_url(), actor=actor, letter_kind=Letter.Kind.DRAW,
                       event_key=f"draw:{draw.pk}", letter_subject=_("Votre courrier a été tiré au sort"))
    return draw


def draw_verify(draw) -> dict:
    """Recompute a draw from its published record. For a drawn draw: do hash, seed and winner match?"""
    data = draw.record_json.encode("utf-8")
    result = {"draw": draw.pk, "list_hash": drawing.hash_of_bytes(data), "published_list_hash": draw.list_hash,
              "list_hash_matches": drawing.hash_of_bytes(data) == draw.list_hash,
              "canonical": drawing.canonical_bytes(drawing.json.loads(data)) == data, "drawn": draw.is_drawn,
              "status": draw.status, "sequence": draw.sequence}
    record = drawing.json.loads(data)
    if "replaces" in record:  # a redraw: its predecessor and public reason, as frozen in its record
        result.update({"replaces": record["replaces"]["draw_id"], "replaces_list_hash": record["replaces"]["list_hash"],
                       "reason": record.get("reason", ""), "redraw_kind": record.get("redraw_kind", "")})
        predecessor = draw.redraw_of
        result["replaces_matches"] = predecessor is not None and (
            predecessor.pk, predecessor.list_hash) == (result["replaces"], result["replaces_list_hash"])
    if draw.is_void:
        result["closed_reason"] = draw.closed_reason
    chain_ok = result.get("replaces_matches", True)
    if not draw.is_drawn:
        result["matches"] = result["list_hash_matches"] and result["canonical"] and chain_ok
        return result
    recomputed = drawing.recompute(data, draw.entropy_value)
    result.update({
        "entropy_value": draw.entropy_value, "seed": recomputed["seed"], "published_seed": draw.seed,
        "r": recomputed["r"], "total_weight": recomputed["total_weight"], "winner_id": recomputed["winner_id"],
        "winner_title": recomputed["winner_title"], "published_winner_id": draw.winner_id,
    })
    result["matches"] = (result["list_hash_matches"] and result["canonical"] and chain_ok and recomputed["seed"] == draw.seed
                         and recomputed["winner_id"] == draw.winner_id)
    return result
