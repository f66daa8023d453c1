"""The Service lab's writes, part 1: scans, complaints, recurring issues and the people to tell."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import roles
from cms.errors import NotAllowed
from cms.uploads import check_upload
from cms.validation import clean_text
from participation import services as engine

from .. import conf, permissions
from ..models import (
    Complaint,
    ComplaintPersonalData,
    Letter,
    RecurringIssue,
)
from ..tasks import email_contacts, send_acknowledgement

SCAN_KINDS = ("pdf", "image")
SCAN_IMAGE_FORMATS = ("JPEG", "PNG", "WEBP")


# --- scans ----------------------------------------------------------------------------------


def scan_check(upload) -> tuple[str, str]:
    """(content type, extension) of an uploaded scan, judged by its content, never its name
    (cms.uploads): a PDF, or a picture Pillow opens and verifies (JPEG, PNG, WebP)."""
    try:
        found = check_upload(upload, kinds=SCAN_KINDS, max_size=conf.scan_max_bytes(),
                             image_formats=SCAN_IMAGE_FORMATS)
    except ValidationError as exc:
        raise ValidationError({"scan": exc.messages}) from exc
    return found.mime_type, f".{found.extension}"


def _store_scan(personal, upload):
    content_type, ext = scan_check(upload)
    personal.scan.save(f"scan{ext}", upload, save=False)
    personal.scan_content_type = content_type


# --- complaints -----------------------------------------------------------------------------


# Fields that are one line: titles and subjects become email subjects (see cms.validation).
ONE_LINE_FIELDS = {"title", "subject", "place"}


def _clean(value, field, max_length, required=True):
    return clean_text(value, field=field, max_length=max_length, required=required,
                      single_line=field in ONE_LINE_FIELDS)


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
                     postal_address="", public_summary="", issue=None, author_account="") -> Complaint:
    """An agent digitises a letter (or an email, or what was said at the desk). `author_account`, the
    username or email of the writer's confirmed account when they have one, puts the letter in their
    « Mes courriers » with its status, as if they had written it online."""
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
    author = _author_account(author_account)
    now = timezone.now()
    complaint = Complaint.objects.create(
        mairie=mairie, quartier=quartier, channel=channel, received_on=received_on, recorded_by=actor,
        public_summary=summary, summary_approved_at=now if summary else None,
        summary_approved_by=actor if summary else None)
    personal = ComplaintPersonalData(
        complaint=complaint, subject=subject, full_text=full_text, author=author,
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


def _author_account(identifier: str):
    """The confirmed, active account named by a username or an email (any case), or None for none given."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    identifier = (identifier or "").strip()
    if not identifier:
        return None
    account = get_user_model().objects.filter(
        Q(username__iexact=identifier) | Q(email__iexact=identifier), is_active=True, email_confirmed=True).first()
    if account is None:
        raise ValidationError({"author_account": _("Aucun compte confirmé ne porte ce nom d'utilisateur ou cette "
                                                   "adresse e-mail : vérifiez-le avec la personne, ou laissez vide.")})
    return account


@transaction.atomic
def complaint_submit(*, user, mairie, subject, full_text, quartier=None, scan=None, tags: Iterable[str] = (),
                     postal_address="") -> Complaint:
    """A resident writes online. Their account is the contact; the email acknowledges it."""
    if not permissions.user_can_submit_complaint(user, mairie):
        raise NotAllowed(_("Connectez-vous pour écrire à la mairie."), code="not_authenticated")
    roles.require_confirmed(user)
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


def _tell_complainants(*, issue, verb, title, message, url, actor=None, letter_kind, event_key, letter_subject,
                       skip_letters_to=frozenset()):
    """Followers and complaint authors with an account: the engine's notifications. Contacts with
    an email and no account: an email. Paper complainants with neither: a letter to print (except
    to the complaints in `skip_letters_to`)."""
    accounts, emails, letters = [], [], []
    for complaint in _complaints_of(issue):
        personal = getattr(complaint, "personal", None)
        if personal is None:
            continue
        if personal.author_id:
            accounts.append(personal.author)
        elif personal.contact_email:
            emails.append(complaint.pk)
        elif personal.postal_address.strip() and complaint.pk not in skip_letters_to:
            letters.append(Letter(mairie=issue.mairie, complaint=complaint, kind=letter_kind, event_key=event_key,
                                  subject=str(letter_subject), body=str(message)))
    engine.notify_followers(target=issue, verb=verb, title=title, message=message, url=url, actor=actor,
                            extra_users=accounts)
    if emails:
        transaction.on_commit(lambda: email_contacts.enqueue(emails, str(title), str(message)))
    if letters:
        Letter.objects.bulk_create(letters, ignore_conflicts=True)
    return len(letters)
