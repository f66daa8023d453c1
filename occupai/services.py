"""Occupai's writes: proposals, pre-moderation, selection and scheduling.

The HTML views, the organisers' pages and the API all call these functions; each checks the
permission and the call's phase itself and runs in a transaction, so no door skips a rule and a
refusal saves nothing."""

import io
from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from PIL import Image as PILImage

from cms import roles
from cms.errors import Conflict, NotAllowed, ServiceError
from cms.images import strip_metadata
from cms.models import User
from cms.occupancy import occupied
from cms.validation import LINE_BREAK_MESSAGE, has_line_break, required_text
from participation import services as engine

from .models import CallPage, Event, Proposal, ProposalSlot, Space
from .models.proposals import PHOTO_EXTENSIONS, photo_storage
from .permissions import edit_refusal, propose_refusal, user_can_moderate_call

MAX_SLOTS = 5
EDITABLE_FIELDS = (
    "title", "description", "kind", "proposer_type", "proposer_name", "author_anonymous", "quartier",
    "expected_audience", "needs", "needs_details", "accessibility", "image", "image_alt",
)
Status = Proposal.Status


def _when(value):
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def _day(value):
    return formats.date_format(value, "DATE_FORMAT")


def _slot_label(starts_at, ends_at):
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    if start.date() == end.date():
        return _("le %(day)s de %(start)s à %(end)s") % {
            "day": _day(start.date()), "start": formats.time_format(start, "TIME_FORMAT"),
            "end": formats.time_format(end, "TIME_FORMAT")}
    return _("du %(start)s au %(end)s") % {"start": _when(start), "end": _when(end)}


def _raise(refusal):
    if refusal is not None:
        raise refusal


def _locked(proposal):
    """The proposal's row, locked until the end of the transaction (not the joined rows)."""
    return (Proposal.objects.select_for_update(of=("self",)).select_related("call", "call__mairie", "author")
            .get(pk=proposal.pk))


# --- proposals: residents ----------------------------------------------------------------------


def _validate_slots(call, slots, *, complete):
    errors = []
    slots = sorted(slots, key=lambda s: s[0])
    if complete and not slots:
        errors.append(_("Indiquez au moins un créneau souhaité."))
    if len(slots) > MAX_SLOTS:
        errors.append(_("Pas plus de %(n)d créneaux souhaités.") % {"n": MAX_SLOTS})
    period = _("du %(start)s au %(end)s") % {"start": _day(call.event_starts_on), "end": _day(call.event_ends_on)}
    for starts_at, ends_at in slots:
        if ends_at <= starts_at:
            errors.append(_("Le créneau %(slot)s finit avant de commencer.") % {"slot": _when(starts_at)})
        elif starts_at < call.event_starts_at or ends_at > call.event_ends_at:
            errors.append(_("Le créneau %(slot)s sort de la période des événements (%(period)s).")
                          % {"slot": _slot_label(starts_at, ends_at), "period": period})
    return errors


def _strip_new_photo(proposal) -> dict:
    """A photo just uploaded is written again with nothing but its pixels (cms.images.strip_metadata),
    so that no GPS position, camera or date reaches the disk; {"image": [error]} for a picture that
    cannot be cleaned (a format we do not write back)."""
    photo = proposal.image
    if not photo or getattr(photo, "_committed", True):
        return {}
    photo.open("rb")
    photo.seek(0)
    stripped = strip_metadata(photo.read())
    if stripped is None:
        return {"image": [_("Cette image n'est pas dans un format accepté : envoyez un JPEG, PNG ou WebP.")]}
    data = stripped[0]
    ext = PHOTO_EXTENSIONS[PILImage.open(io.BytesIO(data)).format]
    proposal.image = ContentFile(data, name=f"photo{ext}")
    return {}


def _delete_photo_after_commit(name):
    """A replaced, removed or deleted photo leaves the disk too, once the change is committed."""
    if name:
        transaction.on_commit(lambda: photo_storage().delete(name))


def _validate(proposal, *, spaces, slots, complete):
    """Field rules (a new photo loses its metadata first), then the call's rules: spaces offered by
    the call, slots in its period."""
    errors = _strip_new_photo(proposal)
    try:
        proposal.full_clean(exclude=["call", "mairie", "author", "quartier", "preferred_spaces"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    call = proposal.call
    errors.update({field: [*errors.get(field, []), LINE_BREAK_MESSAGE] for field in ("title", "proposer_name")
                   if has_line_break(getattr(proposal, field))})
    if proposal.proposer_type != Proposal.ProposerType.RESIDENT and not proposal.proposer_name.strip():
        errors.setdefault("proposer_name", []).append(
            _("Indiquez le nom de votre association ou de votre collectif."))
    unknown = [n for n in (proposal.needs or []) if n not in Proposal.Need.values]
    if not isinstance(proposal.needs, list) or unknown:
        errors.setdefault("needs", []).append(_("Besoin inconnu : %(needs)s.") % {"needs": ", ".join(map(str, unknown))})
    if proposal.image and not proposal.image_alt.strip():
        errors.setdefault("image_alt", []).append(_("Décrivez l'image en quelques mots."))
    if proposal.quartier_id and proposal.quartier.mairie_id != call.mairie_id:
        errors.setdefault("quartier", []).append(_("Ce quartier n'est pas dans cette mairie."))
    if spaces is not None:
        offered = set(call.spaces.values_list("pk", flat=True))
        foreign = [s.name for s in spaces if s.pk not in offered]
        if foreign:
            errors.setdefault("preferred_spaces", []).append(
                _("Cet appel ne propose pas : %(names)s.") % {"names": ", ".join(foreign)})
    if slots is not None:
        slot_errors = _validate_slots(call, slots, complete=complete)
        if slot_errors:
            errors.setdefault("slots", []).extend(slot_errors)
    if errors:
        raise ValidationError(errors)


def _save_relations(proposal, spaces, slots):
    if spaces is not None:
        proposal.preferred_spaces.set(spaces)
    if slots is not None:
        proposal.slots.all().delete()
        ProposalSlot.objects.bulk_create(
            [ProposalSlot(proposal=proposal, starts_at=s, ends_at=e) for s, e in sorted(slots)])


def _organisers_of(mairie):
    return User.objects.filter(groups__name=roles.ORGANISERS, mairie=mairie, is_active=True).distinct()


def _mark_submitted(*, user, proposal, resubmitted=False):
    proposal.status = Status.SUBMITTED
    proposal.status_reason = ""
    proposal.submitted_at = timezone.now()
    proposal.save(update_fields=["status", "status_reason", "submitted_at", "updated_at"])
    engine.follow_add(user=user, target=proposal)
    engine.audit_record(actor=user, target=proposal, action="resubmitted" if resubmitted else "submitted",
                        label=_("Proposition déposée"))
    engine.notify_users(
        users=_organisers_of(proposal.mairie), target=proposal, verb="to_review",
        title=_("Proposition à valider : « %(title)s »") % {"title": proposal.title},
        message=_("Pour l'appel « %(call)s ».") % {"call": proposal.call.title},
        url=proposal.call.subpath("organise"))


@transaction.atomic
def proposal_create(*, user, call: CallPage, fields: dict, spaces: Iterable[Space] = (),
                    slots: Iterable[tuple[datetime, datetime]] = (), submit: bool = False) -> Proposal:
    """A new proposal: a draft, or submitted for validation right away (`submit`)."""
    _raise(propose_refusal(user, call))
    proposal = Proposal(call=call, mairie=call.mairie, author=user,
                        **{k: v for k, v in fields.items() if k in EDITABLE_FIELDS})
    spaces, slots = list(spaces), list(slots)
    _validate(proposal, spaces=spaces, slots=slots, complete=submit)
    proposal.save()
    _save_relations(proposal, spaces, slots)
    engine.audit_record(actor=user, target=proposal, action="created", label=_("Brouillon créé"))
    if submit:
        _mark_submitted(user=user, proposal=proposal)
    return proposal


@transaction.atomic
def proposal_update(*, user, proposal: Proposal, fields: dict, spaces: Iterable[Space] | None = None,
                    slots: Iterable[tuple[datetime, datetime]] | None = None, submit: bool = False) -> Proposal:
    """The author edits until submission closes. A proposal already submitted (or published, or
    refused) goes back to the organisers: what shows publicly is always what they validated."""
    proposal = _locked(proposal)
    _raise(edit_refusal(user, proposal))
    old_photo = proposal.image.name
    for key, value in fields.items():
        if key in EDITABLE_FIELDS:
            setattr(proposal, key, value)
    spaces = list(spaces) if spaces is not None else None
    slots = list(slots) if slots is not None else None
    was_draft = proposal.status == Status.DRAFT
    complete = submit or not was_draft
    _validate(proposal, spaces=spaces, slots=slots if slots is not None or not complete
              else [(s.starts_at, s.ends_at) for s in proposal.slots.all()], complete=complete)
    proposal.save()
    if proposal.image.name != old_photo:
        _delete_photo_after_commit(old_photo)
    _save_relations(proposal, spaces, slots)
    if not was_draft or submit:
        _mark_submitted(user=user, proposal=proposal, resubmitted=not was_draft)
    return proposal


@transaction.atomic
def proposal_submit(*, user, proposal: Proposal) -> Proposal:
    proposal = _locked(proposal)
    _raise(edit_refusal(user, proposal))
    if proposal.status != Status.DRAFT:
        raise Conflict(_("Cette proposition est déjà déposée."), code="already_submitted")
    slots = [(s.starts_at, s.ends_at) for s in proposal.slots.all()]
    _validate(proposal, spaces=None, slots=slots, complete=True)
    _mark_submitted(user=user, proposal=proposal)
    return proposal


@transaction.atomic
def proposal_delete(*, user, proposal: Proposal) -> None:
    """Authors delete their drafts (a submitted proposal stays, for the record)."""
    if not getattr(user, "is_authenticated", False) or proposal.author_id != user.pk:
        raise NotAllowed(_("Seul·e l'auteur·rice peut supprimer ce brouillon."), code="not_author")
    if proposal.status != Status.DRAFT:
        raise Conflict(_("Seuls les brouillons se suppriment."), code="not_draft")
    proposal.delete()
    _delete_photo_after_commit(proposal.image.name)


# --- pre-moderation: organisers ------------------------------------------------------------------


def _require_organiser(actor, call):
    if not user_can_moderate_call(actor, call):
        raise NotAllowed(_("Seuls les organisateur·rices de la %(mairie)s décident ici.")
                         % {"mairie": call.mairie.name.lower()}, code="not_organiser")


@transaction.atomic
def proposal_accept(*, actor, proposal: Proposal) -> Proposal:
    """Publish a submitted proposal (it can then be supported during the vote)."""
    _require_organiser(actor, proposal.call)
    proposal = _locked(proposal)
    if proposal.status not in (Status.SUBMITTED, Status.REJECTED):
        raise Conflict(_("Cette proposition n'attend pas de validation (statut : %(status)s).")
                       % {"status": proposal.get_status_display()}, code="not_pending")
    if proposal.call.voting_closed():
        raise ServiceError(_("Le vote est clos depuis le %(date)s : il est trop tard pour publier une proposition.")
                           % {"date": _when(proposal.call.voting_closes_at)}, code="voting_closed")
    proposal.status, proposal.status_reason, proposal.decided_at = Status.ACCEPTED, "", timezone.now()
    proposal.save(update_fields=["status", "status_reason", "decided_at", "updated_at"])
    engine.audit_record(actor=actor, target=proposal, action="accepted", public=True,
                        label=_("Publiée par les organisateur·rices"))
    engine.notify_users(users=[proposal.author], target=proposal, verb="accepted",
                        title=_("Votre proposition « %(title)s » est publiée") % {"title": proposal.title},
                        message=_("Elle pourra être soutenue pendant le vote, à partir du %(date)s.")
                        % {"date": _when(proposal.call.voting_opens_at)}, url=proposal.get_absolute_url())
    return proposal


@transaction.atomic
def proposal_reject(*, actor, proposal: Proposal, reason: str) -> Proposal:
    """Refuse a proposal before it shows (or withdraw a published one before the vote opens)."""
    _require_organiser(actor, proposal.call)
    reason = required_text(reason, field="reason",
                           message=_("Indiquez le motif du refus : il est communiqué à l'auteur·rice."))
    proposal = _locked(proposal)
    if proposal.status not in (Status.SUBMITTED, Status.ACCEPTED):
        raise Conflict(_("Cette proposition ne peut plus être refusée (statut : %(status)s).")
                       % {"status": proposal.get_status_display()}, code="not_pending")
    if proposal.status == Status.ACCEPTED and timezone.now() >= proposal.call.voting_opens_at:
        raise Conflict(_("Le vote a commencé : une proposition publiée ne se retire plus, elle se masque "
                         "par la modération si elle enfreint la charte."), code="voting_started")
    proposal.status, proposal.status_reason, proposal.decided_at = Status.REJECTED, reason, timezone.now()
    proposal.save(update_fields=["status", "status_reason", "decided_at", "updated_at"])
    engine.audit_record(actor=actor, target=proposal, action="rejected", reason=reason,
                        label=_("Refusée par les organisateur·rices"))
    engine.notify_users(users=[proposal.author], target=proposal, verb="rejected",
                        title=_("Votre proposition « %(title)s » n'est pas publiée") % {"title": proposal.title},
                        message=_("Motif : %(reason)s") % {"reason": reason}, url=proposal.get_absolute_url())
    return proposal


# --- selection and scheduling: organisers --------------------------------------------------------


def _require_voting_closed(call):
    if not call.voting_closed():
        raise ServiceError(_("La sélection commence à la clôture du vote, le %(date)s.")
                           % {"date": _when(call.voting_closes_at)}, code="voting_not_closed")


def _check_slot(call, proposal, space, starts_at, ends_at):
    errors = {}
    if space.mairie_id != call.mairie_id or not call.spaces.filter(pk=space.pk).exists():
        errors["space"] = [_("« %(space)s » n'est pas un espace de cet appel.") % {"space": space.name}]
    elif space.capacity < proposal.expected_audience:
        errors["space"] = [_("« %(space)s » accueille %(capacity)d personnes : moins que les %(audience)d "
                             "attendues pour « %(title)s ».") % {
            "space": space.name, "capacity": space.capacity, "audience": proposal.expected_audience,
            "title": proposal.title}]
    if ends_at <= starts_at:
        errors["end"] = [_("La fin doit suivre le début.")]
    elif starts_at < call.event_starts_at or ends_at > call.event_ends_at:
        errors["start"] = [_("Le créneau %(slot)s sort de la période des événements, du %(start)s au %(end)s.") % {
            "slot": _slot_label(starts_at, ends_at), "start": _day(call.event_starts_on),
            "end": _day(call.event_ends_on)}]
    if errors:
        raise ValidationError(errors)


def _double_booking(space, clash):
    return Conflict(_("« %(space)s » est déjà réservé %(slot)s pour « %(title)s ».") % {
        "space": space.name, "slot": _slot_label(clash.starts_at, clash.ends_at), "title": clash.proposal.title},
        code="double_booking")


@transaction.atomic
def proposal_schedule(*, actor, proposal: Proposal, space: Space, starts_at: datetime, ends_at: datetime) -> Event:
    """Select a proposal and put it in the programme: one space, one time slot.

    Refused, with a message naming the conflict: before the vote closes, outside the event period,
    in a space too small for the expected audience, over the call's number of events, or in a space
    already booked at an overlapping time. The call's row and then the space's row are locked, so
    concurrent schedules of one call or one space run one after the other (PostgreSQL's exclusion
    constraint backs this up)."""
    call = proposal.call
    _require_organiser(actor, call)
    _require_voting_closed(call)
    call = CallPage.objects.select_for_update(of=("self",)).get(pk=call.pk)
    proposal = _locked(proposal)
    if proposal.is_hidden:
        raise Conflict(_("Cette proposition est masquée par la modération."), code="hidden")
    if proposal.status not in (Status.ACCEPTED, Status.SELECTED, Status.NOT_SELECTED):
        raise Conflict(_("Seules les propositions publiées peuvent être programmées."), code="not_published")
    space = Space.objects.select_for_update(of=("self",)).select_related("mairie").get(pk=space.pk)
    _check_slot(call, proposal, space, starts_at, ends_at)
    if proposal.status != Status.SELECTED:
        selected = call.proposals.filter(status=Status.SELECTED).count()
        if selected >= call.selection_count:
            raise Conflict(_("Les %(n)d événements prévus par l'appel sont déjà retenus : écartez-en un ou "
                             "augmentez le nombre d'événements à retenir.") % {"n": call.selection_count},
                           code="selection_full")
    clash = (Event.objects.filter(space=space, starts_at__lt=ends_at, ends_at__gt=starts_at)
             .exclude(proposal=proposal).select_related("proposal").order_by("starts_at").first())
    if clash is not None:
        raise _double_booking(space, clash)
    lent = occupied("occupai.space", space.pk, starts_at, ends_at, besides="occupai")
    if lent:
        raise Conflict(_("« %(space)s » est prêté sur ce créneau (%(what)s) : choisissez un autre créneau ou "
                         "libérez-le d'abord.") % {"space": space.name, "what": lent}, code="occupied")
    event = Event.objects.filter(proposal=proposal).first()
    rescheduled = event is not None
    if event is None:
        event = Event(call=call, proposal=proposal)
    elif (event.space_id, event.starts_at, event.ends_at) != (space.pk, starts_at, ends_at):
        event.sequence += 1
    event.space, event.starts_at, event.ends_at = space, starts_at, ends_at
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError as exc:  # PostgreSQL's exclusion constraint: a concurrent booking won
        raise Conflict(_("« %(space)s » vient d'être réservé sur ce créneau : rechargez la page.")
                       % {"space": space.name}, code="double_booking") from exc
    proposal.status, proposal.status_reason, proposal.decided_at = Status.SELECTED, "", timezone.now()
    proposal.save(update_fields=["status", "status_reason", "decided_at", "updated_at"])
    where = _("%(space)s, %(slot)s") % {"space": space.name, "slot": _slot_label(starts_at, ends_at)}
    engine.audit_record(actor=actor, target=proposal, action="rescheduled" if rescheduled else "selected",
                        public=True, label=(_("Reprogrammée : %(where)s") if rescheduled
                                            else _("Retenue : %(where)s")) % {"where": where},
                        data={"space": space.pk, "starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat()})
    title = (_("« %(title)s » change d'horaire ou de lieu") if rescheduled
             else _("« %(title)s » est au programme !")) % {"title": proposal.title}
    engine.notify_followers(target=proposal, verb="rescheduled" if rescheduled else "selected", title=title,
                            message=where, url=event.get_absolute_url(), actor=actor, extra_users=[proposal.author])
    return event


@transaction.atomic
def proposal_decline(*, actor, proposal: Proposal, reason: str) -> Proposal:
    """Not selected (or taken off the programme), with the reason proposers and supporters read."""
    call = proposal.call
    _require_organiser(actor, call)
    _require_voting_closed(call)
    reason = required_text(reason, field="reason", message=_("Indiquez pourquoi la proposition n'est pas retenue."))
    proposal = _locked(proposal)
    if proposal.status not in (Status.ACCEPTED, Status.SELECTED):
        raise Conflict(_("Cette proposition n'est pas en lice (statut : %(status)s).")
                       % {"status": proposal.get_status_display()}, code="not_in_selection")
    Event.objects.filter(proposal=proposal).delete()
    proposal.status, proposal.status_reason, proposal.decided_at = Status.NOT_SELECTED, reason, timezone.now()
    proposal.save(update_fields=["status", "status_reason", "decided_at", "updated_at"])
    engine.audit_record(actor=actor, target=proposal, action="not_selected", public=True, reason=reason,
                        label=_("Non retenue"))
    engine.notify_followers(target=proposal, verb="not_selected",
                            title=_("« %(title)s » n'est pas retenue") % {"title": proposal.title},
                            message=_("Motif : %(reason)s") % {"reason": reason}, url=proposal.get_absolute_url(),
                            actor=actor, extra_users=[proposal.author])
    return proposal


@transaction.atomic
def call_decline_rest(*, actor, call: CallPage, reason: str) -> int:
    """Close the selection: every published proposal not scheduled gets the same reason."""
    _require_organiser(actor, call)
    _require_voting_closed(call)
    required_text(reason, field="reason", message=_("Indiquez pourquoi ces propositions ne sont pas retenues."))
    remaining = list(Proposal.objects.filter(call=call, status=Status.ACCEPTED).order_by("pk"))
    for proposal in remaining:
        proposal_decline(actor=actor, proposal=proposal, reason=reason)
    return len(remaining)
