"""Writes of the explorations. The HTML views, the API, the demo seeder and the scheduled
reminders all come through here: agents only, a day's seats counted under its lock (the shared
waiting list, participation.waitlist), logbook photos checked before anything is stored."""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cms.errors import Conflict, NotAllowed, ServiceError
from cms.images import strip_metadata
from cms.uploads import check_upload
from cms.validation import clean_text
from participation import services as engine

from ..attachments import _safe_name
from ..models import BricolagePage
from . import permissions
from .models import (
    SEATS,
    ExplorationApplication,
    ExplorationDay,
    ExplorationSummary,
    LogbookEntry,
    logbook_storage,
)

PHOTO_FORMATS = ("GIF", "JPEG", "PNG", "WEBP")
PHOTO_MAX_BYTES = 10 * 1024 * 1024
MAX_LOGBOOK_ENTRIES = 100
LOGBOOK_REMINDER_WINDOW = datetime.timedelta(days=7)  # no reminder about an exploration older than that
Status = ExplorationApplication.Status


def _clean(value, field, max_length, *, required=True, one_line=False):
    return clean_text(value, field=field, max_length=max_length, required=required, single_line=one_line)


def _agents_only(user):
    if not permissions.user_can_view_explorations(user):
        raise NotAllowed(_("Les explorations sont réservées aux agents des mairies."))


def _when(day):
    return formats.date_format(day.date, "DATE_FORMAT")


# --- days --------------------------------------------------------------------------------------


@transaction.atomic
def day_offer(*, actor, service, date, place, capacity, what_you_will_see, contact) -> ExplorationDay:
    """A service of the actor's mairie opens a day to visiting agents."""
    _agents_only(actor)
    if not permissions.user_can_offer_day(actor):
        raise NotAllowed(_("Votre compte n'est rattaché à aucune mairie."), code="no_mairie")
    errors = {}
    if not isinstance(date, datetime.date):
        errors["date"] = _("Indiquez une date.")
    elif date <= timezone.localdate():
        errors["date"] = _("La journée doit être dans le futur.")
    if isinstance(capacity, bool) or not isinstance(capacity, int) or not 1 <= capacity <= 50:
        errors["capacity"] = _("Entre 1 et 50 places.")
    if errors:
        raise ValidationError(errors)
    return ExplorationDay.objects.create(
        mairie=actor.mairie, created_by=actor, date=date, capacity=capacity,
        service=_clean(service, "service", 160, one_line=True), place=_clean(place, "place", 200, one_line=True),
        what_you_will_see=_clean(what_you_will_see, "what_you_will_see", 4000),
        contact=_clean(contact, "contact", 200, one_line=True))


# --- applications --------------------------------------------------------------------------------


@transaction.atomic
def exploration_apply(*, user, day, goals) -> ExplorationApplication:
    """Apply with one's goals: a seat while there is one, else the waiting list. The day's row is
    locked while counting (participation.waitlist), so two last-seat requests cannot both get it.
    An agent who cancelled may apply again (at the end of the queue); a declined one may not."""
    _agents_only(user)
    if not permissions.user_can_apply(user):
        raise NotAllowed(_("Votre compte n'est rattaché à aucune mairie."), code="no_mairie")
    day = SEATS.lock(day)
    if day.date < timezone.localdate():
        raise ServiceError(_("Cette journée est passée : on ne peut plus y candidater."), code="day_past")
    goals = _clean(goals, "goals", 3000)
    existing = ExplorationApplication.objects.filter(day=day, agent=user).first()
    if existing is not None and existing.status != Status.CANCELLED:
        if existing.status == Status.DECLINED:
            raise Conflict(_("Le service a déjà répondu à votre candidature pour cette journée."), code="declined")
        raise Conflict(_("Vous avez déjà candidaté à cette journée."), code="already_applied")
    status = SEATS.status_for_newcomer(day)
    if existing is not None:  # back after cancelling: at the end of the queue, with the new goals
        existing.status, existing.goals, existing.created_at = status, goals, timezone.now()
        existing.promoted_at = existing.accepted_at = existing.accepted_by = None
        existing.save()
        application = existing
    else:
        try:
            with transaction.atomic():
                application = ExplorationApplication.objects.create(day=day, agent=user, goals=goals, status=status)
        except IntegrityError as exc:
            raise Conflict(_("Vous avez déjà candidaté à cette journée."), code="already_applied") from exc
    if day.created_by is not None:
        engine.notify_users(users=[day.created_by], target=application, verb="exploration_applied",
                            title=_("Nouvelle candidature à l'exploration du %(date)s") % {"date": _when(day)},
                            message=_("%(name)s (%(mairie)s) souhaite découvrir « %(service)s ».") % {
                                "name": user.public_name, "mairie": user.mairie.short_name, "service": day.service},
                            url=application.get_absolute_url())
    return application


def _promote(day):
    """Freed seats go to the oldest waiting applications; they are told, the host accepts next."""
    promoted = SEATS.promote(day, select_related=("agent",))
    if promoted:
        engine.notify_users(users=[a.agent for a in promoted], target=day, verb="exploration_promoted",
                            title=_("Une place s'est libérée pour votre exploration"),
                            message=_("Vous passez de la liste d'attente à une place réservée pour « %(service)s » "
                                      "le %(date)s ; le service doit encore accepter votre venue.") % {
                                "service": day.service, "date": _when(day)},
                            url=day.get_absolute_url())
    return promoted


def _host_decision(actor, application):
    _agents_only(actor)
    application = ExplorationApplication.objects.select_related("day", "agent").get(pk=application.pk)
    if not permissions.user_can_manage_day(actor, application.day):
        raise NotAllowed(_("Seuls les agents de la mairie d'accueil répondent aux candidatures."))
    SEATS.lock(application.day)
    application.refresh_from_db()
    if application.status != Status.CONFIRMED:
        raise Conflict(_("Seule une candidature avec une place réservée peut être acceptée ou refusée."),
                       code="not_confirmed")
    return application


@transaction.atomic
def exploration_accept(*, actor, application) -> ExplorationApplication:
    """The host service accepts a visitor holding a seat (so never beyond capacity)."""
    application = _host_decision(actor, application)
    if application.accepted_at is not None:
        raise Conflict(_("Cette candidature est déjà acceptée."), code="already_accepted")
    application.accepted_at, application.accepted_by = timezone.now(), actor
    application.save(update_fields=["accepted_at", "accepted_by"])
    day = application.day
    engine.notify_users(users=[application.agent], target=application, verb="exploration_accepted",
                        title=_("Votre exploration est acceptée"),
                        message=_("« %(service)s » (%(mairie)s) vous accueille le %(date)s, %(place)s.") % {
                            "service": day.service, "mairie": day.mairie.short_name, "date": _when(day),
                            "place": day.place},
                        url=application.get_absolute_url())
    return application


@transaction.atomic
def exploration_decline(*, actor, application) -> ExplorationApplication:
    """The host service declines a visitor: the seat goes to the first one waiting."""
    application = _host_decision(actor, application)
    application.status, application.accepted_at, application.accepted_by = Status.DECLINED, None, None
    application.save(update_fields=["status", "accepted_at", "accepted_by"])
    engine.notify_users(users=[application.agent], target=application, verb="exploration_declined",
                        title=_("Votre candidature n'a pas été retenue"),
                        message=_("« %(service)s » ne peut pas vous accueillir le %(date)s.") % {
                            "service": application.day.service, "date": _when(application.day)},
                        url=application.get_absolute_url())
    _promote(application.day)
    return application


@transaction.atomic
def exploration_cancel(*, user, application) -> ExplorationApplication:
    """The visitor withdraws: a seat they held goes to the first one waiting."""
    _agents_only(user)
    if not permissions.user_is_visitor(user, application):
        raise NotAllowed(_("Seul·e l'agent qui a candidaté peut annuler sa candidature."))
    day = SEATS.lock(application.day)
    application.refresh_from_db()
    if application.status not in ExplorationApplication.HOLDING:
        raise Conflict(_("Cette candidature n'est plus active."), code="not_active")
    if day.date < timezone.localdate():
        raise ServiceError(_("Cette journée est passée : on ne peut plus y candidater."), code="day_past")
    application.status, application.accepted_at, application.accepted_by = Status.CANCELLED, None, None
    application.save(update_fields=["status", "accepted_at", "accepted_by"])
    _promote(day)
    return application


# --- the logbook and the summary -----------------------------------------------------------------


def _visitor_of_accepted(user, application):
    """The application as it is now (not the caller's possibly stale copy), when `user` is its
    visitor and the host accepted them."""
    _agents_only(user)
    if not permissions.user_is_visitor(user, application):
        raise NotAllowed(_("Le carnet de bord appartient à l'agent en exploration."))
    application = ExplorationApplication.objects.select_related("day", "day__mairie").get(pk=application.pk)
    if not application.is_accepted:
        raise Conflict(_("Le carnet de bord s'ouvre quand le service a accepté votre venue."), code="not_accepted")
    return application


def _check_photo(photo):
    name = _safe_name(photo)
    try:
        found = check_upload(photo, kinds=("image",), image_formats=PHOTO_FORMATS, max_size=PHOTO_MAX_BYTES,
                             name=name)
    except ValidationError as exc:
        raise ValidationError({"photo": exc.messages}) from exc
    photo.seek(0)
    return name, found.mime_type


@transaction.atomic
def logbook_add(*, user, application, text, photo=None, photo_alt="") -> LogbookEntry:
    """A note (and a photo, which must be a real image, described for those who cannot see it).
    Everything is checked before the file is stored."""
    application = _visitor_of_accepted(user, application)
    text = _clean(text, "text", 4000)
    photo_alt = _clean(photo_alt, "photo_alt", 250, required=photo is not None, one_line=True)
    if application.logbook.count() >= MAX_LOGBOOK_ENTRIES:
        raise ValidationError(_("%(n)d notes au plus.") % {"n": MAX_LOGBOOK_ENTRIES})
    entry = LogbookEntry(application=application, text=text)
    if photo is not None:
        name, mime_type = _check_photo(photo)
        stripped = strip_metadata(photo.read())  # no GPS position, camera or date goes to the host service
        content = ContentFile(stripped[0]) if stripped else photo
        entry.photo = logbook_storage().save(f"explorations/{uuid.uuid4().hex}/{name}", content)
        entry.photo_alt, entry.photo_type = photo_alt, mime_type
    entry.save()
    return entry


@transaction.atomic
def logbook_share(*, user, application) -> ExplorationApplication:
    """The visitor shows their logbook to the host service's agents (only them)."""
    application = _visitor_of_accepted(user, application)
    if application.logbook_shared_at is not None:
        raise Conflict(_("Votre carnet est déjà partagé avec le service."), code="already_shared")
    application.logbook_shared_at = timezone.now()
    application.save(update_fields=["logbook_shared_at"])
    day = application.day
    hosts = [u for u in (day.created_by, application.accepted_by) if u is not None]
    engine.notify_users(users=hosts, target=application, verb="exploration_logbook_shared",
                        title=_("Un carnet de bord partagé avec votre service"),
                        message=_("%(name)s partage son carnet de l'exploration du %(date)s.") % {
                            "name": user.public_name, "date": _when(day)},
                        url=application.get_absolute_url())
    return application


@transaction.atomic
def summary_publish(*, user, application, title, text) -> ExplorationSummary:
    """Publish (or rewrite) what the visitor learned, for every agent. After the day only."""
    application = _visitor_of_accepted(user, application)
    if application.day.date > timezone.localdate():
        raise ServiceError(_("La synthèse se publie à partir du jour de l'exploration."), code="too_early")
    title = _clean(title, "title", 160, one_line=True)
    text = _clean(text, "text", 6000)
    summary, _created = ExplorationSummary.objects.update_or_create(
        application=application, defaults={"title": title, "text": text})
    return summary


@transaction.atomic
def bricolage_born_from_set(*, user, bricolage, summary=None) -> BricolagePage:
    """Say that a bricolage was born from an exploration (or no longer): the summary's author or
    any agent who may edit the bricolage (a wiki). Kept across the bricolage's revisions."""
    from .. import permissions as bricolage_permissions

    _agents_only(user)
    may_edit = bricolage_permissions.user_can_edit_bricolage(user, bricolage)
    is_author = summary is not None and summary.application.agent_id == user.pk
    if not (may_edit or (is_author and bricolage_permissions.user_can_view_bricolage(user, bricolage))):
        raise NotAllowed(_("Vous ne pouvez pas modifier ce bricolage."))
    BricolagePage.objects.filter(pk=bricolage.pk).update(born_from=summary)
    bricolage.born_from = summary
    return bricolage


# --- scheduled reminders -------------------------------------------------------------------------


def send_reminders(*, now=None) -> dict:
    """The day before: a reminder to each accepted visitor. After the day (within a week): a
    reminder to write the logbook and share what was learned. Each is sent once."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    accepted = ExplorationApplication.objects.filter(status=Status.CONFIRMED, accepted_at__isnull=False,
                                                     agent__is_active=True).select_related("day", "agent")
    sent = {"day_before": 0, "logbook": 0}
    for application in accepted.filter(day__date=today + datetime.timedelta(days=1), reminded_at__isnull=True):
        with transaction.atomic():
            if not ExplorationApplication.objects.filter(pk=application.pk, reminded_at__isnull=True).update(
                    reminded_at=now):
                continue  # another scheduler claimed it
            day = application.day
            engine.notify_users(users=[application.agent], target=application, verb="exploration_reminder",
                                title=_("Demain : votre exploration"),
                                message=_("« %(service)s » (%(mairie)s) vous attend demain, %(place)s. "
                                          "Contact : %(contact)s. N'oubliez pas vos objectifs ni votre carnet.") % {
                                    "service": day.service, "mairie": day.mairie.short_name, "place": day.place,
                                    "contact": day.contact},
                                url=application.get_absolute_url())
            sent["day_before"] += 1
    since = today - datetime.timedelta(days=LOGBOOK_REMINDER_WINDOW.days)
    for application in accepted.filter(day__date__lt=today, day__date__gte=since, logbook_reminded_at__isnull=True,
                                       summary__isnull=True):
        with transaction.atomic():
            if not ExplorationApplication.objects.filter(pk=application.pk, logbook_reminded_at__isnull=True).update(
                    logbook_reminded_at=now):
                continue
            engine.notify_users(users=[application.agent], target=application, verb="exploration_logbook_reminder",
                                title=_("Votre carnet de bord d'exploration"),
                                message=_("Notez ce que vous avez appris pendant que c'est frais, puis partagez "
                                          "votre carnet avec le service ou publiez une synthèse pour les agents."),
                                url=application.get_absolute_url())
            sent["logbook"] += 1
    return sent

