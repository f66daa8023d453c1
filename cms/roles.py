"""Roles: Django groups created by a data migration. The one place that says who holds which role.

A user may hold several roles. Superusers count as every role.
"""

RESIDENTS = "Habitants"
AGENTS = "Agents"
EDITORS = "Éditeurs"
ORGANISERS = "Organisateurs"
ALL_ROLES = (RESIDENTS, AGENTS, EDITORS, ORGANISERS)

# Model permissions each role holds, as "app_label.codename". Apps add theirs with grant() in
# ready(); cms.signals applies the table after every migrate, so a new permission reaches its
# role without a hand-written data migration.
ROLE_PERMISSIONS: dict[str, set[str]] = {
    RESIDENTS: set(),
    AGENTS: {"wagtailadmin.access_admin"},
    EDITORS: {
        "wagtailadmin.access_admin",
        "wagtailimages.add_image", "wagtailimages.change_image", "wagtailimages.choose_image",
        "wagtaildocs.add_document", "wagtaildocs.change_document", "wagtaildocs.choose_document",
    },
    ORGANISERS: {"wagtailadmin.access_admin"},
}


def grant(role, *permissions):
    ROLE_PERMISSIONS[role].update(permissions)


def has_role(user, role):
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or role in user.role_names


def is_resident(user):
    return has_role(user, RESIDENTS)


def is_agent(user):
    """Agents, and the staff roles above them, may enter the agents' spaces."""
    return any(has_role(user, role) for role in (AGENTS, EDITORS, ORGANISERS))


def is_editor(user):
    return has_role(user, EDITORS)


def is_organiser(user):
    return has_role(user, ORGANISERS)


def belongs_to(user, mairie):
    """The user's home mairie is `mairie` (superusers belong everywhere)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or (mairie is not None and user.mairie_id == mairie.pk)


def is_agent_of(user, mairie):
    return belongs_to(user, mairie) and is_agent(user)


def is_organiser_of(user, mairie):
    return belongs_to(user, mairie) and is_organiser(user)


def is_editor_of(user, mairie):
    return belongs_to(user, mairie) and is_editor(user)


def is_confirmed(user):
    return getattr(user, "is_authenticated", False) and (user.email_confirmed or user.is_superuser)


def unconfirmed_refusal(user):
    """The refusal every participatory door gives an account whose email is not confirmed, or None.

    Throwaway accounts would otherwise report, comment, propose and support at will: one check, one
    wording (403 "unconfirmed", with the way to get a new link), whichever door is used."""
    if is_confirmed(user):
        return None
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from .errors import NotAllowed

    return NotAllowed(_("Confirmez d'abord votre adresse e-mail : ouvrez le lien reçu à l'inscription, ou "
                        "demandez un nouveau lien sur la page « Mon compte » (%(url)s).") % {"url": reverse("account")},
                      code="unconfirmed")


def require_confirmed(user):
    """Raise the unconfirmed refusal (cms.errors.NotAllowed, 403) unless the user's email is confirmed."""
    refusal = unconfirmed_refusal(user)
    if refusal is not None:
        raise refusal
