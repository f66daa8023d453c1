"""The charter's writes: amendments (submit, withdraw, adopt, reject), the record of each
publication (versions, wordings, provenance) and signatures. HTML views, the API, the Wagtail
hooks and the demo all call these, so a rule cannot be skipped by choosing another door."""

import re
import unicodedata

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.log_actions import log

from cms import roles
from cms.errors import Conflict, NotAllowed, ServiceError
from cms.validation import required_text
from participation import selectors as engine_selectors
from participation import services as engine
from participation.models import Support

from . import permissions, rules, selectors
from .models import Amendment, CharterPage, CharterVersion, Commandement, CommandementWording

ADOPT_LOG_ACTION = "commandements.amendment_adopted"
_SPACES = re.compile(r"\s+")


def normalised_wording(wording) -> tuple[str, ...]:
    """A wording as compared for duplicates: case, spacing and punctuation do not count."""
    return tuple(" ".join("".join(" " if unicodedata.category(ch)[0] in "PSZC" else ch
                                  for ch in str(part or "").casefold()).split()) for part in wording)


def _same_open_amendment(charter, number, wording, current):
    """The open amendment of this commandement that proposes the same wording, if any."""
    target = normalised_wording(wording)
    for other in Amendment.objects.filter(charter=charter, number=number, status=Amendment.Status.OPEN):
        if normalised_wording(other.proposed_wording(current)) == target:
            return other
    return None


def _date(value):
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def _clean_text(value, *, field, max_length, errors):
    text = _SPACES.sub(" ", str(value or "")).strip()
    if len(text) > max_length:
        errors[field] = _("%(n)d caractères au plus (ce texte en compte %(count)d).") % {
            "n": max_length, "count": len(text)}
    return text


def check_consultation_open(charter):
    """Raise ServiceError (400) naming the dates unless the consultation window is open now."""
    state = charter.consultation_state()
    if state == "none":
        raise ServiceError(_("Aucune consultation n'est ouverte sur cette charte pour le moment."),
                           code="no_consultation")
    if state == "upcoming":
        raise ServiceError(_("La consultation ouvre le %(date)s.") % {"date": _date(charter.consultation_opens_at)},
                           code="not_open")
    if state == "closed":
        raise ServiceError(_("La consultation est close depuis le %(date)s.") % {
            "date": _date(charter.consultation_closes_at)}, code="closed")


def _check_participant(user, charter, allowed, *, log_in: str, others: str):
    """What proposing and signing both require: a logged-in user, a published charter, and
    `allowed(user, charter)` (a resident or agent of its mairie); `others` names that mairie."""
    if not getattr(user, "is_authenticated", False):
        raise NotAllowed(log_in, code="not_authenticated")
    if not charter.is_public():
        raise NotAllowed(_("Cette charte n'est pas publiée."), code="not_public")
    if not allowed(user, charter):
        raise NotAllowed(others % {"mairie": charter.mairie.name.lower()}, code="other_mairie")


def _check_proposer(user, charter):
    _check_participant(user, charter, permissions.user_can_propose_amendment,
                       log_in=_("Connectez-vous pour proposer un amendement."),
                       others=_("Seuls les habitant·es et les agents de la %(mairie)s amendent sa charte."))
    roles.require_confirmed(user)


def _clean_proposal(current, kind, title, mairie_side, resident_side, rationale):
    errors = {}
    if kind not in Amendment.Kind.values:
        errors["kind"] = _("Choisissez « nouvelle formulation » ou « commandement de remplacement ».")
    title = _clean_text(title, field="proposed_title", max_length=rules.TITLE_MAX_LENGTH, errors=errors)
    mairie_side = _clean_text(mairie_side, field="proposed_mairie_commitment",
                              max_length=rules.COMMITMENT_MAX_LENGTH, errors=errors)
    resident_side = _clean_text(resident_side, field="proposed_resident_commitment",
                                max_length=rules.COMMITMENT_MAX_LENGTH, errors=errors)
    rationale = str(rationale or "").strip()
    if not rationale:
        errors["rationale"] = _("Dites en quelques mots pourquoi vous proposez ce changement.")
    elif len(rationale) > rules.RATIONALE_MAX_LENGTH:
        errors["rationale"] = _("%(n)d caractères au plus (ce texte en compte %(count)d).") % {
            "n": rules.RATIONALE_MAX_LENGTH, "count": len(rationale)}
    if kind == Amendment.Kind.REPLACEMENT:
        for field, value in (("proposed_title", title), ("proposed_mairie_commitment", mairie_side),
                             ("proposed_resident_commitment", resident_side)):
            if not value:
                errors.setdefault(field, _("Un commandement de remplacement a un titre et ses deux engagements."))
    elif kind == Amendment.Kind.WORDING and not (mairie_side or resident_side) and "proposed_title" not in errors:
        errors["proposed_mairie_commitment"] = _(
            "Proposez une nouvelle formulation pour l'engagement de la mairie, celui de l'habitant·e, ou les deux.")
    if not errors and (title or current[0], mairie_side or current[1], resident_side or current[2]) == current:
        errors["proposed_mairie_commitment"] = _("C'est la formulation actuelle : changez au moins un mot.")
    if errors:
        raise ValidationError(errors)
    return title, mairie_side, resident_side, rationale


@transaction.atomic
def amendment_submit(*, user, charter, number, kind=Amendment.Kind.WORDING, proposed_title="",
                     proposed_mairie_commitment="", proposed_resident_commitment="", rationale="",
                     anonymous=False) -> Amendment:
    """A resident or an agent of the charter's mairie proposes a new wording of commandement
    n° number, during the consultation window. The author then follows it. Agents speak as
    agents: their `anonymous` is refused (400), never dropped."""
    _check_proposer(user, charter)
    check_consultation_open(charter)
    is_agent = roles.is_agent_of(user, charter.mairie)
    if anonymous and is_agent:
        raise ValidationError({"anonymous": _(
            "Les agents de la mairie ne publient pas anonymement : leurs amendements sont présentés comme "
            "ceux d'un agent de la mairie.")})
    commandement = charter.commandement(number) if isinstance(number, int) else None
    if commandement is None:
        raise ValidationError({"number": _("Le commandement n° %(n)s n'existe pas : la charte va de 1 à %(max)d.") % {
            "n": number, "max": rules.COMMANDEMENTS_COUNT}})
    current = commandement.wording()
    title, mairie_side, resident_side, rationale = _clean_proposal(
        current, kind, proposed_title, proposed_mairie_commitment, proposed_resident_commitment, rationale)
    # One open amendment per wording: a second one would split the supports (the charter's lock
    # makes two identical submissions at once take turns).
    CharterPage.objects.select_for_update().filter(pk=charter.pk).values_list("pk", flat=True).first()
    proposed = (title or current[0], mairie_side or current[1], resident_side or current[2])
    same = _same_open_amendment(charter, number, proposed, current)
    if same is not None:
        raise Conflict(_("L'amendement n° %(id)d propose déjà cette formulation : soutenez-le plutôt.") % {
            "id": same.pk}, code="duplicate", extra={"existing": {"id": same.pk, "url": same.get_absolute_url()}})
    amendment = Amendment.objects.create(
        mairie=charter.mairie, charter=charter, number=number, kind=kind, author=user,
        author_anonymous=bool(anonymous),
        author_kind=Amendment.AuthorKind.AGENT if is_agent else Amendment.AuthorKind.RESIDENT,
        proposed_title=title, proposed_mairie_commitment=mairie_side, proposed_resident_commitment=resident_side,
        rationale=rationale, based_on=selectors.current_wordings(charter).get(number),
    )
    engine.follow_add(user=user, target=amendment)
    return amendment


def _locked_open(amendment) -> Amendment:
    return Amendment.objects.select_for_update(of=("self",)).select_related("charter", "mairie").get(pk=amendment.pk)


@transaction.atomic
def amendment_withdraw(*, user, amendment) -> Amendment:
    amendment = _locked_open(amendment)
    if not getattr(user, "is_authenticated", False) or amendment.author_id != user.pk:
        raise NotAllowed(_("Seul·e l'auteur·rice d'un amendement peut le retirer."), code="not_author")
    if amendment.status != Amendment.Status.OPEN:
        raise Conflict(_("Cet amendement n'est plus en consultation : il ne peut plus être retiré."),
                       code="not_open")
    amendment.status = Amendment.Status.WITHDRAWN
    amendment.decided_at = timezone.now()
    amendment.save(update_fields=["status", "decided_at", "updated_at"])
    engine.audit_record(actor=user, target=amendment, action="withdrawn",
                        label=_("Retiré par son auteur·rice"), public=True)
    engine.notify_followers(target=amendment, verb="withdrawn", actor=user,
                            title=_("Un amendement que vous suivez a été retiré"),
                            message=_("Son auteur·rice a retiré l'amendement au commandement n° %(n)d.") % {
                                "n": amendment.number})
    return amendment


def _check_decider(actor, amendment):
    if not permissions.user_can_decide_amendment(actor, amendment):
        raise NotAllowed(_("Seuls les éditeur·rices de la %(mairie)s adoptent ou rejettent les amendements.") % {
            "mairie": amendment.mairie.name.lower()}, code="not_editor")
    if amendment.status != Amendment.Status.OPEN:
        raise Conflict(_("Cet amendement a déjà été traité (%(status)s).") % {
            "status": amendment.get_status_display().lower()}, code="already_decided")


@transaction.atomic
def amendment_adopt(*, actor, amendment, note=""):
    """Write the amendment's wording into a new DRAFT revision of the charter (nothing is
    published): editors then review, preview and publish it, through moderation if they use it.
    Returns the new revision."""
    amendment = _locked_open(amendment)
    _check_decider(actor, amendment)
    note = str(note or "").strip()
    if len(note) > rules.DECISION_MAX_LENGTH:
        raise ValidationError({"note": _("%(n)d caractères au plus.") % {"n": rules.DECISION_MAX_LENGTH}})
    charter = CharterPage.objects.select_for_update().get(pk=amendment.charter_id)
    if not charter.permissions_for_user(actor).can_edit():
        raise NotAllowed(_("Vos droits dans l'administration ne permettent pas de modifier cette charte."),
                         code="no_page_permission")
    lock = charter.get_lock()
    if lock is not None and lock.for_user(actor):
        raise Conflict(_("La charte est verrouillée dans l'administration (%(by)s) : déverrouillez-la d'abord.") % {
            "by": lock.get_locked_by(actor)}, code="locked")
    draft = charter.get_latest_revision_as_object()
    commandement = draft.commandement(amendment.number, for_edit=True)
    if commandement is None:
        raise Conflict(_("Le brouillon de la charte n'a plus de commandement n° %(n)d.") % {"n": amendment.number},
                       code="missing_commandement")
    before = commandement.wording()
    title, mairie_side, resident_side = amendment.proposed_wording(before)
    commandement.title, commandement.mairie_commitment, commandement.resident_commitment = (
        title, mairie_side, resident_side)
    revision = draft.save_revision(user=actor, log_action=True, changed=True)
    log(instance=charter, action=ADOPT_LOG_ACTION, user=actor, revision=revision,
        data={"amendment": amendment.pk, "number": amendment.number})
    amendment.status = Amendment.Status.ADOPTED
    amendment.decided_by, amendment.decided_at = actor, timezone.now()
    amendment.decision_reason = note
    amendment.adopted_revision = revision
    amendment.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "adopted_revision",
                                  "updated_at"])
    engine.audit_record(actor=actor, target=amendment, action="adopted", public=True, reason=note,
                        label=_("Adopté : il entre dans la prochaine version de la charte"),
                        data={"revision": revision.pk})
    engine.notify_followers(
        target=amendment, verb="adopted", actor=actor, extra_users=[amendment.author],
        title=_("Amendement adopté : commandement n° %(n)d") % {"n": amendment.number},
        message=_("Les éditeur·rices l'ont adopté. Il figurera dans la prochaine version publiée de la charte."))
    _close_superseded(actor=actor, adopted=amendment, before=before, adopted_wording=(title, mairie_side, resident_side))
    return revision


def _close_superseded(*, actor, adopted, before, adopted_wording):
    """Open amendments of the same commandement whose wording is now the adopted text have
    nothing left to ask: they are closed, with that reason, and their followers told."""
    target = normalised_wording(adopted_wording)
    others = Amendment.objects.select_for_update(of=("self",)).filter(
        charter_id=adopted.charter_id, number=adopted.number, status=Amendment.Status.OPEN).exclude(pk=adopted.pk)
    reason = _("Sa formulation est celle de l'amendement n° %(id)d, adopté.") % {"id": adopted.pk}
    for other in others:
        if normalised_wording(other.proposed_wording(before)) != target:
            continue
        other.status, other.decided_by, other.decided_at = Amendment.Status.SUPERSEDED, actor, timezone.now()
        other.decision_reason = reason
        other.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "updated_at"])
        engine.audit_record(actor=actor, target=other, action="superseded", public=True, reason=reason,
                            label=_("Clos : sa formulation a été adoptée"), data={"adopted": adopted.pk})
        engine.notify_followers(
            target=other, verb="superseded", actor=actor, extra_users=[other.author],
            title=_("Amendement clos : commandement n° %(n)d") % {"n": other.number}, message=reason)


@transaction.atomic
def amendment_reject(*, actor, amendment, reason) -> Amendment:
    """Reject with a public reason, kept under the amendment and sent to its author and supporters."""
    amendment = _locked_open(amendment)
    _check_decider(actor, amendment)
    reason = required_text(reason, field="reason",
                           message=_("Indiquez le motif du refus : il reste public sous l'amendement."))
    if len(reason) > rules.DECISION_MAX_LENGTH:
        raise ValidationError({"reason": _("%(n)d caractères au plus.") % {"n": rules.DECISION_MAX_LENGTH}})
    amendment.status = Amendment.Status.REJECTED
    amendment.decided_by, amendment.decided_at = actor, timezone.now()
    amendment.decision_reason = reason
    amendment.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "updated_at"])
    engine.audit_record(actor=actor, target=amendment, action="rejected", public=True, reason=reason,
                        label=_("Non retenu"))
    engine.notify_followers(
        target=amendment, verb="rejected", actor=actor, extra_users=[amendment.author],
        title=_("Amendement non retenu : commandement n° %(n)d") % {"n": amendment.number},
        message=_("Motif : %(reason)s") % {"reason": reason})
    return amendment


# --- publication --------------------------------------------------------------------------------


def _recount_signatures(charter):
    """Publishing saves the whole page row: re-derive the signature counter from the engine's
    Support rows so that a signature made during the publication is never lost."""
    count = Support.objects.filter(content_type=ContentType.objects.get_for_model(CharterPage),
                                   object_id=charter.pk).count()
    CharterPage.objects.filter(pk=charter.pk).update(supports_count=count)
    charter.supports_count = count


@transaction.atomic
def charter_record_publication(*, charter, revision=None) -> CharterVersion | None:
    """Called when a charter revision goes live: record a new version with the wordings that
    changed, and link the adopted amendments they came from. Nothing when no wording changed."""
    _recount_signatures(charter)
    live = {c.number: c for c in Commandement.objects.filter(page=charter).order_by("-pk")}.values()
    latest = selectors.current_wordings(charter)
    changed = sorted((c for c in live if c.number not in latest or latest[c.number].wording() != c.wording()),
                     key=lambda c: c.number)
    if not changed:
        return None
    now = timezone.now()
    last = CharterVersion.objects.filter(charter=charter).aggregate(last=Max("number"))["last"] or 0
    version = CharterVersion.objects.create(charter=charter, number=last + 1, revision=revision, published_at=now)
    published = []
    for commandement in changed:
        wording = CommandementWording.objects.create(
            charter=charter, version=version, number=commandement.number, title=commandement.title,
            mairie_commitment=commandement.mairie_commitment,
            resident_commitment=commandement.resident_commitment, published_at=now)
        adopted = Amendment.objects.filter(charter=charter, number=commandement.number,
                                           status=Amendment.Status.ADOPTED, wording__isnull=True,
                                           adopted_revision__isnull=False)
        if revision is not None:
            adopted = adopted.filter(adopted_revision_id__lte=revision.pk)
        for amendment in adopted.select_related("author"):
            amendment.wording = wording
            amendment.save(update_fields=["wording", "updated_at"])
            published.append(amendment)
    for amendment in published:
        engine.audit_record(actor=None, target=amendment, action="published", public=True,
                            label=_("Publié dans la version %(v)d de la charte") % {"v": version.number})
        engine.notify_followers(
            target=amendment, verb="published", extra_users=[amendment.author],
            title=_("Le commandement n° %(n)d a une nouvelle formulation") % {"n": amendment.number},
            message=_("La version %(v)d de la charte est publiée, avec l'amendement que vous suivez.") % {
                "v": version.number})
    if version.number > 1:
        engine.notify_followers(
            target=charter, verb="charter_version",
            title=_("La charte que vous avez signée évolue : version %(v)d") % {"v": version.number},
            message=ngettext("%(count)d commandement a une nouvelle formulation.",
                             "%(count)d commandements ont une nouvelle formulation.", len(changed))
            % {"count": len(changed)})
    return version


# --- signatures ---------------------------------------------------------------------------------


def charter_sign(*, user, charter) -> int:
    """"Je m'engage": one signature per account, an engine support on the charter page."""
    _check_participant(user, charter, permissions.user_can_sign_charter,
                       log_in=_("Connectez-vous pour signer la charte."),
                       others=_("Cette charte se signe par les habitant·es et les agents de la %(mairie)s."))
    if engine_selectors.has_supported(user, charter):
        raise Conflict(_("Vous avez déjà signé la charte."), code="already_signed")
    return engine.support_add(user=user, target=charter)


def charter_unsign(*, user, charter) -> int:
    if not getattr(user, "is_authenticated", False):
        raise NotAllowed(_("Connectez-vous pour retirer votre signature."), code="not_authenticated")
    if not engine_selectors.has_supported(user, charter):
        raise Conflict(_("Vous n'avez pas signé la charte."), code="not_signed")
    return engine.support_withdraw(user=user, target=charter)
