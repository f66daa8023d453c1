"""The ambassadeurs in a resident's personal data (cms.privacy): exported in full, deleted with the
account, and closed requests purged after their retention."""

from .models import Ambassador, HelpRequest


def _when(moment):
    return moment.isoformat() if moment else None


def export(user) -> dict:
    ambassador_roles = Ambassador.objects.filter(user=user).select_related("mairie", "quartier").order_by("pk")
    requests = (HelpRequest.objects.filter(neighbour=user) | HelpRequest.objects.filter(ambassador__user=user))
    requests = requests.select_related("ambassador").prefetch_related("messages", "consents").order_by("pk")
    return {
        "ambassador": [{
            "mairie": a.mairie.slug, "public_name": a.public_name, "quartier": a.quartier.name if a.quartier else None,
            "languages": a.languages, "help_with": a.help_with, "motivation": a.motivation, "status": a.status,
            "applied_at": _when(a.applied_at), "decided_at": _when(a.decided_at)} for a in ambassador_roles],
        "help_requests": [{
            "id": r.pk, "as": "neighbour" if r.neighbour_id == user.pk else "ambassador",
            "ambassador": r.ambassador.public_name, "subject": r.subject, "created_at": _when(r.created_at),
            "closed_at": _when(r.closed_at),
            "messages": [{"mine": m.author_id == user.pk, "platform": m.author_id is None, "body": m.body,
                          "at": _when(m.created_at)} for m in r.messages.all()],
            "consents": [{"kind": c.kind, "given_at": _when(c.given_at), "withdrawn_at": _when(c.withdrawn_at)}
                         for c in r.consents.all()]} for r in requests],
    }


def erase(user) -> None:
    from .services import ambassadeurs_erase

    ambassadeurs_erase(user)


def help_request_retention() -> str:
    """How long a help request is kept, for the privacy page: from the retention setting and the purge's
    slot in the schedule, which are what delete it."""
    from django.utils.translation import gettext, ngettext

    from accueil import conf
    from cms.privacy import purge_text

    days = conf.help_request_retention_days()
    period = ngettext("%(days)d jour après sa clôture", "%(days)d jours après sa clôture", days) % {"days": days}
    return purge_text(gettext("Tant que la demande est ouverte, puis %(period)s ; elle est alors supprimée, avec ses "
                              "messages, par la purge de chaque nuit (à %(time)s)."),
                      period=period, job="purge_help_requests")
