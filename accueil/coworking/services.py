"""Writes of the co-working: keyword-only functions that check who may act, then let the database decide.

A booking takes the lowest free desk of the half-day; two bookers taking the last desk at the same
instant both try to insert it, the partial unique constraint (space, date, half, desk) keeps one, and the
other looks again and finds the space full (409). The same holds on SQLite and PostgreSQL."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accueil import conf
from cms.errors import Conflict, NotAllowed

from . import selectors
from .models import LIVE, Booking, CoworkingSpace, Half, Invitation
from .permissions import booking_refusal, invite_refusal

INVITATION_DAYS = 90


def _check_booker(*, user, invitation, space: CoworkingSpace, day: date):
    if invitation is None:
        refusal = booking_refusal(user)
        if refusal is not None:
            raise refusal
        return
    if invitation.mairie_id != space.mairie_id:
        raise NotAllowed(_("Votre invitation vaut pour les espaces de la %(mairie)s.")
                         % {"mairie": invitation.mairie.name}, code="other_mairie")
    if invitation.revoked_at is not None:
        raise NotAllowed(_("Cette invitation a été retirée."), code="revoked")
    if day > invitation.valid_until:
        raise NotAllowed(_("Votre invitation vaut jusqu'au %(date)s.")
                         % {"date": invitation.valid_until.strftime("%d/%m/%Y")}, code="expired")


def _check_day(space: CoworkingSpace, day: date, half: str, now):
    if half not in Half.values:
        raise ValidationError({"half": _("Choisissez le matin ou l'après-midi.")})
    today = timezone.localdate(now)
    if not isinstance(day, date) or day < today:
        raise ValidationError({"date": _("Choisissez un jour à venir.")})
    if day > today + timedelta(days=selectors.HORIZON_DAYS):
        raise ValidationError({"date": _("On réserve au plus %(n)d jours à l'avance.") % {"n": selectors.HORIZON_DAYS}})
    if selectors.half_is_over(space, day, half, now):
        raise ValidationError({"half": _("Cette demi-journée est déjà passée.")})
    if not space.active or not selectors.is_open_on(space, day):
        raise Conflict(_("« %(space)s » n'est pas ouvert au coworking ce jour-là. %(opening)s")
                       % {"space": space.name, "opening": selectors.opening_text(space)}, code="closed")
    event = selectors.occupied_by(space, day, half)
    if event:
        raise Conflict(_("La salle est occupée ce jour-là par « %(event)s » : choisissez une autre demi-journée.")
                       % {"event": event}, code="occupied")


def _already(*, user, invitation, day, half):
    mine = Booking.objects.filter(LIVE, date=day, half=half)
    mine = mine.filter(user=user) if invitation is None else mine.filter(invitation=invitation)
    found = mine.select_related("space").first()
    if found is not None:
        return Conflict(_("Vous avez déjà un poste le %(date)s (%(half)s) : %(space)s.")
                        % {"date": day.strftime("%d/%m/%Y"), "half": found.get_half_display(),
                           "space": found.space.name}, code="already_booked")
    return None


def booking_create(*, space: CoworkingSpace, day: date, half: str, user=None, invitation: Invitation | None = None,
                   now=None) -> Booking:
    """A desk of `space` for the half-day, for an agent of any mairie (`user`) or an invitee of the space's
    mairie (`invitation`). Refused: a resident (403), a past or too distant day (400), a closed day or a lent
    room that an Occupai event holds (409), no desk left (409), a second desk the same half-day (409)."""
    now = now or timezone.now()
    _check_booker(user=user, invitation=invitation, space=space, day=day)
    _check_day(space, day, half, now)
    booker = {"user": user} if invitation is None else {"invitation": invitation}
    for _attempt in range(space.capacity + 5):
        refusal = _already(user=user, invitation=invitation, day=day, half=half)
        if refusal is not None:
            raise refusal
        taken = set(Booking.objects.filter(LIVE, space=space, date=day, half=half).values_list("desk", flat=True))
        free = next((d for d in range(1, space.capacity + 1) if d not in taken), None)
        if free is None:
            raise Conflict(_("Plus aucun poste n'est libre à « %(space)s » le %(date)s (%(half)s).")
                           % {"space": space.name, "date": day.strftime("%d/%m/%Y"), "half": Half(half).label},
                           code="full")
        try:
            with transaction.atomic():
                return Booking.objects.create(space=space, date=day, half=half, desk=free, **booker)
        except IntegrityError:
            continue  # someone took that desk (or this booker booked) at the same instant: look again
    raise Conflict(_("Trop de réservations au même instant : réessayez."), code="busy")


def booking_cancel(*, booking: Booking, user=None, invitation: Invitation | None = None, now=None) -> Booking:
    """The booker frees the desk (before the half-day ends). Someone else's booking: 403; twice: 409."""
    now = now or timezone.now()
    mine = booking.invitation_id == invitation.pk if invitation is not None else (
        booking.user_id is not None and getattr(user, "pk", None) == booking.user_id)
    if not mine:
        raise NotAllowed(_("Seule la personne qui a réservé peut annuler."), code="not_booker")
    if selectors.half_is_over(booking.space, booking.date, booking.half, now):
        raise Conflict(_("Cette demi-journée est passée : la réservation ne peut plus être annulée."), code="past")
    if not Booking.objects.filter(LIVE, pk=booking.pk).update(cancelled_at=now):
        raise Conflict(_("Cette réservation est déjà annulée."), code="already_cancelled")
    booking.refresh_from_db()
    return booking


def invitation_create(*, mairie, user, email: str, name: str, organisation: str = "",
                      valid_until: date | None = None, link_base: str = "") -> Invitation:
    """An organiser of the mairie invites a public actor: an email with the private booking link goes out
    after commit (`link_base`: the site's address, to build the link)."""
    refusal = invite_refusal(user, mairie)
    if refusal is not None:
        raise refusal
    email, name, organisation = (email or "").strip(), (name or "").strip(), (organisation or "").strip()
    errors = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = _("Cette adresse e-mail n'est pas valide.")
    if not name:
        errors["name"] = _("Indiquez le nom de la personne invitée.")
    today = timezone.localdate()
    valid_until = valid_until or today + timedelta(days=INVITATION_DAYS)
    if valid_until < today:
        errors["valid_until"] = _("Choisissez une date à venir.")
    if errors:
        raise ValidationError(errors)
    invitation = Invitation.objects.create(mairie=mairie, email=email, name=name[:120],
                                           organisation=organisation[:160], valid_until=valid_until, created_by=user)
    if link_base:
        from .tasks import send_invitation

        transaction.on_commit(lambda: send_invitation.enqueue(invitation.pk, link_base))
    return invitation


def invitation_revoke(*, invitation: Invitation, user, now=None) -> Invitation:
    """Withdraw an invitation: its link no longer books, and its future bookings are cancelled."""
    refusal = invite_refusal(user, invitation.mairie)
    if refusal is not None:
        raise refusal
    now = now or timezone.now()
    with transaction.atomic():
        if not Invitation.objects.filter(pk=invitation.pk, revoked_at__isnull=True).update(revoked_at=now):
            raise Conflict(_("Cette invitation est déjà retirée."), code="already_revoked")
        Booking.objects.filter(LIVE, invitation=invitation, date__gte=timezone.localdate(now)).update(cancelled_at=now)
    invitation.refresh_from_db()
    return invitation


def invitation_forget(*, invitation: Invitation) -> None:
    """The invitee, from their private page, erases what the mairie keeps about them: their upcoming
    bookings are freed and the invitation goes with its name, organisation, email and bookings."""
    with transaction.atomic():
        if not Invitation.objects.filter(pk=invitation.pk).select_for_update().exists():
            raise Conflict(_("Cette invitation n'existe plus."), code="gone")
        invitation.delete()


def invitations_purge(*, days=None, now=None) -> int:
    """Delete the invitations that ended (expired, or withdrawn) more than `days` ago
    (COWORKING_INVITATION_RETENTION_DAYS), with their bookings, all in the past: the retention the
    privacy page states. Returns how many invitations went."""
    days = conf.invitation_retention_days() if days is None else days
    now = now or timezone.now()
    limit = now - timedelta(days=days)
    ended = Invitation.objects.filter(Q(valid_until__lt=timezone.localdate(limit)) | Q(revoked_at__lt=limit))
    _deleted, per_model = ended.delete()
    return per_model.get(Invitation._meta.label, 0)
