"""Who may do what with the guide's services and the carnets (plain functions; the services, the
HTML views and the API ask them). Seeing a carnet is decided by guide.selectors (anything else is
a 404); these say what someone who sees it may do."""

from cms import roles


def user_can_open_carnet_for_someone(user, mairie) -> bool:
    """An agent of the mairie, at the counter, opens a carnet for a resident (with an account, or without
    one: guide.services.carnet_open_without_account; nobody is its owner until it is claimed)."""
    return roles.is_agent_of(user, mairie)


def user_is_owner(user, carnet) -> bool:
    return getattr(user, "is_authenticated", False) and carnet.owner_id == user.pk


def user_serves_carnet(user, carnet) -> bool:
    """An agent of the carnet's mairie, in a service the carnet is shared with (not revoked)."""
    if not roles.is_agent_of(user, carnet.mairie):
        return False
    return carnet.shares.filter(revoked_at__isnull=True, service__agents=user).exists()


def user_can_share_carnet(user, carnet) -> bool:
    """Consent is the resident's: only the owner shares or revokes."""
    return user_is_owner(user, carnet)


def user_can_verify_items(user, carnet) -> bool:
    return user_serves_carnet(user, carnet)


def user_can_write_agent_part(user, carnet) -> bool:
    """The next appointment and the agent's note."""
    return user_serves_carnet(user, carnet)


def user_can_attach_documents(user, carnet) -> bool:
    """Uploading a document is the resident's choice alone: only the owner attaches or removes one."""
    return user_is_owner(user, carnet)


def user_can_read_documents(user, carnet) -> bool:
    """The owner, and the agents of a service the carnet is shared with (not revoked)."""
    return user_is_owner(user, carnet) or user_serves_carnet(user, carnet)
