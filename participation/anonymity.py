"""Who is shown as the author of an item, or the actor of an audit entry: the one rule every output
asks (serializers, templates, timelines), so that an item published as « un·e habitant·e du
quartier » never shows its author's name to anyone but the organisers (moderators) of its mairie.

An audit entry keeps, in `actor_anonymous`, that its actor was the anonymous author of its item at
the time: the entry stays anonymous even if the item changes later. An entry written before the
author chose anonymity is hidden too, as long as the item is anonymous."""

from django.utils.translation import gettext_lazy as _

from cms import roles
from cms.mairies import attach_mairie

ANONYMOUS_AUTHOR = _("un·e habitant·e du quartier")


def acts_as_anonymous_author(actor_id, item) -> bool:
    """True when the user `actor_id` is the author of `item` and `item` is published anonymously."""
    return bool(actor_id is not None and getattr(item, "author_anonymous", False)
                and getattr(item, "author_id", None) == actor_id)


def may_see_authors(viewer, obj) -> bool:
    """The organisers (who moderate) of the mairie of `obj` (an item or an audit entry) see who
    wrote its anonymous items."""
    if not getattr(viewer, "is_authenticated", False) or getattr(obj, "mairie_id", None) is None:
        return False
    return roles.is_organiser_of(viewer, attach_mairie(obj).mairie)


def author_name(item, viewer=None) -> str:
    """The author of `item` as `viewer` (None: the public) may see them."""
    if item.author_id is None or (item.author_anonymous and not may_see_authors(viewer, item)):
        return str(ANONYMOUS_AUTHOR)
    return item.author.public_name


def actor_name(entry, viewer=None, item=None) -> str | None:
    """The actor of the audit entry `entry` (on `item`, when known) as `viewer` may see them; None
    for the platform's own acts."""
    if entry.actor_id is None:
        return None
    anonymous = entry.actor_anonymous or (item is not None and acts_as_anonymous_author(entry.actor_id, item))
    if anonymous and not may_see_authors(viewer, entry):
        return str(ANONYMOUS_AUTHOR)
    return entry.actor.public_name
