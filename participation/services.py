"""The engine's writes. Every app (HTML views, Wagtail admin, API) goes through these functions,
so a rule cannot be skipped by choosing another door."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, sql
from django.db.models.constants import OnConflict
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cms import roles
from cms.errors import Conflict, NotAllowed, ServiceError
from cms.mairies import attach_mairie
from cms.validation import parse_id, required_text

from . import anonymity, conf, notification_kinds, preferences, registry
from .models import (
    AuditEntry,
    Follow,
    Notification,
    NotificationPreference,
    Report,
    Support,
    SupportAllowance,
)
from .notification_kinds import Delivery
from .tasks import send_notification_emails

COMMENT_MAX_LENGTH = 3000


def _ct(obj):
    return ContentType.objects.get_for_model(obj, for_concrete_model=False)


def _target_filter(obj):
    return {"content_type": _ct(obj), "object_id": obj.pk}


def _bump(obj, field, delta):
    """Atomically move a counter on the target and return its new value: one UPDATE … RETURNING
    (PostgreSQL, and SQLite since 3.35), which Django's update() cannot express."""
    meta = type(obj)._meta
    quote = connection.ops.quote_name
    column, table, pk_column = quote(meta.get_field(field).column), quote(meta.db_table), quote(meta.pk.column)
    with connection.cursor() as cursor:
        # Identifiers from the model, quoted by the backend; values as parameters.
        cursor.execute(f"UPDATE {table} SET {column} = {column} + %s WHERE {pk_column} = %s RETURNING {column}",  # noqa: S608
                       [delta, obj.pk])
        row = cursor.fetchone()
    value = row[0] if row else 0
    setattr(obj, field, value)
    return value


def _insert_once(obj) -> bool:
    """INSERT `obj`'s row unless a unique constraint refuses it; True if it was inserted.

    One statement that never raises on the conflict (INSERT … ON CONFLICT DO NOTHING on PostgreSQL,
    INSERT OR IGNORE on SQLite), so the transaction needs no savepoint around it; the row count
    tells which way it went. The primary key is not read back."""
    meta = type(obj)._meta
    fields = [f for f in meta.local_concrete_fields if not f.primary_key]
    query = sql.InsertQuery(type(obj), on_conflict=OnConflict.IGNORE)
    query.insert_values(fields, [obj])
    with connection.cursor() as cursor:
        for statement, params in query.get_compiler(connection=connection).as_sql():
            cursor.execute(statement, params)
        return cursor.rowcount == 1


# --- supports -----------------------------------------------------------------------------


def _check_support_rule(user, target, rule):
    if not getattr(user, "is_authenticated", False):
        raise NotAllowed(_("Connectez-vous pour soutenir."), code="not_authenticated")
    if not registry.is_visible(user, target) or not target.is_public():
        raise NotAllowed(_("Cet élément ne peut pas être soutenu."), code="not_public")
    if rule.closed_reason:
        raise ServiceError(rule.closed_reason, code="closed")
    now = timezone.now()
    if rule.opens_at and now < rule.opens_at:
        raise ServiceError(_("Les soutiens ouvrent le %(date)s.") % {
            "date": formats.date_format(timezone.localtime(rule.opens_at), "DATETIME_FORMAT")}, code="not_open")
    if rule.closes_at and now >= rule.closes_at:
        raise ServiceError(_("Les soutiens sont fermés depuis le %(date)s.") % {
            "date": formats.date_format(timezone.localtime(rule.closes_at), "DATETIME_FORMAT")}, code="closed")
    if rule.mairie is not None and not roles.belongs_to(user, rule.mairie):
        raise NotAllowed(_("Seuls les habitant·es de la %(mairie)s peuvent soutenir ici.") % {
            "mairie": rule.mairie.name.lower()}, code="other_mairie")
    roles.require_confirmed(user)
    if rule.eligible is not None:
        refusal = rule.eligible(user)
        if refusal:
            raise NotAllowed(refusal, code="not_eligible")


def support_add(*, user, target) -> int:
    """Support `target` once. Exact under concurrency: the unique constraint refuses a second
    support, the budget is spent by a conditional UPDATE, the counter moves by one UPDATE.

    The checks only read. The writes run in one transaction, the caller's when there is one (a
    request's), without a savepoint of their own: none of them raises on a refusal (row counts
    tell, and a support refused by the budget is deleted again), so the caller's transaction stays
    usable and a vote costs two statements fewer."""
    if getattr(target, "mairie_id", None) is not None:
        attach_mairie(target)  # the rules read target.mairie: from the directory, not a query
    rule = target.support_rule()
    _check_support_rule(user, target, rule)
    where = _target_filter(target)
    count, refusal = None, None
    with transaction.atomic(savepoint=False):
        # One INSERT … ON CONFLICT DO NOTHING decides, with no read first, even when two requests race.
        if not _insert_once(Support(user=user, context=rule.context, **where)):
            refusal = Conflict(_("Vous soutenez déjà cet élément."), code="already_supported")
        elif rule.budget is not None and not _spend_allowance(user, rule):
            Support.objects.filter(user=user, **where).delete()
            refusal = Conflict(_("Vous avez déjà utilisé vos %(n)d soutiens : retirez-en un pour soutenir "
                                 "autre chose.") % {"n": rule.budget}, code="budget_spent")
        else:
            count = _bump(target, "supports_count", 1)
            follow_add(user=user, target=target)
    if refusal is not None:
        raise refusal
    return count


def _spend_allowance(user, rule) -> bool:
    """One support of the user's budget in this context, by a conditional UPDATE (the allowance row
    is created at the first support); False when the budget is spent."""
    def spend():
        return SupportAllowance.objects.filter(user=user, context=rule.context, used__lt=rule.budget).update(
            used=F("used") + 1)

    if spend():
        return True
    _insert_once(SupportAllowance(user=user, context=rule.context, used=0))  # no row yet, or the budget is spent
    return bool(spend())


@transaction.atomic
def support_withdraw(*, user, target) -> int:
    rule = target.support_rule()
    if not getattr(user, "is_authenticated", False):
        raise NotAllowed(_("Connectez-vous pour retirer votre soutien."), code="not_authenticated")
    if not rule.withdrawable:
        raise ServiceError(_("Ce soutien ne peut pas être retiré."), code="not_withdrawable")
    if rule.closes_at and timezone.now() >= rule.closes_at:
        raise ServiceError(_("Les soutiens sont fermés : il n'est plus possible de retirer le vôtre."),
                           code="closed")
    deleted, _detail = Support.objects.filter(user=user, **_target_filter(target)).delete()
    if not deleted:
        raise Conflict(_("Vous ne soutenez pas cet élément."), code="not_supported")
    if rule.budget is not None:
        SupportAllowance.objects.filter(user=user, context=rule.context, used__gt=0).update(used=F("used") - 1)
    return _bump(target, "supports_count", -1)


def supports_left(*, user, target) -> int | None:
    rule = target.support_rule()
    if rule.budget is None:
        return None
    if not getattr(user, "is_authenticated", False):
        return rule.budget
    used = next(iter(SupportAllowance.objects.filter(user=user, context=rule.context).values_list("used", flat=True)[:1]),
                None)
    return max(rule.budget - (used or 0), 0)


# --- follows and notifications ---------------------------------------------------------------


def follow_add(*, user, target):
    if not getattr(user, "is_authenticated", False):
        raise NotAllowed(_("Connectez-vous pour suivre cet élément."), code="not_authenticated")
    _insert_once(Follow(user=user, **_target_filter(target)))  # nothing when it exists (follow_once)


def follow_remove(*, user, target):
    Follow.objects.filter(user=user, **_target_filter(target)).delete()


def notify_users(*, users, target, verb, title, message="", url=""):
    """On-site notifications now; their emails by a background task after commit."""
    ct = _ct(target)
    active = {}
    for user in users:
        if user is not None and user.is_active:
            active.setdefault(user.pk, user)
    deliveries = preferences.deliveries_for(active, notification_kinds.kind_of(ct.app_label, verb))
    rows = [Notification(user=user, content_type=ct, object_id=target.pk, verb=verb, title=str(title)[:200],
                         message=str(message), url=url or "", email_delivery=deliveries[user.pk])
            for user in active.values()]
    created = Notification.objects.bulk_create(rows)
    immediate = Delivery.IMMEDIATE
    ids = [n.pk for n in created if n.pk and n.email_delivery == immediate]
    if not ids and not all(n.pk for n in created):  # some databases do not return ids from bulk_create
        ids = list(Notification.objects.filter(content_type=ct, object_id=target.pk, verb=verb, user__in=active,
                                               email_delivery=immediate, emailed_at__isnull=True)
                   .values_list("pk", flat=True))
    if ids:
        transaction.on_commit(lambda: send_notification_emails.enqueue(ids))
    return len(rows)


def notify_followers(*, target, verb, title, message="", url="", actor=None, extra_users=()):
    from cms.models import User

    follower_ids = Follow.objects.filter(**_target_filter(target)).values_list("user_id", flat=True)
    users = list(User.objects.filter(pk__in=follower_ids)) + [u for u in extra_users if u is not None]
    if actor is not None:
        users = [u for u in users if u.pk != actor.pk]
    if not url and hasattr(target, "get_absolute_url"):
        url = target.get_absolute_url()
    return notify_users(users=users, target=target, verb=verb, title=title, message=message, url=url)


@transaction.atomic
def notification_preferences_update(*, user, changes) -> dict[str, str]:
    """Set how the emails of some kinds are sent ({kind: delivery}); the other kinds keep theirs.
    An unknown kind or delivery refuses the whole change (400), nothing half-saved."""
    if not getattr(user, "is_authenticated", False):
        raise NotAllowed(_("Connectez-vous pour choisir vos notifications."), code="not_authenticated")
    if not isinstance(changes, dict) or not changes:
        raise ValidationError({"preferences": [_("Choisissez au moins un type de notification.")]})
    errors = {}
    for kind, delivery in changes.items():
        if kind not in notification_kinds.Kind.values:
            errors[str(kind)[:40]] = [_("Type de notification inconnu.")]
        elif delivery not in Delivery.values:
            errors[kind] = [_("Choisissez « tout de suite », « un résumé par jour » ou « jamais ».")]
    if errors:
        raise ValidationError(errors)
    for kind, delivery in changes.items():
        NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": delivery})
    return preferences.preferences_for(user)


@transaction.atomic
def notification_unsubscribe(*, token) -> tuple:
    """The one-click unsubscribe of an email's link (no login): the kinds the token names go to
    « never ». A tampered, expired or unknown token is refused (400) and changes nothing."""
    from cms.models import User

    try:
        user_id, kinds = preferences.read_unsubscribe_token(token)
    except signing.BadSignature:
        raise ServiceError(_("Ce lien de désabonnement n'est pas valable (abîmé ou expiré). Choisissez vos "
                             "notifications depuis votre compte."), code="bad_token") from None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise ServiceError(_("Ce lien de désabonnement n'est plus valable."), code="bad_token")
    for kind in kinds:
        NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": Delivery.NEVER})
    return user, kinds


def notification_mark_read(*, user, notification_ids=None):
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())


# --- audit ----------------------------------------------------------------------------------


def audit_record(*, actor, target, action, label="", reason="", public=False, data=None):
    """One entry of the audit log; an act of the target's anonymous author is kept as such."""
    actor = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=actor, actor_anonymous=anonymity.acts_as_anonymous_author(getattr(actor, "pk", None), target),
        mairie_id=getattr(target, "mairie_id", None),
        content_type=_ct(target), object_id=str(target.pk), action=action, label=str(label)[:200],
        reason=reason or "", public=public, data=data or {},
    )


# --- comments --------------------------------------------------------------------------------


def _comment_model():
    from django_comments_xtd.models import XtdComment

    return XtdComment


@transaction.atomic
def comment_post(*, user, target, text, parent_id=None):
    """A comment (or a reply, one level deep) on a public participatory object. `parent_id` may
    come raw from a form: anything but an id a database can hold is refused (400), never queried."""
    XtdComment = _comment_model()
    if not getattr(user, "is_authenticated", False):
        raise NotAllowed(_("Connectez-vous pour commenter."), code="not_authenticated")
    if not registry.is_visible(user, target) or (hasattr(target, "is_public") and not target.is_public()):
        raise NotAllowed(_("Cet élément ne peut pas être commenté."), code="not_public")
    roles.require_confirmed(user)
    text = required_text(text, field="text", message=_("Le commentaire est vide."))
    if len(text) > COMMENT_MAX_LENGTH:
        raise ValidationError({"text": _("Le commentaire dépasse %(n)d caractères.") % {"n": COMMENT_MAX_LENGTH}})
    ct = _ct(target)
    parent = None
    parent_id = parse_id(parent_id, field="parent") if parent_id not in (None, "", 0) else None
    if parent_id:
        parent = XtdComment.objects.filter(pk=parent_id, content_type=ct, object_pk=str(target.pk),
                                           is_public=True, is_removed=False).first()
        if parent is None:
            raise ValidationError({"parent": _("Le commentaire auquel vous répondez n'existe pas.")})
        if parent.level >= settings.COMMENTS_XTD_MAX_THREAD_LEVEL:
            parent = XtdComment.objects.get(pk=parent.parent_id)  # replies stay one level deep
    comment = XtdComment(
        content_type=ct, object_pk=str(target.pk), site_id=settings.SITE_ID, user=user,
        user_name=user.public_name[:50], user_email=user.email, comment=text,
        parent_id=parent.pk if parent else 0, is_public=True,
    )
    comment.save()
    if hasattr(target, "comments_count"):
        _bump(target, "comments_count", 1)
    follow_add(user=user, target=target)
    title = _("Nouveau commentaire sur « %(title)s »") % {"title": _title(target)}
    recipients = []
    if parent is not None and parent.user_id and parent.user_id != user.pk:
        recipients.append(parent.user)
        notify_users(users=recipients, target=target, verb="reply",
                     title=_("%(name)s vous a répondu") % {"name": user.public_name}, message=text[:500],
                     url=_url(target))
    notify_followers(target=target, verb="comment", title=title, message=text[:500], url=_url(target), actor=user,
                     extra_users=())
    return comment


def _title(target):
    return str(getattr(target, "title", None) or target)


def _url(target):
    return target.get_absolute_url() if hasattr(target, "get_absolute_url") else ""


def comment_target(comment):
    model = registry.model_for_content_type(comment.content_type)
    return model._default_manager.filter(pk=comment.object_pk).first()


# --- reports and moderation ------------------------------------------------------------------


def _is_comment(obj):
    return obj._meta.label_lower == "django_comments_xtd.xtdcomment"


def _author_id(target):
    return target.user_id if _is_comment(target) else getattr(target, "author_id", None)


def _counted_reporters(target) -> int:
    """Open reports that may hide `target`: from distinct confirmed accounts of its mairie, never its
    author's, so that throwaway accounts or residents of another mairie cannot hide it."""
    from django.db.models import Q

    owner = comment_target(target) if _is_comment(target) else target
    reports = Report.objects.filter(Q(user__email_confirmed=True) | Q(user__is_superuser=True), user__is_active=True,
                                    resolved_at__isnull=True, **_target_filter(target))
    mairie_id = getattr(owner, "mairie_id", None)
    if mairie_id is not None:
        reports = reports.filter(user__mairie_id=mairie_id)
    author_id = _author_id(target)
    if author_id is not None:
        reports = reports.exclude(user_id=author_id)
    return reports.values("user_id").distinct().count()


@transaction.atomic
def report_add(*, user, target, reason, note=""):
    """Flag `target` for the moderators; past REPORTS_BEFORE_HIDING counted reporters (see
    _counted_reporters) it is hidden pending review. Returns the counted reporters."""
    if not getattr(user, "is_authenticated", False):
        raise NotAllowed(_("Connectez-vous pour signaler un contenu."), code="not_authenticated")
    roles.require_confirmed(user)
    if _author_id(target) == user.pk:
        raise NotAllowed(_("Vous ne pouvez pas signaler votre propre contribution."), code="own_content")
    if reason not in Report.Reason.values:
        raise ValidationError({"reason": _("Motif inconnu : choisissez spam, propos injurieux, hors sujet ou "
                                           "données personnelles.")})
    if len(note or "") > 500:
        raise ValidationError({"note": _("La précision dépasse 500 caractères.")})
    if not _insert_once(Report(user=user, reason=reason, note=note or "", **_target_filter(target))):
        raise Conflict(_("Vous avez déjà signalé ce contenu."), code="already_reported")
    open_reports = _counted_reporters(target)
    if hasattr(target, "reports_count"):
        _bump(target, "reports_count", 1)
    threshold = conf.reports_before_hiding()
    if open_reports >= threshold and not _hidden(target):
        _set_hidden(target, True, _("Masqué en attente de modération après plusieurs signalements."))
        audit_record(actor=None, target=target, action="auto_hidden",
                     label=_("Masqué automatiquement après %(n)d signalements") % {"n": open_reports})
        _tell_author(target, _("Votre contribution est masquée en attente de modération"),
                     _("Plusieurs personnes l'ont signalée. Un·e organisateur·rice va la relire."))
    return open_reports


def _hidden(target):
    return (not target.is_public) if _is_comment(target) else target.is_hidden


def _set_hidden(target, hidden, reason):
    """Hide or show `target`. A comment's count on its object moves only when the comment really
    changes state (a conditional UPDATE decides), so hiding twice or restoring a visible comment
    leaves the count as it is."""
    if _is_comment(target):
        changed = type(target).objects.filter(pk=target.pk, is_public=hidden).update(is_public=not hidden)
        target.is_public = not hidden
        parent = comment_target(target) if changed else None
        if parent is not None and hasattr(parent, "comments_count"):
            _bump(parent, "comments_count", -1 if hidden else 1)
    else:
        type(target)._default_manager.filter(pk=target.pk).update(is_hidden=hidden, hidden_reason=reason if hidden else "")
        target.is_hidden, target.hidden_reason = hidden, (reason if hidden else "")
        if hasattr(target, "save_search_document"):
            target.save_search_document()


def _tell_author(target, title, message):
    author = target.user if _is_comment(target) else getattr(target, "author", None)
    if author is not None:
        owner = comment_target(target) if _is_comment(target) else target
        notify_users(users=[author], target=owner or target, verb="moderation", title=title, message=message,
                     url=_url(owner) if owner else "")


@transaction.atomic
def moderation_hide(*, actor, target, reason):
    _require_moderator(actor, target)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Indiquez le motif : il est communiqué à l'auteur·rice.")})
    _set_hidden(target, True, reason)
    Report.objects.filter(resolved_at__isnull=True, **_target_filter(target)).update(resolved_at=timezone.now())
    audit_record(actor=actor, target=target, action="hide", label=_("Masqué par la modération"), reason=reason)
    _tell_author(target, _("Votre contribution a été masquée"), _("Motif : %(reason)s") % {"reason": reason})


@transaction.atomic
def moderation_restore(*, actor, target, reason=""):
    _require_moderator(actor, target)
    _set_hidden(target, False, "")
    Report.objects.filter(resolved_at__isnull=True, **_target_filter(target)).update(resolved_at=timezone.now())
    audit_record(actor=actor, target=target, action="restore", label=_("Rétabli par la modération"), reason=reason)


def _require_moderator(actor, target):
    owner = comment_target(target) if _is_comment(target) else target
    mairie = getattr(owner, "mairie", None)
    allowed = roles.is_organiser_of(actor, mairie) if mairie is not None else roles.is_organiser(actor)
    if not allowed:
        raise NotAllowed(_("Seuls les organisateur·rices de cette mairie modèrent."), code="not_moderator")
