"""An agent's Open Bricolage data in their personal data (cms.privacy): their registrations and
feedback, exported in full and deleted with the account. A seat they held at an edition to come
goes to the first one waiting. The workshops they led stay in the programme (under the account's
anonymised name)."""

from django.utils import timezone

from .models import DAY_SEATS, WORKSHOP_SEATS, EditionFeedback, OpenBricolageEdition, Registration, Workshop


def export(user) -> dict:
    registrations = Registration.objects.filter(agent=user).select_related("edition", "workshop").order_by("pk")
    feedback = EditionFeedback.objects.filter(agent=user).select_related("edition").order_by("pk")
    led = Workshop.objects.filter(leader=user).select_related("edition").order_by("pk")
    return {"open_bricolage": {
        "registrations": [{"edition": r.edition.title, "date": r.edition.date.isoformat(),
                           "workshop": r.workshop.title if r.workshop_id else None, "first_time": r.first_time,
                           "status": r.status, "registered_at": r.created_at.isoformat()} for r in registrations],
        "feedback": [{"edition": f.edition.title, "rating": f.rating, "text": f.text,
                      "updated_at": f.updated_at.isoformat()} for f in feedback],
        "workshops_led": [{"edition": w.edition.title, "title": w.title} for w in led],
    }}


def erase(user) -> None:
    from .services import _promote

    held = list(Registration.objects.filter(agent=user, status=Registration.Status.CONFIRMED,
                                            edition__date__gte=timezone.localdate())
                .values_list("edition_id", "workshop_id"))
    Registration.objects.filter(agent=user).delete()
    EditionFeedback.objects.filter(agent=user).delete()
    for edition_id, workshop_id in sorted(held, key=lambda pair: (pair[0], pair[1] or 0)):
        edition = DAY_SEATS.lock(OpenBricolageEdition(pk=edition_id))
        if workshop_id is None:
            _promote(DAY_SEATS, edition, edition)
        else:
            _promote(WORKSHOP_SEATS, WORKSHOP_SEATS.lock(Workshop(pk=workshop_id)), edition)
