"""Writes of the wiki. The HTML views, the API and the demo seeder all come through here, so the
rules (agents only, a change note, no empty edit, no rating of one's own, checked files) hold
whatever the door."""

import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.images.fields import WagtailImageField
from wagtail.models import Collection, Page, PageViewRestriction

from cms import roles
from cms.errors import NotAllowed
from cms.images import private_collection
from cms.uploads import check_upload
from cms.validation import LINE_BREAK_MESSAGE, has_line_break
from participation import services as engine

from . import conf, content, permissions
from .attachments import check_attachment
from .models import (
    BricolageAttachment,
    BricolageChange,
    BricolageIndexPage,
    BricolagePage,
    Feedback,
    Licence,
    Rating,
    Tool,
    attachment_upload_to,
    private_storage,
)

COLLECTION_NAME = "Bricolages"
MAX_TAGS = 12
MAX_TOOLS = 12
MAX_ATTACHMENTS = 10
STEP_IMAGE_FORMATS = ("GIF", "JPEG", "PNG", "WEBP")  # as WAGTAILIMAGES_EXTENSIONS
LIMITS = {"title": 120, "summary": 600, "problem": 2000, "materials": 3000, "step": 4000, "alt": 250, "note": 300}


@dataclass
class StepInput:
    text: str = ""
    image: object = None  # an existing Wagtail image (from the Bricolages collection)
    upload: UploadedFile | None = None  # or a new image file, stored when the version is saved
    alt: str = ""


@dataclass
class BricolageInput:
    title: str
    problem: str
    summary: str
    materials: str = ""
    licence: str = Licence.CC_BY_SA
    tags: list[str] = field(default_factory=list)
    tools: list[str] = field(default_factory=list)
    steps: list[StepInput] = field(default_factory=list)
    add_attachments: list[UploadedFile] = field(default_factory=list)
    remove_attachments: list[int] = field(default_factory=list)  # pks of the current attachments to drop

    @classmethod
    def from_page(cls, page, **overrides):
        """The current content of a page, as input (to edit part of it, or to start a variant)."""
        data = cls(
            title=page.title, problem=page.problem, summary=page.summary, materials=page.materials,
            licence=page.licence, tags=[t.name for t in page.tags.all()], tools=[t.name for t in page.tools.all()],
            steps=[StepInput(text=s["text"], image=s["image"], alt=s["alt"]) for s in page.step_list],
        )
        for name, value in overrides.items():
            setattr(data, name, value)
        return data


def split_names(value) -> list[str]:
    """"Tableur, affichage ,  Tableur" -> ["Tableur", "affichage"] (comma separated, deduplicated)."""
    items = value if isinstance(value, list | tuple) else str(value or "").split(",")
    names, seen = [], set()
    for item in items:
        name = " ".join(str(item).split())
        if name and name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    return names


# --- places: the index page and the image collection -----------------------------------------


def bricolage_index() -> BricolageIndexPage:
    """The one index page, under Wagtail's root and inside no Site, restricted to the staff groups
    (so that nothing of Wagtail's — router, sitemap, pages API — would ever show it)."""
    index = BricolageIndexPage.objects.first()
    if index is None:
        root = Page.get_first_root_node()
        index = root.add_child(instance=BricolageIndexPage(
            title=_("Bricolages"), slug="bricolages-des-agents",
            intro=_("Le wiki des agents : les outils faits maison, partagés entre les mairies.")))
        restriction = PageViewRestriction.objects.create(page=index, restriction_type=PageViewRestriction.GROUPS)
        from django.contrib.auth.models import Group

        restriction.groups.set(Group.objects.filter(name__in=[roles.AGENTS, roles.EDITORS, roles.ORGANISERS]))
    return index


def image_collection() -> Collection:
    """The steps' pictures: a private collection (cms.images), seen as the bricolages they illustrate."""
    return private_collection(COLLECTION_NAME)


def _store_image(*, user, upload, title):
    image = get_image_model()(title=title[:255], file=upload, collection=image_collection(),
                              uploaded_by_user=user)
    image._set_image_file_metadata()
    image.save()
    return image


# --- validation ------------------------------------------------------------------------------


def _clean_names(names, *, limit, label, model):
    names = split_names(names)
    if len(names) > limit:
        raise ValidationError({label: _("%(n)d au plus.") % {"n": limit}})
    if any(len(name) > 50 for name in names):
        raise ValidationError({label: _("Chaque nom fait 50 caractères au plus.")})
    # Reuse the spelling already in use ("tableur" joins "Tableur").
    return [(model.objects.filter(name__iexact=name).values_list("name", flat=True).first() or name)
            for name in names]


def _validate(data: BricolageInput, page=None):
    errors = {}
    for name in ("title", "problem", "summary"):
        value = (getattr(data, name) or "").strip()
        if not value:
            errors[name] = _("Ce champ est obligatoire.")
        elif len(value) > LIMITS[name]:
            errors[name] = _("%(n)d caractères au plus.") % {"n": LIMITS[name]}
        elif name == "title" and has_line_break(value):
            errors[name] = LINE_BREAK_MESSAGE
    if len(data.materials or "") > LIMITS["materials"]:
        errors["materials"] = _("%(n)d caractères au plus.") % {"n": LIMITS["materials"]}
    if data.licence not in Licence.values:
        errors["licence"] = _("Choisissez une des licences proposées.")
    step_errors = _validate_steps(data.steps)
    if step_errors:
        errors["steps"] = step_errors
    attachment_errors = _validate_attachments(data, page)
    if attachment_errors:
        errors["attachments"] = attachment_errors
    try:
        tags = _clean_names(data.tags, limit=MAX_TAGS, label="tags", model=Tag)
        tools = _clean_names(data.tools, limit=MAX_TOOLS, label="tools", model=Tool)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        tags = tools = []
    if errors:
        raise ValidationError(errors)
    return tags, tools


def _validate_attachments(data, page):
    errors = []
    current = {a.pk for a in page.attachments.all()} if page is not None else set()
    if set(data.remove_attachments) - current:
        errors.append(_("Cette pièce jointe n'appartient pas à ce bricolage."))
    for upload in data.add_attachments:
        try:
            check_attachment(upload)
        except ValidationError as exc:
            errors.extend(exc.messages)
    if len(current - set(data.remove_attachments)) + len(data.add_attachments) > MAX_ATTACHMENTS:
        errors.append(_("%(n)d pièces jointes au plus.") % {"n": MAX_ATTACHMENTS})
    return errors


def _validate_steps(steps):
    errors = []
    collection = image_collection()
    kept = [s for s in steps if (s.text or "").strip() or s.image is not None or s.upload is not None]
    if not kept:
        return [_("Décrivez au moins une étape.")]
    if len(kept) > conf.max_steps():
        return [_("%(n)d étapes au plus.") % {"n": conf.max_steps()}]
    for number, step in enumerate(kept, start=1):
        has_image = step.image is not None or step.upload is not None
        if not (step.text or "").strip():
            errors.append(_("Étape %(n)d : décrivez ce qu'il faut faire.") % {"n": number})
        elif len(step.text) > LIMITS["step"]:
            errors.append(_("Étape %(n)d : %(max)d caractères au plus.") % {"n": number, "max": LIMITS["step"]})
        if has_image and not (step.alt or "").strip():
            errors.append(_("Étape %(n)d : décrivez l'image (texte alternatif) pour qui ne la voit pas.") % {"n": number})
        if len(step.alt or "") > LIMITS["alt"]:
            errors.append(_("Étape %(n)d : le texte alternatif fait %(max)d caractères au plus.")
                          % {"n": number, "max": LIMITS["alt"]})
        if step.image is not None and step.image.collection_id != collection.pk:
            errors.append(_("Étape %(n)d : cette image n'appartient pas aux bricolages.") % {"n": number})
        if step.upload is not None:
            try:
                check_upload(step.upload, kinds=("image",), image_formats=STEP_IMAGE_FORMATS)  # its content
                WagtailImageField(required=False).clean(step.upload)  # Wagtail's own limits
            except ValidationError as exc:
                errors.append(_("Étape %(n)d : %(error)s") % {"n": number, "error": " ".join(exc.messages)})
            step.upload.seek(0)
    return errors


def _kept_steps(steps):
    return [s for s in steps if (s.text or "").strip() or s.image is not None or s.upload is not None]


# --- applying a version to a page ------------------------------------------------------------


def _apply(page, data, *, tags, tools, user):
    page.title = page.draft_title = data.title.strip()
    page.problem = data.problem.strip()
    page.summary = data.summary.strip()
    page.materials = (data.materials or "").strip()
    page.licence = data.licence
    page.tags.set(tags)
    page.tools.set(tools)
    steps = []
    for step in _kept_steps(data.steps):
        image = step.image
        if step.upload is not None:
            image = _store_image(user=user, upload=step.upload, title=f"{data.title.strip()} – {step.alt.strip()}")
        steps.append(("step", {"text": step.text.strip(), "image": image, "alt": (step.alt or "").strip() if image else ""}))
    page.steps = steps
    for attachment in list(page.attachments.all()):
        if attachment.pk in data.remove_attachments:
            page.attachments.remove(attachment)
    for upload in data.add_attachments:
        checked = check_attachment(upload)
        name = private_storage().save(attachment_upload_to(None, checked.name), upload)
        page.attachments.add(BricolageAttachment(file=name, title=checked.name, size=checked.size,
                                                 mime_type=checked.mime_type))


def _record(page, *, user, note, kind, restored_from=None):
    revision = page.save_revision(user=user, log_action=True)
    revision.publish(user=user, log_action=True, skip_permission_checks=True)  # our rules are checked above
    BricolageChange.objects.create(bricolage=page, revision=revision, user=user, mairie=getattr(user, "mairie", None),
                                   kind=kind, note=note[:LIMITS["note"]], restored_from=restored_from)
    return revision


def _note(change_note, *, required):
    note = " ".join((change_note or "").split())
    if required and not note:
        raise ValidationError({"change_note": _("Dites en quelques mots ce que vous avez changé.")})
    if len(note) > LIMITS["note"]:
        raise ValidationError({"change_note": _("%(n)d caractères au plus.") % {"n": LIMITS["note"]}})
    return note


# --- bricolages ------------------------------------------------------------------------------


@transaction.atomic
def bricolage_create(*, author, data: BricolageInput, variant_of=None, change_note="", slug=None) -> BricolagePage:
    """Publish a new bricolage (or a variant of `variant_of`) as the first revision. `slug` is only
    for stable demo content: pages are addressed by id."""
    if not permissions.user_can_create_bricolage(author):
        if permissions.user_can_view_bricolages(author):
            raise NotAllowed(_("Votre compte n'est rattaché à aucune mairie : impossible de publier."),
                             code="no_mairie")
        raise NotAllowed(_("Les bricolages sont réservés aux agents des mairies."))
    if variant_of is not None and not permissions.user_can_edit_bricolage(author, variant_of):
        raise NotAllowed(_("Ce bricolage ne peut pas servir de modèle."))
    tags, tools = _validate(data, variant_of)
    note = _note(change_note, required=False)
    page = BricolagePage(
        slug=slug or f"{slugify(data.title)[:60] or 'bricolage'}-{uuid.uuid4().hex[:6]}",
        owner=author, author=author, mairie=author.mairie, variant_of=variant_of,
        title="", problem="", summary="",
    )
    if variant_of is not None:
        # A variant starts with its parent's files, less those the agent chose not to keep.
        for attachment in variant_of.attachments.all():
            if attachment.pk not in data.remove_attachments:
                page.attachments.add(BricolageAttachment(file=attachment.file.name, title=attachment.title,
                                                         size=attachment.size, mime_type=attachment.mime_type))
    _apply(page, data, tags=tags, tools=tools, user=author)
    if variant_of is not None and content.fingerprint(page) == content.fingerprint(variant_of):
        raise ValidationError(_("Cette variante est identique au bricolage d'origine : changez au moins un élément."),
                              code="unchanged")
    bricolage_index().add_child(instance=page)
    if variant_of is not None:
        default = _("Variante de « %(title)s »") % {"title": variant_of.title}
    else:
        default = _("Première version")
    _record(page, user=author, note=note or default, kind=BricolageChange.Kind.CREATED)
    engine.follow_add(user=author, target=page)
    if variant_of is not None:
        engine.notify_followers(
            target=variant_of, verb="bricolage_variant", actor=author, url=page.get_absolute_url(),
            title=_("Nouvelle variante de « %(title)s »") % {"title": variant_of.title},
            message=_("%(name)s (%(mairie)s) a publié « %(variant)s ».") % {
                "name": author.public_name, "mairie": author.mairie.short_name, "variant": page.title})
    return BricolagePage.objects.get(pk=page.pk)


@transaction.atomic
def bricolage_update(*, user, bricolage: BricolagePage, data: BricolageInput, change_note) -> BricolagePage:
    """Save an improvement as a new revision (published at once: it is a wiki). Refused when it
    changes nothing."""
    if not permissions.user_can_edit_bricolage(user, bricolage):
        raise NotAllowed(_("Vous ne pouvez pas modifier ce bricolage."))
    page = BricolagePage.objects.get(pk=bricolage.pk)  # fresh, not the caller's possibly stale copy
    tags, tools = _validate(data, page)
    note = _note(change_note, required=True)
    before = content.fingerprint(page)
    _apply(page, data, tags=tags, tools=tools, user=user)
    if content.fingerprint(page) == before:
        raise ValidationError(_("Aucune modification : le bricolage est identique à la version actuelle."),
                              code="unchanged")
    _record(page, user=user, note=note, kind=BricolageChange.Kind.EDITED)
    engine.follow_add(user=user, target=page)
    engine.notify_followers(
        target=page, verb="bricolage_edited", actor=user, url=page.get_absolute_url(),
        title=_("« %(title)s » a été amélioré") % {"title": page.title},
        message=_("%(name)s : %(note)s") % {"name": user.public_name, "note": note})
    return BricolagePage.objects.get(pk=page.pk)


@transaction.atomic
def bricolage_restore(*, user, bricolage: BricolagePage, revision, change_note="") -> BricolagePage:
    """Bring back an earlier version. The restore is itself a new revision: nothing is lost."""
    if not permissions.user_can_restore_bricolage(user, bricolage):
        raise NotAllowed(_("Vous ne pouvez pas modifier ce bricolage."))
    if revision.object_id != str(bricolage.pk) or revision.base_content_type_id != bricolage.get_base_content_type().pk:
        raise ValidationError(_("Cette version n'appartient pas à ce bricolage."))
    current = BricolagePage.objects.get(pk=bricolage.pk)
    restored = revision.as_object()
    if content.fingerprint(restored) == content.fingerprint(current):
        raise ValidationError(_("Cette version est identique à la version actuelle : rien à restaurer."),
                              code="unchanged")
    when = formats.date_format(timezone.localtime(revision.created_at), "DATETIME_FORMAT")
    note = _note(change_note, required=False) or _("Restauration de la version du %(date)s") % {"date": when}
    _record(restored, user=user, note=note, kind=BricolageChange.Kind.RESTORED, restored_from=revision)
    engine.follow_add(user=user, target=restored)
    return BricolagePage.objects.get(pk=bricolage.pk)


# --- ratings and feedback --------------------------------------------------------------------


def _check_stars(stars) -> int:
    if isinstance(stars, bool) or not isinstance(stars, int) or not 1 <= stars <= 5:
        raise ValidationError({"stars": _("La note est un nombre entier d'étoiles, de 1 à 5.")})
    return stars


@transaction.atomic
def rating_set(*, user, bricolage: BricolagePage, stars: int) -> Rating:
    """Rate (or re-rate) a bricolage: one rating per agent, never on one's own."""
    if not permissions.user_can_edit_bricolage(user, bricolage):
        raise NotAllowed(_("Vous ne pouvez pas noter ce bricolage."))
    if bricolage.author_id == user.pk:
        raise NotAllowed(_("Vous ne pouvez pas noter votre propre bricolage."), code="own_bricolage")
    stars = _check_stars(stars)
    updated = Rating.objects.filter(bricolage=bricolage, user=user).update(stars=stars, updated_at=timezone.now())
    if not updated:
        try:
            with transaction.atomic():
                Rating.objects.create(bricolage=bricolage, user=user, stars=stars)
        except IntegrityError:  # the same agent's concurrent first rating won: this one updates it
            Rating.objects.filter(bricolage=bricolage, user=user).update(stars=stars, updated_at=timezone.now())
    return Rating.objects.get(bricolage=bricolage, user=user)


@transaction.atomic
def rating_remove(*, user, bricolage: BricolagePage) -> bool:
    if not permissions.user_can_view_bricolage(user, bricolage):
        raise NotAllowed(_("Vous ne pouvez pas noter ce bricolage."))
    deleted, _rows = Rating.objects.filter(bricolage=bricolage, user=user).delete()
    return bool(deleted)


@transaction.atomic
def feedback_record(*, user, bricolage: BricolagePage, outcome: str, note: str) -> Feedback:
    """An agent says they deployed the bricolage in their mairie, whether it worked, and how.
    One retour per agent and bricolage; recording again updates it."""
    if not permissions.user_can_record_feedback(user, bricolage):
        if permissions.user_can_edit_bricolage(user, bricolage):
            raise NotAllowed(_("Votre compte n'est rattaché à aucune mairie."), code="no_mairie")
        raise NotAllowed(_("Vous ne pouvez pas donner de retour sur ce bricolage."))
    errors = {}
    if outcome not in Feedback.Outcome.values:
        errors["outcome"] = _("Dites si cela a marché : oui, en partie ou non.")
    note = (note or "").strip()
    if not note:
        errors["note"] = _("Racontez en quelques mots comment cela s'est passé.")
    elif len(note) > 3000:
        errors["note"] = _("3000 caractères au plus.")
    if errors:
        raise ValidationError(errors)
    feedback, created = Feedback.objects.update_or_create(
        bricolage=bricolage, author=user, defaults={"mairie": user.mairie, "outcome": outcome, "note": note})
    if created:
        engine.notify_followers(
            target=bricolage, verb="bricolage_feedback", actor=user, url=bricolage.get_absolute_url(),
            title=_("Retour d'expérience sur « %(title)s »") % {"title": bricolage.title},
            message=_("%(name)s (%(mairie)s) : %(outcome)s") % {
                "name": user.public_name, "mairie": user.mairie.short_name, "outcome": feedback.get_outcome_display()})
    return feedback
