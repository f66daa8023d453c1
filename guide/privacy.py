"""The carnets in a resident's personal data (cms.privacy): exported in full (the files attached
to documents by their name, size and date, not their content), deleted with the account (files
included; a carnet opened at the counter without an account and attached since, as the others),
and purged after their retention once closed, or, never attached to an account, once unchanged as long."""

from .models import Carnet


def export(user) -> dict:
    carnets = (Carnet.objects.filter(owner=user).select_related("mairie").prefetch_related("items", "shares__service")
               .order_by("created_at", "pk"))
    return {"carnets": [{
        "id": c.pk, "mairie": c.mairie.slug, "demarche": c.title, "demarche_page": c.demarche_id,
        "status": c.status, "created_at": c.created_at.isoformat(),
        "opened_at_counter_without_account": bool(c.claimed_at), "holder_label": c.holder_label,
        "claimed_at": c.claimed_at.isoformat() if c.claimed_at else None,
        "closed_at": c.closed_at.isoformat() if c.closed_at else None,
        "next_appointment": c.next_appointment.isoformat() if c.next_appointment else None,
        "appointment_place": c.appointment_place, "agent_note": c.agent_note,
        "documents": [{"name": i.name, "detail": i.detail, "state": i.state, "attached_file": _attached(i)}
                      for i in c.items.all()],
        "shares": [{"service": s.service.name, "granted_at": s.granted_at.isoformat(), "at_counter": s.at_counter,
                    "revoked_at": s.revoked_at.isoformat() if s.revoked_at else None} for s in c.shares.all()],
    } for c in carnets]}


def _attached(item) -> dict | None:
    """The file the resident attached to a document: its name, size and date (not its content)."""
    if not item.document:
        return None
    return {"name": item.document_name, "size": item.document_size, "type": item.document_type,
            "added_at": item.document_added_at.isoformat() if item.document_added_at else None}


def erase(user) -> None:
    from .services import carnets_erase

    carnets_erase(user)


def carnet_retention() -> str:
    """How long a carnet is kept, for the privacy page: from the retention setting and the purge's
    slot in the schedule, which are what delete it."""
    from django.utils.translation import gettext, ngettext

    from cms.privacy import purge_text

    from . import conf

    days = conf.carnet_retention_days()
    period = ngettext("%(days)d jour après sa clôture", "%(days)d jours après sa clôture", days) % {"days": days}
    unclaimed = ngettext("%(days)d jour", "%(days)d jours", days) % {"days": days}
    return purge_text(gettext("Tant qu'il est en cours, puis %(period)s ; il est alors supprimé par la purge de chaque "
                              "nuit (à %(time)s). Vous pouvez le supprimer vous-même à tout moment. Un carnet ouvert "
                              "au guichet pour une personne sans compte (seulement un prénom ou des initiales, si elle "
                              "en donne) est aussi supprimé s'il n'a pas été rattaché à un compte et n'a pas changé "
                              "depuis %(unclaimed)s ; seul le condensé de son code est conservé, jamais le code.")
                      .replace("%(unclaimed)s", unclaimed), period=period, job="purge_carnets")
