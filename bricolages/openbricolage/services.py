"""Writes of Open Bricolage. The HTML views, the API, the demo seeder and the scheduled reminders
all come through here: organisers run editions and workshops, agents of any mairie register
(a workshop's or the day's seats counted under the edition's lock, participation.waitlist), and
those who came leave feedback. Every refusal is a typed error; nothing is half-saved."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cms import roles
from cms.errors import Conflict, NotAllowed, ServiceError
from cms.validation import clean_text
from participation import services as engine
from search.registry import reindex

from ..models import BricolagePage
from . import permissions
from .models import (
    DAY_SEATS,
    WORKSHOP_SEATS,
    EditionFeedback,
    OpenBricolageEdition,
    Registration,
    Workshop,
    seats_for,
)

Status = Registration.Status
MAX_CAPACITY = 500


def _clean(value, field, max_length, *, required=True, one_line=False):
    return clean_text(value, field=field, max_length=max_length, required=required, single_line=one_line)


def _capacity(value, field, errors, maximum=MAX_CAPACITY):
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= maximum:
        errors[field] = _("Entre 1 et %(n)d places.") % {"n": maximum}


def _organisers_only(actor):
    if not permissions.user_can_organise(actor):
        raise NotAllowed(_("Seuls les organisateurs préparent Open Bricolage."))


def require_host(actor, edition):
    """The host mairie's organisers change an edition and its programme (the API asks it before reading
    the body; the services again, on the locked row)."""
    if not permissions.user_can_manage_edition(actor, edition):
        raise NotAllowed(_("Seuls les organisateurs de la mairie qui accueille modifient cette édition."),
                         code="not_host")


def _when(edition):
    return formats.date_format(edition.date, "DATE_FORMAT")


def _not_past(edition, message):
    if edition.date < timezone.localdate():
        raise ServiceError(message, code="edition_past")


# --- editions ----------------------------------------------------------------------------------


def _edition_values(values, errors, *, creating):
    cleaned = {}
    for field, max_length, one_line in (("title", 160, True), ("place", 200, True), ("description", 4000, False)):
        if field in values:
            try:
                cleaned[field] = _clean(values[field], field, max_length, one_line=one_line)
            except ValidationError as exc:
                errors.update(exc.message_dict)
    if "date" in values:
        date = values["date"]
        if not isinstance(date, datetime.date) or isinstance(date, datetime.datetime):
            errors["date"] = _("Indiquez une date.")
        elif date <= timezone.localdate():
            errors["date"] = _("L'édition doit être dans le futur.")
        else:
            cleaned["date"] = date
    elif creating:
        errors["date"] = _("Indiquez une date.")
    if "capacity" in values:
        _capacity(values["capacity"], "capacity", errors)
        cleaned["capacity"] = values["capacity"]
    return cleaned


@transaction.atomic
def edition_create(*, actor, title, date, place, description, capacity) -> OpenBricolageEdition:
    """An organiser announces an edition, hosted by their mairie."""
    _organisers_only(actor)
    errors = {}
    values = _edition_values({"title": title, "date": date, "place": place, "description": description,
                              "capacity": capacity}, errors, creating=True)
    if errors:
        raise ValidationError(errors)
    mairie = actor.mairie
    if mairie is None:
        raise NotAllowed(_("Votre compte n'est rattaché à aucune mairie."), code="no_mairie")
    return OpenBricolageEdition.objects.create(mairie=mairie, created_by=actor, **values)


@transaction.atomic
def edition_update(*, actor, edition, **changes) -> OpenBricolageEdition:
    """An organiser of the host mairie changes an edition to come. More seats go to those waiting;
    fewer than are taken is refused."""
    _organisers_only(actor)
    unknown = set(changes) - {"title", "date", "place", "description", "capacity"}
    if unknown:
        raise ValidationError(_("Champs inconnus : %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    edition = DAY_SEATS.lock(edition)
    require_host(actor, edition)
    _not_past(edition, _("Cette édition est passée : elle ne se modifie plus."))
    errors = {}
    values = _edition_values(changes, errors, creating=False)
    if "capacity" in values and values["capacity"] < DAY_SEATS.confirmed_count(edition):
        errors["capacity"] = _("Plus d'agents sont déjà inscrits à la journée : %(n)d.") % {
            "n": DAY_SEATS.confirmed_count(edition)}
    if errors:
        raise ValidationError(errors)
    for field, value in values.items():
        setattr(edition, field, value)
    edition.save()
    _promote(DAY_SEATS, edition, edition)
    for workshop in edition.workshops.all():
        reindex(workshop)
    return edition


# --- workshops ---------------------------------------------------------------------------------


def _workshop_values(values, errors):
    cleaned = {}
    for field, max_length, one_line in (("title", 160, True), ("description", 3000, False)):
        if field in values:
            try:
                cleaned[field] = _clean(values[field], field, max_length, one_line=one_line)
            except ValidationError as exc:
                errors.update(exc.message_dict)
    if "starts_at" in values:
        if not isinstance(values["starts_at"], datetime.time):
            errors["starts_at"] = _("Indiquez une heure.")
        else:
            cleaned["starts_at"] = values["starts_at"]
    if "capacity" in values:
        _capacity(values["capacity"], "capacity", errors, maximum=100)
        cleaned["capacity"] = values["capacity"]
    if "leader" in values:
        leader = values["leader"]
        if leader is None or not leader.is_active or not roles.is_agent(leader) or leader.mairie_id is None:
            errors["leader"] = _("Un atelier est animé par un agent d'une mairie.")
        else:
            cleaned["leader"] = leader
    if "bricolage" in values:
        bricolage = values["bricolage"]
        if not isinstance(bricolage, BricolagePage) or not bricolage.live or bricolage.is_hidden:
            errors["bricolage"] = _("Choisissez un bricolage publié du wiki.")
        else:
            cleaned["bricolage"] = bricolage
    return cleaned


@transaction.atomic
def workshop_add(*, actor, edition, title, description, starts_at, capacity, leader, bricolage) -> Workshop:
    """A workshop of the programme (the host mairie's organisers), led by an agent of any mairie and
    showing one bricolage."""
    _organisers_only(actor)
    edition = DAY_SEATS.lock(edition)
    require_host(actor, edition)
    _not_past(edition, _("Cette édition est passée : son programme ne change plus."))
    errors = {}
    values = _workshop_values({"title": title, "description": description, "starts_at": starts_at,
                               "capacity": capacity, "leader": leader, "bricolage": bricolage}, errors)
    if errors:
        raise ValidationError(errors)
    workshop = Workshop.objects.create(edition=edition, **values)
    reindex(edition)
    return workshop


@transaction.atomic
def workshop_update(*, actor, workshop, **changes) -> Workshop:
    _organisers_only(actor)
    unknown = set(changes) - {"title", "description", "starts_at", "capacity", "leader", "bricolage"}
    if unknown:
        raise ValidationError(_("Champs inconnus : %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    edition = DAY_SEATS.lock(workshop.edition)
    require_host(actor, edition)
    workshop = WORKSHOP_SEATS.lock(workshop)
    _not_past(edition, _("Cette édition est passée : son programme ne change plus."))
    errors = {}
    values = _workshop_values(changes, errors)
    taken = WORKSHOP_SEATS.confirmed_count(workshop)
    if "capacity" in values and values["capacity"] < taken:
        errors["capacity"] = _("Plus d'agents sont déjà inscrits à cet atelier : %(n)d.") % {"n": taken}
    if errors:
        raise ValidationError(errors)
    for field, value in values.items():
        setattr(workshop, field, value)
    workshop.save()
    _promote(WORKSHOP_SEATS, workshop, edition)
    reindex(edition)
    return workshop


# --- registrations -------------------------------------------------------------------------------


def _tell_confirmed(registrations, edition, *, promoted=False):
    if not registrations:
        return
    for registration in registrations:
        what = (_("l'atelier « %(title)s »") % {"title": registration.workshop.title} if registration.workshop_id
                else _("la journée"))
        engine.notify_users(
            users=[registration.agent], target=registration, verb="openbricolage_accepted",
            title=_("Votre inscription à %(edition)s est confirmée") % {"edition": edition.title},
            message=(_("Une place s'est libérée : vous passez de la liste d'attente à %(what)s, le %(date)s, "
                       "%(place)s.") if promoted else
                     _("Vous êtes inscrit·e à %(what)s, le %(date)s, %(place)s.")) % {
                "what": what, "date": _when(edition), "place": edition.place},
            url=registration.get_absolute_url())


def _promote(seats, day, edition):
    promoted = seats.promote(day, select_related=("agent", "workshop"))
    _tell_confirmed(promoted, edition, promoted=True)
    return promoted


@transaction.atomic
def registration_create(*, user, edition, workshop=None, first_time=False) -> Registration:
    """Register to a workshop (or to the day without one), saying whether one has never used the
    wiki: a seat while there is one, else the waiting list. The edition's row is locked first, so
    that two requests of one agent, or two last-seat requests, are counted one after the other.
    An agent who cancelled may register again (at the end of the queue)."""
    if not permissions.user_is_agent(user):
        raise NotAllowed(_("Les inscriptions à Open Bricolage sont réservées aux agents des mairies."))
    if not permissions.user_can_register(user):
        raise NotAllowed(_("Votre compte n'est rattaché à aucune mairie."), code="no_mairie")
    if not isinstance(first_time, bool):
        raise ValidationError({"first_time": _("Oui ou non.")})
    edition = DAY_SEATS.lock(edition)
    if workshop is not None:
        if workshop.edition_id != edition.pk:
            raise ValidationError({"workshop": _("Cet atelier n'est pas au programme de cette édition.")})
        workshop = WORKSHOP_SEATS.lock(workshop)
    _not_past(edition, _("Cette édition est passée : on ne peut plus s'y inscrire."))
    existing = Registration.objects.filter(edition=edition, agent=user).first()
    if existing is not None and existing.status != Status.CANCELLED:
        raise Conflict(_("Vous êtes déjà inscrit·e à cette édition."), code="already_registered",
                       extra={"existing": {"id": existing.pk, "url": existing.get_absolute_url()}})
    status = (WORKSHOP_SEATS.status_for_newcomer(workshop) if workshop is not None
              else DAY_SEATS.status_for_newcomer(edition))
    if existing is not None:  # back after cancelling: at the end of the queue
        existing.status, existing.workshop, existing.first_time = status, workshop, first_time
        existing.created_at, existing.promoted_at, existing.reminded_at = timezone.now(), None, None
        existing.save()
        registration = existing
    else:
        try:
            with transaction.atomic():
                registration = Registration.objects.create(edition=edition, workshop=workshop, agent=user,
                                                           first_time=first_time, status=status)
        except IntegrityError as exc:
            raise Conflict(_("Vous êtes déjà inscrit·e à cette édition."), code="already_registered") from exc
    if status == Status.CONFIRMED:
        _tell_confirmed([registration], edition)
    return registration


@transaction.atomic
def registration_cancel(*, user, edition) -> Registration:
    """The agent withdraws before the day: their seat goes to the first one waiting."""
    if not permissions.user_is_agent(user):
        raise NotAllowed(_("Les inscriptions à Open Bricolage sont réservées aux agents des mairies."))
    edition = DAY_SEATS.lock(edition)
    registration = Registration.objects.filter(edition=edition, agent=user).select_related("workshop").first()
    if registration is None or registration.status not in Registration.HOLDING:
        raise Conflict(_("Vous n'avez pas d'inscription active à cette édition."), code="not_registered")
    _not_past(edition, _("Cette édition est passée : on ne peut plus s'y inscrire."))
    day = WORKSHOP_SEATS.lock(registration.workshop) if registration.workshop_id else edition
    registration.status = Status.CANCELLED
    registration.save(update_fields=["status"])
    _promote(seats_for(registration), day, edition)
    return registration


# --- feedback ------------------------------------------------------------------------------------


@transaction.atomic
def feedback_give(*, user, edition, rating, text) -> EditionFeedback:
    """From the day on, an agent who had a seat says what they thought of it (or rewrites it)."""
    if not permissions.user_is_agent(user):
        raise NotAllowed(_("Les retours sur Open Bricolage sont réservés aux agents des mairies."))
    came = Registration.objects.filter(edition=edition, agent=user, status=Status.CONFIRMED).exists()
    if not came:
        raise NotAllowed(_("Seuls les agents inscrits à cette édition laissent un retour."), code="not_registered")
    if edition.date > timezone.localdate():
        raise ServiceError(_("Les retours s'ouvrent le jour de l'édition."), code="too_early")
    errors = {}
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        errors["rating"] = _("Une note de 1 à 5.")
    try:
        text = _clean(text, "text", 3000)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    feedback, _created = EditionFeedback.objects.update_or_create(
        edition=edition, agent=user, defaults={"rating": rating, "text": text})
    return feedback


# --- scheduled reminders -------------------------------------------------------------------------


def send_reminders(*, now=None) -> int:
    """The day before: a reminder to each agent holding a seat. Each is sent once."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    due = (Registration.objects.filter(status=Status.CONFIRMED, agent__is_active=True, edition__date=tomorrow,
                                       reminded_at__isnull=True).select_related("edition", "workshop", "agent"))
    sent = 0
    for registration in due:
        with transaction.atomic():
            if not Registration.objects.filter(pk=registration.pk, reminded_at__isnull=True).update(reminded_at=now):
                continue  # another scheduler claimed it
            edition, workshop = registration.edition, registration.workshop
            message = (_("Demain, %(place)s : l'atelier « %(title)s » commence à %(time)s.") % {
                "place": edition.place, "title": workshop.title,
                "time": formats.time_format(workshop.starts_at, "TIME_FORMAT")} if workshop is not None else
                _("Demain, %(place)s : venez essayer les bricolages des agents.") % {"place": edition.place})
            engine.notify_users(users=[registration.agent], target=registration, verb="openbricolage_reminder",
                                title=_("Demain : %(edition)s") % {"edition": edition.title}, message=message,
                                url=registration.get_absolute_url())
            sent += 1
    return sent
