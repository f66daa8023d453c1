"""An agent's explorations in their personal data (cms.privacy): exported in full (applications,
goals, logbook, summary) and deleted with the account, photos included. A seat the agent held on
a day to come goes to the first one waiting."""

from django.db import transaction
from django.utils import timezone

from .models import SEATS, ExplorationApplication, ExplorationDay, LogbookEntry, logbook_storage


def export(user) -> dict:
    applications = (ExplorationApplication.objects.filter(agent=user).select_related("day__mairie", "summary")
                    .prefetch_related("logbook").order_by("created_at", "pk"))
    rows = []
    for a in applications:
        summary = a.published_summary
        rows.append({
            "id": a.pk, "mairie": a.day.mairie.slug, "service": a.day.service, "date": a.day.date.isoformat(),
            "goals": a.goals, "status": a.status, "applied_at": a.created_at.isoformat(),
            "accepted_at": a.accepted_at.isoformat() if a.accepted_at else None,
            "logbook_shared_at": a.logbook_shared_at.isoformat() if a.logbook_shared_at else None,
            "logbook": [{"text": e.text, "photo": e.photo.name.rsplit("/", 1)[-1] if e.photo else None,
                         "photo_alt": e.photo_alt, "created_at": e.created_at.isoformat()} for e in a.logbook.all()],
            "summary": {"title": summary.title, "text": summary.text,
                        "published_at": summary.published_at.isoformat()} if summary else None,
        })
    return {"explorations": rows}


def erase(user) -> None:
    """Delete the agent's applications with their logbooks (and photo files) and summaries."""
    photos = list(LogbookEntry.objects.filter(application__agent=user).exclude(photo="").values_list("photo", flat=True))
    day_ids = set(ExplorationApplication.objects.filter(agent=user, status=ExplorationApplication.Status.CONFIRMED,
                                                        day__date__gte=timezone.localdate())
                  .values_list("day_id", flat=True))
    ExplorationApplication.objects.filter(agent=user).delete()
    from .services import _promote

    for day in ExplorationDay.objects.filter(pk__in=day_ids).order_by("pk"):
        _promote(SEATS.lock(day))
    storage = logbook_storage()
    transaction.on_commit(lambda: [storage.delete(name) for name in photos])
