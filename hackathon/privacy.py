"""The Service lab's part of a resident's personal data (cms.privacy): their complaints with
everything personal in them, and their hackathon registrations."""

from .models import Complaint, Registration


def export(user) -> dict:
    complaints = (Complaint.objects.filter(personal__author=user).select_related("personal", "issue", "mairie")
                  .order_by("received_on", "pk"))
    return {
        "complaints": [{
            "id": c.pk, "mairie": c.mairie.slug, "received_on": c.received_on.isoformat(), "channel": c.channel,
            "subject": c.personal.subject, "full_text": c.personal.full_text,
            "contact_name": c.personal.contact_name, "contact_email": c.personal.contact_email,
            "contact_phone": c.personal.contact_phone, "postal_address": c.personal.postal_address,
            "has_scan": bool(c.personal.scan), "public_summary": c.public_summary if c.summary_is_public else "",
            "issue": c.issue.title if c.issue_id else None,
        } for c in complaints],
        "hackathon_registrations": [{
            "session": r.session_id, "status": r.status, "created_at": r.created_at.isoformat(),
        } for r in Registration.objects.filter(user=user).order_by("created_at")],
    }


def erase(user) -> None:
    """The complaints stay (anonymised summary, their weight in an issue's recurrence and in past
    draws); what is personal in them goes now, as the retention purge would. Registrations go."""
    from .services import complaint_personal_erase

    for complaint in Complaint.objects.filter(personal__author=user):
        complaint_personal_erase(complaint)
    Registration.objects.filter(user=user).delete()


def complaint_retention() -> str:
    """How long a complaint's personal part is kept, for the privacy page: read from the retention
    setting and the purge's slot in the schedule, which are what erase it."""
    from django.utils.translation import gettext, ngettext

    from cms.privacy import purge_text

    from . import conf

    days = conf.retention_days()
    period = ngettext("%(days)d jour après leur réception", "%(days)d jours après leur réception", days) % {"days": days}
    return purge_text(gettext("%(period)s, puis effacés par la purge de chaque nuit (à %(time)s). Leur résumé anonyme "
                              "reste public."), period=period, job="purge_complaints")
