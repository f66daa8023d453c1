"""The Service lab's writes, part 2: the monthly draw anyone can verify."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cms.errors import Conflict, NotAllowed, ServiceError
from participation import services as engine

from .. import conf, drawing, permissions
from ..models import (
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
                 replaces=None, reason="") -> dict:
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
    return record


def _check_entropy_source(entropy_source, entropy_available_at, now):
    source = drawing.clean_text(entropy_source)
    if len(source) < 10:
        raise ValidationError({"entropy_source": _(
            "Nommez précisément la source du hasard, par exemple « les 5 numéros du tirage du Loto du lundi "
            "4 mai 2026, dans l'ordre croissant, séparés par des espaces ».")})
    if len(source) > 500:
        raise ValidationError({"entropy_source": _("500 caractères au plus.")})
    if entropy_available_at is not None and entropy_available_at <= now:
        raise ValidationError({"entropy_available_at": _(
            "La valeur doit être inconnue au moment du gel : choisissez un tirage ou un tour futur.")})
    return source


def _freeze(*, actor, mairie, month, entropy_source, entropy_available_at, now, sequence=1, replaces=None,
            reason="") -> Draw:
    issues = list(eligible_issues(mairie))
    if not issues:
        raise ServiceError(_("Aucun sujet n'est éligible : il faut au moins un sujet ouvert avec %(k)d courriers "
                             "ou plus.") % {"k": conf.draw_min_complaints()}, code="no_eligible_issue")
    record = build_record(mairie=mairie, month=month, sequence=sequence, issues=issues,
                          entropy_source=entropy_source, entropy_available_at=entropy_available_at,
                          frozen_at=now, replaces=replaces, reason=reason)
    record_json = drawing.canonical_bytes(record).decode("utf-8")
    try:
        with transaction.atomic():
            draw = Draw.objects.create(
                mairie=mairie, month=month, sequence=sequence, redraw_of=replaces, redraw_reason=reason,
                record_json=record_json, list_hash=drawing.list_hash(record), entropy_source=record["entropy_source"],
                entropy_available_at=entropy_available_at, opened_at=now, opened_by=actor)
    except IntegrityError as exc:
        raise Conflict(_("Un tirage existe déjà pour ce mois."), code="draw_exists") from exc
    return draw


@transaction.atomic
def draw_open(*, actor, mairie, entropy_source, month=None, entropy_available_at=None) -> Draw:
    """Freeze the month's list and publish it, with its hash and the named entropy source."""
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
    if Draw.objects.filter(mairie=mairie, month=month).exists():
        raise Conflict(_("Un tirage existe déjà pour ce mois : un nouveau tirage demande un motif public."),
                       code="draw_exists")
    draw = _freeze(actor=actor, mairie=mairie, month=month, entropy_source=source,
                   entropy_available_at=entropy_available_at, now=now)
    return draw


@transaction.atomic
def draw_redraw(*, actor, draw, reason, entropy_source, entropy_available_at=None) -> Draw:
    """A new draw for the same month, with a public reason; the replaced draw stays visible."""
    if not permissions.user_can_run_draw(actor, draw):
        raise NotAllowed(_("Seuls les organisateur·rices de cette mairie refont un tirage."))
    reason = drawing.clean_text(reason)
    if len(reason) < 10:
        raise ValidationError({"reason": _("Expliquez publiquement pourquoi le tirage est refait.")})
    draw = Draw.objects.select_for_update().get(pk=draw.pk)
    if Draw.objects.filter(redraw_of=draw).exists():
        raise Conflict(_("Ce tirage a déjà été refait."), code="already_redrawn")
    if HackathonSession.objects.filter(draw=draw).exists():
        raise Conflict(_("Une journée est déjà programmée sur ce tirage."), code="session_exists")
    now = timezone.now()
    source = _check_entropy_source(entropy_source, entropy_available_at, now)
    if draw.winner_id:
        RecurringIssue.objects.filter(pk=draw.winner_id, status=RecurringIssue.Status.DRAWN).update(
            status=RecurringIssue.Status.OPEN)
    new = _freeze(actor=actor, mairie=draw.mairie, month=draw.month, entropy_source=source,
                  entropy_available_at=entropy_available_at, now=now, sequence=draw.sequence + 1,
                  replaces=draw, reason=reason)
    if draw.winner_id:
        engine.audit_record(actor=actor, target=draw.winner, action="redraw", public=True, reason=reason,
                            label=_("Tirage de %(m)s refait") % {"m": draw.month_label},
                            data={"draw": draw.pk, "new_draw": new.pk})
    return new


@transaction.atomic
def draw_run(*, actor, draw, entropy_value) -> Draw:
    """Type the entropy value in: the seed and the winner follow, by the published procedure."""
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
    now = timezone.now()
    if draw.entropy_available_at and now < draw.entropy_available_at:
        raise ServiceError(_("La valeur annoncée n'existe pas encore (attendue le %(d)s).") % {
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
              "canonical": drawing.canonical_bytes(drawing.json.loads(data)) == data, "drawn": draw.is_drawn}
    if not draw.is_drawn:
        result["matches"] = result["list_hash_matches"] and result["canonical"]
        return result
    recomputed = drawing.recompute(data, draw.entropy_value)
    result.update({
        "entropy_value": draw.entropy_value, "seed": recomputed["seed"], "published_seed": draw.seed,
        "r": recomputed["r"], "total_weight": recomputed["total_weight"], "winner_id": recomputed["winner_id"],
        "winner_title": recomputed["winner_title"], "published_winner_id": draw.winner_id,
    })
    result["matches"] = (result["list_hash_matches"] and result["canonical"] and recomputed["seed"] == draw.seed
                         and recomputed["winner_id"] == draw.winner_id)
    return result
