"""Writes of the ambassadeurs: keyword-only functions that check who acts, then let the database decide.
The HTML pages, the API and the admin call these, so that each rule holds at every door.

Nothing here ever puts a contact detail in a message, a notification or an audit label: the thread's
emails say « un nouveau message » and link to the thread, where only its two people are let in."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import on_behalf, roles
from cms.errors import Conflict, NotAllowed
from participation.models import Quartier
from participation.services import audit_record, notify_users
from search.sync import schedule_sync

from .models import OPEN, Ambassador, HelpConsent, HelpMessage, HelpRequest
from .permissions import decide_refusal, side_of

MAX_OPEN_REQUESTS = 3  # a neighbour's open requests, all ambassadors together
SUBJECT_MAX, MESSAGE_MAX = 120, 4000


def _clean_profile(*, mairie, public_name, quartier, languages, help_with, motivation):
    values = {"public_name": (public_name or "").strip(), "languages": (languages or "").strip(),
              "help_with": (help_with or "").strip(), "motivation": (motivation or "").strip()}
    errors = {}
    if not values["public_name"]:
        errors["public_name"] = _("Indiquez le prénom ou le surnom qui sera affiché.")
    elif len(values["public_name"]) > 60:
        errors["public_name"] = _("60 caractères au plus.")
    if not values["languages"]:
        errors["languages"] = _("Indiquez au moins une langue parlée.")
    elif len(values["languages"]) > 200:
        errors["languages"] = _("200 caractères au plus.")
    if not values["help_with"]:
        errors["help_with"] = _("Dites en quelques mots pour quoi vous pouvez aider.")
    elif len(values["help_with"]) > 1000:
        errors["help_with"] = _("1 000 caractères au plus.")
    if len(values["motivation"]) > 2000:
        errors["motivation"] = _("2 000 caractères au plus.")
    if isinstance(quartier, Quartier):
        quartier = quartier.pk
    found = None
    if quartier not in (None, ""):
        found = Quartier.objects.filter(mairie=mairie, pk=quartier).first() if str(quartier).isdigit() else None
        if found is None:
            errors["quartier"] = _("Choisissez un quartier de cette mairie.")
    if errors:
        raise ValidationError(errors)
    return {**values, "quartier": found}


def ambassador_apply(*, user, mairie, public_name, languages, help_with, quartier=None, motivation="") -> Ambassador:
    """A resident with a confirmed email offers to be an ambassador of `mairie`. Once per mairie: a pending,
    accepted or declined application is refused (409); someone who stopped may apply again."""
    if not getattr(user, "is_authenticated", False):
        raise NotAllowed(_("Connectez-vous pour devenir ambassadeur·rice."), code="not_authenticated")
    roles.require_confirmed(user)
    values = _clean_profile(mairie=mairie, public_name=public_name, quartier=quartier, languages=languages,
                            help_with=help_with, motivation=motivation)
    with transaction.atomic():
        existing = Ambassador.objects.select_for_update().filter(mairie=mairie, user=user).first()
        if existing is not None and existing.status != Ambassador.Status.STOPPED:
            raise Conflict({
                Ambassador.Status.APPLIED: _("Votre candidature est déjà entre les mains des organisateur·rices."),
                Ambassador.Status.ACCEPTED: _("Vous êtes déjà ambassadeur·rice de cette mairie."),
                Ambassador.Status.DECLINED: _("Votre candidature n'a pas été retenue : écrivez à la mairie pour en "
                                              "parler."),
            }[existing.status], code="already_applied", extra={"status": existing.status})
        if existing is not None:
            for field, value in values.items():
                setattr(existing, field, value)
            existing.status, existing.decided_at, existing.decided_by = Ambassador.Status.APPLIED, None, None
            existing.applied_at = timezone.now()
            existing.save()
            return existing
        try:
            with transaction.atomic():
                return Ambassador.objects.create(mairie=mairie, user=user, **values)
        except IntegrityError:  # the same person, twice at the same instant
            raise Conflict(_("Votre candidature est déjà entre les mains des organisateur·rices."),
                           code="already_applied") from None


def ambassador_decide(*, ambassador: Ambassador, user, accept: bool) -> Ambassador:
    """An organiser of the ambassador's mairie accepts or declines a pending application (409 once decided);
    the applicant is told."""
    refusal = decide_refusal(user, ambassador.mairie)
    if refusal is not None:
        raise refusal
    status = Ambassador.Status.ACCEPTED if accept else Ambassador.Status.DECLINED
    now = timezone.now()
    with transaction.atomic():
        if not Ambassador.objects.filter(pk=ambassador.pk, status=Ambassador.Status.APPLIED).update(
                status=status, decided_at=now, decided_by=user):
            raise Conflict(_("Cette candidature a déjà reçu une réponse."), code="already_decided")
        ambassador.refresh_from_db()
        schedule_sync(ambassador)  # a conditional update sends no signal
        audit_record(actor=user, target=ambassador, action="ambassador_" + status, label=ambassador.public_name)
        title = (_("Bienvenue parmi les ambassadeur·rices de la %(mairie)s !") if accept else
                 _("Votre candidature d'ambassadeur·rice n'a pas été retenue")) % {"mairie": ambassador.mairie.name}
        notify_users(users=[ambassador.user], target=ambassador, verb="ambassador_" + status, title=title,
                     url=reverse("accueil:ambassador", args=[ambassador.pk]) if accept else "")
    return ambassador


def ambassador_stop(*, ambassador: Ambassador, user) -> Ambassador:
    """The ambassador stops (or an organiser of the mairie ends the role): off the public list, and each open
    request is closed with a word in its thread."""
    if getattr(user, "pk", None) != ambassador.user_id:
        refusal = decide_refusal(user, ambassador.mairie)
        if refusal is not None:
            raise refusal
    now = timezone.now()
    with transaction.atomic():
        if not Ambassador.objects.filter(pk=ambassador.pk, status=Ambassador.Status.ACCEPTED).update(
                status=Ambassador.Status.STOPPED, decided_at=now, decided_by=user):
            raise Conflict(_("Cette personne n'est pas ambassadeur·rice en ce moment."), code="not_active")
        for help_request in HelpRequest.objects.filter(OPEN, ambassador=ambassador):
            _platform_message(help_request, _("%(name)s n'est plus ambassadeur·rice : la demande est close.")
                              % {"name": ambassador.public_name})
        HelpRequest.objects.filter(OPEN, ambassador=ambassador).update(closed_at=now)
        HelpConsent.objects.filter(request__ambassador=ambassador, withdrawn_at__isnull=True).update(withdrawn_at=now)
        schedule_sync(ambassador)
        audit_record(actor=user, target=ambassador, action="ambassador_stopped", label=ambassador.public_name)
    ambassador.refresh_from_db()
    return ambassador


def _thread_url(help_request):
    return reverse("accueil:help-request", args=[help_request.pk])


def _platform_message(help_request, text, link=""):
    return HelpMessage.objects.create(request=help_request, author=None, body=str(text), link=link)


def _tell_other_side(help_request, user, title):
    side = side_of(user, help_request)
    other = help_request.ambassador.user if side == "neighbour" else help_request.neighbour
    notify_users(users=[other], target=help_request, verb="help_message", title=title, url=_thread_url(help_request))


def _clean_message(body, field="body"):
    body = (body or "").strip()
    if not body:
        raise ValidationError({field: _("Écrivez votre message.")})
    if len(body) > MESSAGE_MAX:
        raise ValidationError({field: _("%(n)d caractères au plus.") % {"n": MESSAGE_MAX}})
    return body


def help_request_create(*, ambassador: Ambassador, user, subject, message) -> HelpRequest:
    """A neighbour with a confirmed email asks an ambassador for help, with a first message. Refused: an
    ambassador who is not active (409), asking oneself (400), a second open request to the same ambassador
    or more than MAX_OPEN_REQUESTS open ones (409)."""
    if not getattr(user, "is_authenticated", False):
        raise NotAllowed(_("Connectez-vous pour demander de l'aide."), code="not_authenticated")
    roles.require_confirmed(user)
    subject = (subject or "").strip()
    errors = {}
    if not subject:
        errors["subject"] = _("Dites en quelques mots pour quoi vous demandez de l'aide.")
    elif len(subject) > SUBJECT_MAX:
        errors["subject"] = _("%(n)d caractères au plus.") % {"n": SUBJECT_MAX}
    try:
        message = _clean_message(message, "message")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if ambassador.user_id == user.pk:
        errors["ambassador"] = _("Vous ne pouvez pas vous demander de l'aide à vous-même.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # The neighbour's row, locked, serialises their requests (the limits below count them); the
        # ambassador's, that the role is still active when the request is made.
        get_user_model().objects.select_for_update().filter(pk=user.pk).exists()
        if not Ambassador.objects.select_for_update().filter(pk=ambassador.pk,
                                                             status=Ambassador.Status.ACCEPTED).exists():
            raise Conflict(_("Cette personne n'est plus ambassadeur·rice : choisissez-en une autre."),
                           code="not_active")
        mine = HelpRequest.objects.filter(OPEN, neighbour=user)
        if mine.filter(ambassador=ambassador).exists():
            raise Conflict(_("Vous avez déjà une demande en cours avec %(name)s : écrivez-lui dans celle-ci.")
                           % {"name": ambassador.public_name}, code="already_open")
        if mine.count() >= MAX_OPEN_REQUESTS:
            raise Conflict(_("Vous avez déjà %(n)d demandes en cours : closez-en une avant d'en ouvrir une autre.")
                           % {"n": MAX_OPEN_REQUESTS}, code="too_many_open")
        help_request = HelpRequest.objects.create(ambassador=ambassador, neighbour=user, subject=subject)
        HelpMessage.objects.create(request=help_request, author=user, body=message)
        notify_users(users=[ambassador.user], target=help_request, verb="help_request",
                     title=_("Une demande d'aide vous attend : « %(subject)s »") % {"subject": subject},
                     url=_thread_url(help_request))
    return help_request


def _party(help_request, user):
    side = side_of(user, help_request)
    if side is None:
        raise NotAllowed(_("Cette demande ne vous concerne pas."), code="not_party")
    return side


def _require_open(help_request):
    if not help_request.is_open:
        raise Conflict(_("Cette demande est close."), code="closed")


def help_message_add(*, help_request: HelpRequest, user, body) -> HelpMessage:
    """One side writes in the thread; the other is told (by a notification that carries no contact detail)."""
    _party(help_request, user)
    _require_open(help_request)
    body = _clean_message(body)
    with transaction.atomic():
        message = HelpMessage.objects.create(request=help_request, author=user, body=body)
        _tell_other_side(help_request, user, _("Nouveau message : « %(subject)s »") % {"subject": help_request.subject})
    return message


def help_contact_share(*, help_request: HelpRequest, user, share: bool) -> HelpRequest:
    """One side agrees (or no longer agrees) to show their email to the other. Shown only when both agree."""
    side = _party(help_request, user)
    field = f"{side}_shares_contact"
    HelpRequest.objects.filter(pk=help_request.pk).update(**{field: bool(share)})
    help_request.refresh_from_db()
    return help_request


def _act_by(help_request, user, kind, *, side, code, refusal):
    """The act `kind` (cms.on_behalf) for `user` on `side` of an open request: else 403, 400 or 409."""
    if _party(help_request, user) != side:
        raise NotAllowed(refusal, code=code)
    act = on_behalf.act_for(kind)
    if act is None:
        raise ValidationError({"kind": _("Choisissez une démarche que l'ambassadeur·rice peut faire pour vous.")})
    _require_open(help_request)
    return act


def live_consents(help_request) -> dict[str, HelpConsent]:
    return {c.kind: c for c in help_request.consents.all() if c.withdrawn_at is None}


def help_consent(*, help_request: HelpRequest, user, kind: str, given: bool) -> HelpRequest:
    """The neighbour gives (or withdraws) their consent that the ambassador does `kind` for them (an act of
    cms.on_behalf). Only the neighbour (403), on an open request (409); giving twice or withdrawing what
    was not given: 409. Recorded in the thread and in the audit trail."""
    act = _act_by(help_request, user, kind, side="neighbour", code="not_neighbour",
                  refusal=_("Seule la personne aidée donne ou retire son accord."))
    now = timezone.now()
    with transaction.atomic():
        if given:
            try:
                with transaction.atomic():
                    HelpConsent.objects.create(request=help_request, kind=kind)
            except IntegrityError:
                raise Conflict(_("Votre accord est déjà donné."), code="already_given") from None
            text = _("Accord donné à %(name)s pour %(what)s.")
        else:
            if not HelpConsent.objects.filter(request=help_request, kind=kind, withdrawn_at__isnull=True).update(
                    withdrawn_at=now):
                raise Conflict(_("Cet accord n'est pas donné en ce moment."), code="not_given")
            text = _("Accord retiré à %(name)s pour %(what)s.")
        text = text % {"name": help_request.ambassador.public_name, "what": act.consent()}
        _platform_message(help_request, text)
        audit_record(actor=user, target=help_request, action="help_consent_" + ("given" if given else "withdrawn"),
                     label=kind)
        _tell_other_side(help_request, user, text)
    return help_request


def help_act(*, help_request: HelpRequest, user, kind: str, choice) -> on_behalf.Done:
    """The ambassador does `kind` for the neighbour (opens a carnet in the ambassador's mairie, takes a ticket),
    only with the neighbour's live consent (403 otherwise). The act's own rules apply (a closed service: 409).
    The thread gets a message with the link; the neighbour is told; the audit trail keeps who did it."""
    act = _act_by(help_request, user, kind, side="ambassador", code="not_ambassador",
                  refusal=_("Seul·e l'ambassadeur·rice agit pour la personne aidée."))
    with transaction.atomic():
        if not HelpConsent.objects.select_for_update().filter(request=help_request, kind=kind,
                                                              withdrawn_at__isnull=True).exists():
            raise NotAllowed(_("La personne aidée n'a pas donné son accord pour cela (ou l'a retiré)."),
                             code="no_consent")
        done = act.run(owner=help_request.neighbour, mairie=help_request.ambassador.mairie, choice=choice, by=user)
        _platform_message(help_request, done.text, link=done.url)
        audit_record(actor=user, target=help_request, action="help_act", label=kind)
        _tell_other_side(help_request, user, done.text)
    return done


def help_close(*, help_request: HelpRequest, user) -> HelpRequest:
    """Either side closes the request (409 when closed already); live consents end with it."""
    _party(help_request, user)
    now = timezone.now()
    with transaction.atomic():
        if not HelpRequest.objects.filter(OPEN, pk=help_request.pk).update(closed_at=now):
            raise Conflict(_("Cette demande est déjà close."), code="closed")
        HelpConsent.objects.filter(request=help_request, withdrawn_at__isnull=True).update(withdrawn_at=now)
        _platform_message(help_request, _("Demande close."))
        _tell_other_side(help_request, user, _("Demande close : « %(subject)s »") % {"subject": help_request.subject})
    help_request.refresh_from_db()
    return help_request


def help_requests_purge(*, days=None, now=None) -> int:
    """Delete the help requests closed more than `days` ago (HELP_REQUEST_RETENTION_DAYS), with their
    messages and consents: the retention the privacy page states. Returns how many went."""
    from datetime import timedelta

    from accueil import conf

    days = conf.help_request_retention_days() if days is None else days
    limit = (now or timezone.now()) - timedelta(days=days)
    _deleted, per_model = HelpRequest.objects.filter(closed_at__lt=limit).delete()
    return per_model.get(HelpRequest._meta.label, 0)


def ambassadeurs_erase(user) -> None:
    """With the account: its ambassador roles (and the requests they received) and the requests it made."""
    HelpRequest.objects.filter(neighbour=user).delete()
    Ambassador.objects.filter(user=user).delete()
