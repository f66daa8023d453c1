"""Writes of le carnet du citoyen: keyword-only, each checks who acts inside its transaction, so
that the HTML views, the API and the admin behave the same. Seeing a carnet is guide.selectors'
(a 404 otherwise); these refuse what someone who sees it may not do (403), what collides with the
current state (409) and bad values (400). Sharing and revoking are logged in the engine's audit
trail (participation.services.audit_record), without personal data in the label."""

import hashlib
import secrets
import uuid
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from cms.errors import Conflict, NotAllowed, ServiceError
from cms.images import strip_metadata
from cms.uploads import check_upload
from participation.services import audit_record

from . import conf, permissions
from .models import Carnet, CarnetItem, CarnetShare, DemarchePage, Service, document_storage

NOTE_MAX = 2000


def _require_open(carnet):
    if not carnet.is_open:
        raise Conflict(_("Ce carnet est terminé : il ne peut plus être modifié."), code="closed")


def _demarche_of(mairie, demarche_id):
    demarche = DemarchePage.objects.live().public().filter(pk=demarche_id, mairie=mairie).first()
    if demarche is None:
        raise ValidationError({"demarche": _("Cette démarche n'existe pas dans le guide de cette mairie.")})
    return demarche


def _service_of(mairie, service):
    if isinstance(service, Service):
        service = service.pk
    lookup = {"slug": service} if isinstance(service, str) else {"pk": service}
    found = Service.objects.filter(mairie=mairie, **lookup).first() if service not in (None, "") else None
    if found is None:
        raise ValidationError({"service": _("Ce service n'existe pas dans cette mairie.")})
    return found


def carnet_build(*, owner, mairie, demarche, opened_by, **fields):
    """A carnet and its checklist (the démarche's documents), no check: for the services and the demo."""
    carnet = Carnet.objects.create(owner=owner, mairie=mairie, demarche=demarche, title=demarche.title[:255],
                                   opened_by=opened_by, **fields)
    CarnetItem.objects.bulk_create([
        CarnetItem(carnet=carnet, position=n, name=doc["name"][:200], detail=doc["detail"], optional=doc["optional"])
        for n, doc in enumerate(demarche.document_list())])
    return carnet


@transaction.atomic
def carnet_open(*, user, mairie, demarche_id) -> Carnet:
    """A resident opens their carnet for a démarche of this mairie's guide: its checklist is the
    démarche's documents. A second open carnet for the same démarche is refused (409, naming it)."""
    if not getattr(user, "is_authenticated", False):
        raise NotAllowed(_("Connectez-vous pour ouvrir un carnet."), code="not_authenticated")
    demarche = _demarche_of(mairie, demarche_id)
    existing = Carnet.objects.filter(owner=user, mairie=mairie, demarche=demarche, status=Carnet.Status.OPEN).first()
    if existing is not None:
        raise Conflict(_("Vous avez déjà un carnet en cours pour cette démarche."), code="already_open",
                       extra={"existing": {"id": existing.pk}})
    carnet = carnet_build(owner=user, mairie=mairie, demarche=demarche, opened_by=user)
    audit_record(actor=user, target=carnet, action="carnet_opened", label=_("Carnet ouvert"))
    return carnet


@transaction.atomic
def carnet_open_for_resident(*, agent, mairie, demarche_id, resident_email, consent) -> Carnet:
    """An agent at the counter opens a carnet for a resident with an account (found by their email)
    and records, with the resident's spoken consent, its sharing with the agent's service."""
    services = _counter_services(agent, mairie)
    demarche = _demarche_of(mairie, demarche_id)
    email = (resident_email or "").strip()
    resident = get_user_model().objects.filter(email__iexact=email, is_active=True).first() if email else None
    if resident is None:
        raise ValidationError({"resident_email": _("Aucun compte actif n'a cette adresse e-mail.")})
    if not consent:
        raise ValidationError({"consent": _("Le carnet n'est partagé qu'avec l'accord de la personne.")})
    service = demarche.service if demarche.service in services else services[0]
    carnet = carnet_build(owner=resident, mairie=mairie, demarche=demarche, opened_by=agent)
    audit_record(actor=agent, target=carnet, action="carnet_opened", label=_("Carnet ouvert au guichet"))
    _share(carnet=carnet, service=service, by=agent, at_counter=True)
    return carnet


@transaction.atomic
def carnet_open_on_behalf(*, owner, mairie, choice, by):
    """Someone the owner consented to (an ambassador: cms.on_behalf, « carnet ») opens the owner's carnet for
    a démarche (`choice`, its page id) of this mairie's guide. The carnet is the owner's alone: the one who
    opened it does not read it. A second open carnet for the démarche: 409."""
    from cms.on_behalf import Done

    demarche = _demarche_of(mairie, choice if str(choice).isdigit() else None)
    if Carnet.objects.filter(owner=owner, mairie=mairie, demarche=demarche, status=Carnet.Status.OPEN).exists():
        raise Conflict(_("La personne a déjà un carnet en cours pour cette démarche."), code="already_open")
    carnet = carnet_build(owner=owner, mairie=mairie, demarche=demarche, opened_by=by)
    audit_record(actor=by, target=carnet, action="carnet_opened", label=_("Carnet ouvert avec l'accord de la personne"))
    return Done(text=_("Carnet « %(title)s » ouvert : il est dans « Mes carnets » de la personne aidée, qui seule le lit.")
                % {"title": carnet.title}, url=reverse("guide:carnet", args=[carnet.pk]))


# --- carnets opened at the counter for someone without an account -------------------------------

# Crockford's base 32: digits and letters without I, L, O, U (read as 1, 1, 0, or nothing): 16 symbols
# are 80 bits, printed in four groups of four. Typed back, case, spaces and dashes do not matter, and
# O, I and L are read as 0, 1 and 1.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16
HOLDER_LABEL_MAX = 40


class UnknownCode(ServiceError):
    """No carnet to attach has this code: unknown, or already used by someone else (one answer, no oracle)."""

    status_code = 404
    default_code = "unknown_code"


def claim_code_new() -> str:
    """A fresh claim code, « ABCD-EFGH-JKMN-PQRS »: random (the secrets module), shown once."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _n in range(CODE_LENGTH))
    return "-".join(raw[i:i + 4] for i in range(0, CODE_LENGTH, 4))


def claim_code_hash(code) -> str:
    """The stored form of a code (SHA-256 of its normalised symbols): what was typed, spaces, dashes
    and case aside; "" for anything that cannot be a code."""
    raw = "".join(ch for ch in str(code or "")[:64].upper() if ch.isalnum()).translate(str.maketrans("OIL", "011"))
    if len(raw) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in raw):
        return ""
    return hashlib.sha256(raw.encode()).hexdigest()


def carnet_by_code(code):
    """The carnet, not yet attached to an account, whose claim code this is; None otherwise (no such
    code, a code already used: the same answer)."""
    digest = claim_code_hash(code)
    if not digest:
        return None
    return (Carnet.objects.filter(claim_code_hash=digest, owner__isnull=True, claimed_at__isnull=True)
            .select_related("mairie", "demarche").prefetch_related("items", "shares__service").first())


@transaction.atomic
def carnet_open_without_account(*, agent, mairie, demarche_id, holder_label="", consent) -> tuple[Carnet, str]:
    """An agent at the counter opens a carnet for a resident without an account: no owner, only a first
    name or initials the person chose (optional), and, with the person's spoken consent, its sharing
    with the agent's service. Returns the carnet and its claim code (only its hash is kept): printed once
    on the liaison sheet, it lets the person read the carnet, revoke a sharing, and attach it to an account."""
    services = _counter_services(agent, mairie)
    demarche = _demarche_of(mairie, demarche_id)
    holder_label = " ".join(str(holder_label or "").split())
    if len(holder_label) > HOLDER_LABEL_MAX:
        raise ValidationError({"holder_label": _("Un prénom ou des initiales : %(n)d caractères au plus.")
                               % {"n": HOLDER_LABEL_MAX}})
    if not consent:
        raise ValidationError({"consent": _("Le carnet n'est partagé qu'avec l'accord de la personne.")})
    service = demarche.service if demarche.service in services else services[0]
    code = claim_code_new()
    carnet = carnet_build(owner=None, mairie=mairie, demarche=demarche, opened_by=agent, holder_label=holder_label,
                          claim_code_hash=claim_code_hash(code))
    audit_record(actor=agent, target=carnet, action="carnet_opened", label=_("Carnet ouvert au guichet, sans compte"))
    _share(carnet=carnet, service=service, by=agent, at_counter=True)
    return carnet, code


@transaction.atomic
def carnet_claim(*, user, code) -> Carnet:
    """A resident with an account (confirmed email) attaches the carnet of this claim code: it becomes
    theirs as any other (its sharings, the consent's history, kept); the code stops working. The code
    already used by this same person: 409; an unknown code or one used by someone else: 404, alike."""
    from cms import roles

    if not getattr(user, "is_authenticated", False):
        raise NotAllowed(_("Connectez-vous pour rattacher un carnet."), code="not_authenticated")
    roles.require_confirmed(user)
    digest = claim_code_hash(code)
    carnet = (Carnet.objects.select_for_update().filter(claim_code_hash=digest).first() if digest else None)
    if carnet is not None and carnet.claimed_at is not None and carnet.owner_id == user.pk:
        raise Conflict(_("Ce carnet est déjà rattaché à votre compte : il est dans « Mes carnets »."),
                       code="already_claimed", extra={"existing": {"id": carnet.pk}})
    if carnet is None or carnet.owner_id is not None or carnet.claimed_at is not None:
        raise UnknownCode(_("Ce code ne correspond à aucun carnet à rattacher. Vérifiez-le sur la feuille de "
                            "liaison."))
    carnet.owner, carnet.claimed_at = user, timezone.now()
    carnet.save(update_fields=["owner", "claimed_at", "updated_at"])
    audit_record(actor=user, target=carnet, action="carnet_claimed", label=_("Carnet rattaché à un compte"))
    return carnet


@transaction.atomic
def carnet_share_revoke_with_code(*, carnet, share_id) -> CarnetShare:
    """The person without an account withdraws a consent, having given the carnet's claim code (the
    caller found `carnet` by it: carnet_by_code). As carnet_share_revoke otherwise; logged without actor."""
    if not carnet.without_account:
        raise NotAllowed(_("Ce carnet est rattaché à un compte : retirez le partage depuis ce compte."))
    return _revoke(carnet=carnet, share_id=share_id, by=None)


def _counter_services(agent, mairie):
    if not permissions.user_can_open_carnet_for_someone(agent, mairie):
        raise NotAllowed(_("Seuls les agents de cette mairie ouvrent un carnet pour un·e habitant·e."))
    services = list(Service.objects.filter(mairie=mairie, agents=agent))
    if not services:
        raise NotAllowed(_("Vous n'êtes rattaché·e à aucun service de cette mairie : demandez-le à un·e éditeur·rice."),
                         code="no_service")
    return services


def _share(*, carnet, service, by, at_counter=False):
    try:
        with transaction.atomic():
            share = CarnetShare.objects.create(carnet=carnet, service=service, recorded_by=by, at_counter=at_counter)
    except IntegrityError:
        raise Conflict(_("Ce carnet est déjà partagé avec ce service."), code="already_shared") from None
    audit_record(actor=by, target=carnet, action="carnet_shared", label=service.name,
                 data={"service": service.slug, "at_counter": at_counter})
    return share


@transaction.atomic
def carnet_share(*, user, carnet, service) -> CarnetShare:
    """The owner's consent that `service` (a slug, an id or a Service of the carnet's mairie) reads
    the carnet. Recorded with its date and logged; revocable."""
    if not permissions.user_can_share_carnet(user, carnet):
        raise NotAllowed(_("Seule la personne titulaire du carnet peut le partager."))
    _require_open(carnet)
    return _share(carnet=carnet, service=_service_of(carnet.mairie, service), by=user)


@transaction.atomic
def carnet_share_revoke(*, user, carnet, share_id) -> CarnetShare:
    """The owner withdraws a consent: the service's agents no longer see the carnet. A sharing
    already revoked cannot be used again (409); to share again, the owner makes a new one."""
    if not permissions.user_can_share_carnet(user, carnet):
        raise NotAllowed(_("Seule la personne titulaire du carnet peut retirer un partage."))
    return _revoke(carnet=carnet, share_id=share_id, by=user)


def _revoke(*, carnet, share_id, by):
    share = CarnetShare.objects.select_for_update().filter(pk=share_id, carnet=carnet).select_related("service").first()
    if share is None:
        raise ValidationError({"share": _("Ce partage n'existe pas.")})
    if share.revoked_at is not None:
        raise Conflict(_("Ce partage a déjà été retiré."), code="revoked")
    share.revoked_at = timezone.now()
    share.save(update_fields=["revoked_at"])
    audit_record(actor=by, target=carnet, action="carnet_share_revoked", label=share.service.name,
                 data={"service": share.service.slug, "with_code": by is None})
    Carnet.objects.filter(pk=carnet.pk).update(updated_at=timezone.now())
    return share


@transaction.atomic
def carnet_item_mark(*, user, carnet, item_id, state) -> CarnetItem:
    """Mark a document à apporter / apporté / vérifié. The owner says what they bring; « vérifié »
    (and undoing it) is for the agents of a service the carnet is shared with."""
    if state not in CarnetItem.State.values:
        raise ValidationError({"state": _("État inconnu : à apporter, apporté ou vérifié.")})
    _require_open(carnet)
    item = CarnetItem.objects.select_for_update().filter(pk=item_id, carnet=carnet).first()
    if item is None:
        raise ValidationError({"item": _("Ce document n'est pas dans ce carnet.")})
    agent = permissions.user_can_verify_items(user, carnet)
    touches_verified = CarnetItem.State.VERIFIED in (state, item.state)
    if not agent and (touches_verified or not permissions.user_is_owner(user, carnet)):
        raise NotAllowed(_("Seul un agent du service avec lequel le carnet est partagé vérifie un document."),
                         code="agents_only")
    item.state = state
    item.verified_by = user if state == CarnetItem.State.VERIFIED else None
    item.save(update_fields=["state", "verified_by", "updated_at"])
    Carnet.objects.filter(pk=carnet.pk).update(updated_at=timezone.now())
    return item


def agent_part_refusal(user, carnet):
    """The refusal (403) of someone who may not write the agent's part, or None."""
    if permissions.user_can_write_agent_part(user, carnet):
        return None
    return NotAllowed(_("Seuls les agents d'un service avec lequel le carnet est partagé écrivent ici."),
                      code="agents_only")


@transaction.atomic
def carnet_agent_update(*, user, carnet, next_appointment=None, appointment_place="", agent_note="") -> Carnet:
    """The agent's part of the liaison sheet: the next appointment and a note for the next service."""
    refusal = agent_part_refusal(user, carnet)
    if refusal is not None:
        raise refusal
    _require_open(carnet)
    agent_note = (agent_note or "").strip()
    if len(agent_note) > NOTE_MAX:
        raise ValidationError({"agent_note": _("La note dépasse %(n)d caractères.") % {"n": NOTE_MAX}})
    carnet.next_appointment = next_appointment
    carnet.appointment_place = (appointment_place or "").strip()[:200]
    carnet.agent_note = agent_note
    carnet.save(update_fields=["next_appointment", "appointment_place", "agent_note", "updated_at"])
    return carnet


@transaction.atomic
def carnet_close(*, user, carnet) -> Carnet:
    """The démarche is done: the carnet stays readable, unchanged, until the retention purge."""
    if not (permissions.user_is_owner(user, carnet) or permissions.user_serves_carnet(user, carnet)):
        raise NotAllowed(_("Vous ne pouvez pas terminer ce carnet."))
    _require_open(carnet)
    carnet.status = Carnet.Status.CLOSED
    carnet.closed_at = timezone.now()
    carnet.save(update_fields=["status", "closed_at", "updated_at"])
    audit_record(actor=user, target=carnet, action="carnet_closed", label=_("Carnet terminé"))
    return carnet


@transaction.atomic
def carnet_delete(*, user, carnet) -> None:
    """The owner deletes their carnet at any time (its items, their attached files, and sharings go with it)."""
    if not permissions.user_is_owner(user, carnet):
        raise NotAllowed(_("Seule la personne titulaire du carnet peut le supprimer."))
    carnets_delete(Carnet.objects.filter(pk=carnet.pk))


def carnets_delete(carnets) -> int:
    """Delete these carnets (a queryset) with their items and sharings, and, once the transaction is
    committed, the files attached to their items: the one way carnets go (deletion, purge, erasure)."""
    with transaction.atomic():
        names = list(CarnetItem.objects.filter(carnet__in=carnets).exclude(document="")
                     .values_list("document", flat=True))
        _deleted, per_model = carnets.delete()
        _forget_files(names)
    return per_model.get(Carnet._meta.label, 0)


def carnets_purge(*, days=None, now=None) -> int:
    """Delete the carnets closed more than `days` ago (CARNET_RETENTION_DAYS), attached files
    included, and those opened without an account and never attached to one, unchanged for as long
    (closed or not): the retention the privacy page states. Returns how many carnets went."""
    from django.db.models import Q

    days = conf.carnet_retention_days() if days is None else days
    limit = (now or timezone.now()) - timedelta(days=days)
    return carnets_delete(Carnet.objects.filter(Q(status=Carnet.Status.CLOSED, closed_at__lt=limit)
                                                | Q(owner__isnull=True, updated_at__lt=limit)))


def carnets_erase(user) -> None:
    """Account deletion (cms.privacy): the user's carnets go, with their items, attached files and sharings."""
    carnets_delete(Carnet.objects.filter(owner=user))


# --- documents attached by the owner -----------------------------------------------------------

DOCUMENT_KINDS = ("pdf", "image")
DOCUMENT_IMAGE_FORMATS = ("GIF", "JPEG", "PNG", "WEBP")


def _forget_files(names) -> None:
    """Delete these stored files once the transaction commits (never if it rolls back)."""
    names = [name for name in names if name]
    if names:
        storage = document_storage()
        transaction.on_commit(lambda: [storage.delete(name) for name in names])


def _document_stem(upload) -> str:
    raw = (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem = raw.rsplit(".", 1)[0] if "." in raw else raw
    try:
        stem = get_valid_filename(stem)[:100]
    except SuspiciousFileOperation:
        stem = ""
    return stem or "document"


def document_check(upload) -> tuple[str, str, bytes]:
    """(display name, MIME type, bytes to store) of a file a resident attaches: a PDF or a picture,
    judged by its content (cms.uploads), at most GUIDE_DOCUMENT_MAX_BYTES; a picture is written again
    without its metadata (no GPS position, camera or date). ValidationError otherwise; nothing stored."""
    if upload is None or isinstance(upload, str):
        raise ValidationError({"document": _("Choisissez un fichier : un PDF ou une image.")})
    stem = _document_stem(upload)
    try:
        found = check_upload(upload, kinds=DOCUMENT_KINDS, image_formats=DOCUMENT_IMAGE_FORMATS,
                             max_size=conf.document_max_bytes(), name=getattr(upload, "name", "") or stem)
    except ValidationError as exc:
        raise ValidationError({"document": exc.messages}) from exc
    upload.seek(0)
    data = upload.read()
    if found.kind == "image":
        stripped = strip_metadata(data)
        if stripped is None:
            raise ValidationError({"document": _("Cette image ne peut pas être lue.")})
        data = stripped[0]
    return f"{stem}.{found.extension}", found.mime_type, data


def document_refusal(user, carnet):
    """The refusal (403) of someone who may not attach or remove a document's file, or None."""
    if permissions.user_can_attach_documents(user, carnet):
        return None
    return NotAllowed(_("Seule la personne titulaire du carnet joint ou retire un document."), code="owner_only")


def carnet_document_attach(*, user, carnet, item_id, upload) -> CarnetItem:
    """The owner attaches a scan or photo of a document to its item (replacing the one there, whose
    file goes). Checked before anything is stored; the file is removed again if the row is not saved."""
    refusal = document_refusal(user, carnet)
    if refusal is not None:
        raise refusal
    _require_open(carnet)
    if not CarnetItem.objects.filter(pk=item_id, carnet=carnet).exists():
        raise ValidationError({"item": _("Ce document n'est pas dans ce carnet.")})
    name, mime_type, data = document_check(upload)
    storage = document_storage()
    stored = storage.save(f"carnets/{uuid.uuid4().hex}/{name}", ContentFile(data))
    try:
        with transaction.atomic():
            item = CarnetItem.objects.select_for_update().get(pk=item_id, carnet=carnet)
            previous = item.document.name
            item.document, item.document_name, item.document_type = stored, name, mime_type
            item.document_size, item.document_added_at = len(data), timezone.now()
            item.save(update_fields=["document", "document_name", "document_type", "document_size",
                                     "document_added_at", "updated_at"])
            _forget_files([previous])
    except BaseException:
        storage.delete(stored)
        raise
    return item


@transaction.atomic
def carnet_document_remove(*, user, carnet, item_id) -> CarnetItem:
    """The owner removes the file attached to an item (even once the carnet is closed: it is theirs)."""
    refusal = document_refusal(user, carnet)
    if refusal is not None:
        raise refusal
    item = CarnetItem.objects.select_for_update().filter(pk=item_id, carnet=carnet).first()
    if item is None:
        raise ValidationError({"item": _("Ce document n'est pas dans ce carnet.")})
    if not item.document:
        raise Conflict(_("Aucun fichier n'est joint à ce document."), code="no_document")
    previous = item.document.name
    item.document, item.document_name, item.document_type = "", "", ""
    item.document_size, item.document_added_at = None, None
    item.save(update_fields=["document", "document_name", "document_type", "document_size", "document_added_at",
                             "updated_at"])
    _forget_files([previous])
    return item
