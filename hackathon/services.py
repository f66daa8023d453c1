"""The Service lab's writes. HTML views, the API, management commands and the demo seeder all go
through these functions."""

import datetime as dt
import io
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cms.errors import Conflict, NotAllowed, ServiceError
from participation import services as engine

from . import conf, drawing, permissions
from .models import (
    Complaint,
    ComplaintPersonalData,
    Draw,
    HackathonSession,
    Letter,
    Outcome,
    RecurringIssue,
    Registration,
)
from .tasks import email_contacts, send_acknowledgement

ENTROPY_MAX_LENGTH = 500
SCAN_TYPES = {"PDF": ("application/pdf", ".pdf"), "JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png"),
              "WEBP": ("image/webp", ".webp")}


# --- scans ----------------------------------------------------------------------------------


def scan_check(upload) -> tuple[str, str]:
    """(content type, extension) of an uploaded scan, judged by its content, never its name.
    A PDF must start with %PDF-; an image must be one Pillow verifies (JPEG, PNG, WebP)."""
    size = getattr(upload, "size", None) or 0
    limit = conf.scan_max_bytes()
    if size > limit:
        raise ValidationError({"scan": _("Le scan dépasse %(mb)s Mo.") % {"mb": limit // (1024 * 1024)}})
    if size == 0:
        raise ValidationError({"scan": _("Le fichier est vide.")})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return SCAN_TYPES["PDF"]
    from PIL import Image, UnidentifiedImageError

    try:
        data = upload.read()
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ValidationError({"scan": _("Le scan doit être un PDF ou une image (JPEG, PNG, WebP).")}) from exc
    finally:
        upload.seek(0)
    if kind not in SCAN_TYPES:
        raise ValidationError({"scan": _("Le scan doit être un PDF ou une image (JPEG, PNG, WebP).")})
    return SCAN_TYPES[kind]


def _store_scan(personal, upload):
    content_type, ext = scan_check(upload)
    personal.scan.save(f"scan{ext}", upload, save=False)
    personal.scan_content_type = content_type


# --- complaints -----------------------------------------------------------------------------


def _clean(value, field, max_length, required=True):
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("Ce champ est obligatoire.")})
    if max_length and len(value) > max_length:
        raise ValidationError({field: _("%(n)d caractères au plus.") % {"n": max_length}})
    return value


def _check_quartier(quartier, mairie):
    if quartier is not None and quartier.mairie_id != mairie.pk:
        raise ValidationError({"quartier": _("Ce quartier n'est pas dans cette mairie.")})


def _check_issue(issue, mairie):
    if issue is not None and issue.mairie_id != mairie.pk:
        raise ValidationError({"issue": _("Ce sujet appartient à une autre mairie.")})


def _acknowledge_later(complaint):
    transaction.on_commit(lambda: send_acknowledgement.enqueue(complaint.pk))


@transaction.atomic
def complaint_record(*, actor, mairie, channel, received_on, subject, full_text="", scan=None, quartier=None,
                     tags: Iterable[str] = (), contact_name="", contact_email="", contact_phone="",
                     postal_address="", public_summary="", issue=None) -> Complaint:
    """An agent digitises a letter (or an email, or what was said at the desk)."""
    if not permissions.user_can_record_complaint(actor, mairie):
        raise NotAllowed(_("Seuls les agents de cette mairie enregistrent des courriers."))
    if channel not in Complaint.Channel.values:
        raise ValidationError({"channel": _("Canal inconnu.")})
    if received_on is None:
        raise ValidationError({"received_on": _("Indiquez la date de réception.")})
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("La date de réception ne peut pas être dans le futur.")})
    subject = _clean(subject, "subject", 200)
    full_text = _clean(full_text, "full_text", 20000, required=scan is None)
    _check_quartier(quartier, mairie)
    _check_issue(issue, mairie)
    summary = _clean(public_summary, "public_summary", 2000, required=False)
    now = timezone.now()
    complaint = Complaint.objects.create(
        mairie=mairie, quartier=quartier, channel=channel, received_on=received_on, recorded_by=actor,
        public_summary=summary, summary_approved_at=now if summary else None,
        summary_approved_by=actor if summary else None)
    personal = ComplaintPersonalData(
        complaint=complaint, subject=subject, full_text=full_text,
        contact_name=_clean(contact_name, "contact_name", 160, required=False),
        contact_email=_clean(contact_email, "contact_email", 254, required=False).lower(),
        contact_phone=_clean(contact_phone, "contact_phone", 40, required=False),
        postal_address=_clean(postal_address, "postal_address", 500, required=False))
    if scan is not None:
        _store_scan(personal, scan)
    personal.full_clean(exclude=["complaint", "scan", "author"])
    personal.save()
    if tags:
        complaint.tags.set(list(tags))
    if issue is not None:
        _attach(complaint, issue, actor)
    if personal.email:
        _acknowledge_later(complaint)
    return complaint


@transaction.atomic
def complaint_submit(*, user, mairie, subject, full_text, quartier=None, scan=None, tags: Iterable[str] = (),
                     postal_address="") -> Complaint:
    """A resident writes online. Their account is the contact; the email acknowledges it."""
    if not permissions.user_can_submit_complaint(user, mairie):
        raise NotAllowed(_("Connectez-vous pour écrire à la mairie."), code="not_authenticated")
    subject = _clean(subject, "subject", 200)
    full_text = _clean(full_text, "full_text", 20000)
    _check_quartier(quartier, mairie)
    complaint = Complaint.objects.create(mairie=mairie, quartier=quartier, channel=Complaint.Channel.ONLINE,
                                         received_on=timezone.localdate())
    personal = ComplaintPersonalData(complaint=complaint, subject=subject, full_text=full_text, author=user,
                                     contact_name=user.get_full_name() or user.public_name,
                                     postal_address=_clean(postal_address, "postal_address", 500, required=False))
    if scan is not None:
        _store_scan(personal, scan)
    personal.save()
    if tags:
        complaint.tags.set(list(tags))
    engine.audit_record(actor=user, target=complaint, action="submitted")
    if personal.email:
        _acknowledge_later(complaint)
    return complaint


@transaction.atomic
def complaint_update(*, actor, complaint, public_summary=None, quartier=..., tags=None) -> Complaint:
    """An agent writes or approves the public summary (anonymised), sets the quartier and tags."""
    if not permissions.user_can_change_complaint(actor, complaint):
        raise NotAllowed(_("Seuls les agents de cette mairie modifient les courriers."))
    if public_summary is not None:
        summary = _clean(public_summary, "public_summary", 2000, required=False)
        complaint.public_summary = summary
        complaint.summary_approved_at = timezone.now() if summary else None
        complaint.summary_approved_by = actor if summary else None
    if quartier is not ...:
        _check_quartier(quartier, complaint.mairie)
        complaint.quartier = quartier
    complaint.save()
    if tags is not None:
        complaint.tags.set(list(tags))
    return complaint


def _recount(*issue_ids):
    counts = (Complaint.objects.filter(issue=OuterRef("pk")).order_by().values("issue")
              .annotate(n=Count("pk")).values("n"))
    RecurringIssue.objects.filter(pk__in=[i for i in issue_ids if i]).update(
        complaints_count=Coalesce(Subquery(counts), 0))


def _attach(complaint, issue, actor):
    previous = complaint.issue_id
    complaint.issue = issue
    complaint.grouped_at = timezone.now() if issue is not None else None
    complaint.save(update_fields=["issue", "grouped_at", "updated_at"])
    _recount(previous, issue.pk if issue else None)
    if issue is not None:
        author = getattr(getattr(complaint, "personal", None), "author", None)
        if author is not None:
            engine.follow_add(user=author, target=issue)


@transaction.atomic
def complaint_group(*, actor, complaint, issue) -> Complaint:
    """Put a complaint into a recurring issue (or take it out with issue=None)."""
    if not permissions.user_can_change_complaint(actor, complaint):
        raise NotAllowed(_("Seuls les agents de cette mairie regroupent les courriers."))
    _check_issue(issue, complaint.mairie)
    if issue is not None and issue.status == RecurringIssue.Status.ARCHIVED:
        raise ValidationError({"issue": _("Ce sujet est archivé.")})
    _attach(complaint, issue, actor)
    if issue is not None:
        issue.refresh_from_db(fields=["complaints_count"])
    return complaint


def complaint_personal_erase(complaint) -> None:
    """Erase a complaint's personal data for good: the row, its scan file, unsent letters."""
    personal = ComplaintPersonalData.objects.filter(complaint=complaint).first()
    if personal is not None:
        if personal.scan:
            personal.scan.delete(save=False)
        personal.delete()
    complaint.letters.filter(sent_at__isnull=True).delete()
    Complaint.objects.filter(pk=complaint.pk).update(personal_data_purged_at=timezone.now())


def complaints_purge(*, now=None, days=None) -> int:
    """Erase the personal data of complaints received more than `days` ago (default: the setting).
    The complaint, its anonymised summary and its place in an issue's count stay."""
    days = conf.retention_days() if days is None else days
    limit = timezone.localdate(now or timezone.now()) - dt.timedelta(days=days)
    purged = 0
    for complaint in Complaint.objects.filter(received_on__lt=limit, personal_data_purged_at__isnull=True):
        with transaction.atomic():
            complaint_personal_erase(complaint)
        purged += 1
    return purged


# --- recurring issues -----------------------------------------------------------------------


@transaction.atomic
def issue_create(*, actor, mairie, title, description="", tags: Iterable[str] = (), quartier=None,
                 complaints: Iterable[Complaint] = ()) -> RecurringIssue:
    if not permissions.user_can_manage_issue(actor, mairie):
        raise NotAllowed(_("Seuls les agents de cette mairie créent des sujets récurrents."))
    _check_quartier(quartier, mairie)
    issue = RecurringIssue.objects.create(mairie=mairie, author=actor, quartier=quartier,
                                          title=_clean(title, "title", 160),
                                          description=_clean(description, "description", 4000, required=False))
    if tags:
        issue.tags.set(list(tags))
    for complaint in complaints:
        complaint_group(actor=actor, complaint=complaint, issue=issue)
    issue.refresh_from_db()
    return issue


@transaction.atomic
def issue_update(*, actor, issue, title=None, description=None, tags=None, status=None, reason="") -> RecurringIssue:
    if not permissions.user_can_manage_issue(actor, issue.mairie):
        raise NotAllowed(_("Seuls les agents de cette mairie modifient les sujets récurrents."))
    if title is not None:
        issue.title = _clean(title, "title", 160)
    if description is not None:
        issue.description = _clean(description, "description", 4000, required=False)
    if status is not None and status != issue.status:
        if status not in RecurringIssue.Status.values:
            raise ValidationError({"status": _("Statut inconnu.")})
        if status == RecurringIssue.Status.DRAWN:
            raise ValidationError({"status": _("Seul un tirage fait passer un sujet à « tiré au sort ».")})
        engine.audit_record(actor=actor, target=issue, action="status", public=True, reason=reason,
                            label=_("Statut : %(s)s") % {"s": RecurringIssue.Status(status).label},
                            data={"from": issue.status, "to": status})
        issue.status = status
    issue.save()
    if tags is not None:
        issue.tags.set(list(tags))
    return issue


def me_too_add(*, user, issue) -> int:
    """« Moi aussi »: one per confirmed account, through the engine's supports."""
    return engine.support_add(user=user, target=issue)


def me_too_withdraw(*, user, issue) -> int:
    return engine.support_withdraw(user=user, target=issue)


# --- people to tell -------------------------------------------------------------------------


def _complaints_of(issue):
    return Complaint.objects.filter(issue=issue, personal_data_purged_at__isnull=True).select_related(
        "personal", "personal__author")


def absolute_url(mairie, path):
    """Letters and emails carry the full address of the page on the mairie's site."""
    return mairie.site.root_url.rstrip("/") + path


def _tell_complainants(*, issue, verb, title, message, url, actor=None, letter_kind, event_key, letter_subject):
    """Followers and complaint authors with an account: the engine's notifications. Contacts with
    an email and no account: an email. Paper complainants with neither: a letter to print."""
    accounts, emails, letters = [], [], []
    for complaint in _complaints_of(issue):
        personal = getattr(complaint, "personal", None)
        if personal is None:
            continue
        if personal.author_id:
            accounts.append(personal.author)
        elif personal.contact_email:
            emails.append(complaint.pk)
        elif personal.postal_address.strip():
            letters.append(Letter(mairie=issue.mairie, complaint=complaint, kind=letter_kind, event_key=event_key,
                                  subject=str(letter_subject), body=str(message)))
    engine.notify_followers(target=issue, verb=verb, title=title, message=message, url=url, actor=actor,
                            extra_users=accounts)
    if emails:
        transaction.on_commit(lambda: email_contacts.enqueue(emails, str(title), str(message)))
    if letters:
        Letter.objects.bulk_create(letters, ignore_conflicts=True)
    return len(letters)


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
    """Fill free seats from the waiting list, oldest first. The caller holds the session's lock."""
    confirmed = session.registrations.filter(status=Registration.Status.CONFIRMED).count()
    free = session.capacity - confirmed
    promoted = []
    if free > 0:
        for registration in session.registrations.filter(status=Registration.Status.WAITING).select_related(
                "user")[:free]:
            registration.status, registration.promoted_at = Registration.Status.CONFIRMED, timezone.now()
            registration.save(update_fields=["status", "promoted_at"])
            promoted.append(registration)
    if promoted:
        engine.notify_users(users=[r.user for r in promoted], target=session.issue, verb="registration",
                            title=_("Une place s'est libérée : vous êtes inscrit·e"),
                            message=_("Vous passez de la liste d'attente aux inscrit·es de « %(t)s ».") % {
                                "t": session.title}, url=session.get_absolute_url())
    return promoted


def _locked_session(session):
    return HackathonSession.objects.select_for_update().get(pk=session.pk)


@transaction.atomic
def session_register(*, user, session) -> Registration:
    """Register, within capacity, or join the waiting list. The session row is locked while
    counting, so two last-seat requests cannot both be confirmed."""
    if not getattr(user, "is_authenticated", False):
        raise NotAllowed(_("Connectez-vous pour vous inscrire."), code="not_authenticated")
    if not permissions.user_can_register_session(user, session):
        raise NotAllowed(_("Confirmez d'abord votre adresse e-mail pour vous inscrire."), code="unconfirmed")
    session = _locked_session(session)
    if session.status != HackathonSession.Status.PLANNED or session.starts_at <= timezone.now():
        raise ServiceError(_("Les inscriptions à cette journée sont closes."), code="closed")
    if Registration.objects.filter(session=session, user=user).exists():
        raise Conflict(_("Vous êtes déjà inscrit·e à cette journée."), code="already_registered")
    confirmed = session.registrations.filter(status=Registration.Status.CONFIRMED).count()
    status = Registration.Status.CONFIRMED if confirmed < session.capacity else Registration.Status.WAITING
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
    session = _locked_session(session)
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
    letter.sent_at, letter.sent_by = timezone.now(), actor
    letter.save(update_fields=["sent_at", "sent_by"])
    return letter
