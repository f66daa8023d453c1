"""Kinds of notification, as a resident understands them, and how each is delivered by email.

Apps emit notifications with their own `verb` ("status", "drawn", "help_message"...). A resident
does not choose by verb: they choose by kind (« un élément que je suis a changé », « réponse à mon
commentaire »...). Each app maps its verbs to a kind in its AppConfig.ready() through
`register_notification_verbs`; the engine registers its own verbs (comments, replies, moderation)
for every app. A verb nobody mapped is « autre ». The on-site notification is always created; only
its email follows the user's choice for its kind (participation.services.notification_preferences).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

ANY_APP = "*"  # the engine's verbs (comments, replies, moderation), whatever the target's app


class Kind(models.TextChoices):
    FOLLOWED = "followed", _("Un élément que je suis a changé")
    REPLY = "reply", _("Réponse à mon commentaire")
    DECISION = "decision", _("Décision sur ma proposition ou mon projet")
    DRAW = "draw", _("Résultat du tirage au sort")
    MODERATION = "moderation", _("Modération de mes contributions")
    EXCHANGES = "exchanges", _("Mes échanges (ambassadeurs, explorations…)")
    OTHER = "other", _("Autre")


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("Tout de suite, un e-mail par notification")
    DIGEST = "digest", _("Un résumé par jour")
    NEVER = "never", _("Jamais (sur le site seulement)")


# Sensible for a resident: what is about them at once; what merely moved on something they follow
# (a comment, an edit, news) once a day.
DEFAULTS: dict[str, str] = {kind.value: Delivery.IMMEDIATE.value for kind in Kind}
DEFAULTS[Kind.FOLLOWED] = Delivery.DIGEST.value

_verbs: dict[tuple[str, str], str] = {}


def register_notification_verbs(app_label: str, verbs: dict[str, str]) -> None:
    """Map an app's verbs to kinds: `app_label` is the app label of the notified objects' models
    (the notification's target), or ANY_APP for the engine's own verbs. A verb mapped twice to
    different kinds is a programming error, refused at start."""
    for verb, kind in verbs.items():
        kind = Kind(kind).value
        known = _verbs.get((app_label, verb))
        if known is not None and known != kind:
            raise ValueError(f"notification verb {app_label}:{verb} is already of kind {known}")
        _verbs[(app_label, verb)] = kind


def kind_of(app_label: str, verb: str) -> str:
    return _verbs.get((app_label, verb)) or _verbs.get((ANY_APP, verb)) or Kind.OTHER.value


def kind_of_notification(notification) -> str:
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_id(notification.content_type_id)
    return kind_of(ct.app_label, notification.verb)


def verbs() -> dict[tuple[str, str], str]:
    return dict(_verbs)
