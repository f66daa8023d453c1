"""Background emails to complainants: acknowledgements, and news for those with no account.

Notifications to people with an account go through the participation engine; these tasks only
write to a letter's contact address, which the engine does not know."""

import logging

from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from cms.validation import one_line

log = logging.getLogger(__name__)


@task()
def send_acknowledgement(complaint_id: int):
    from .models import ComplaintPersonalData

    personal = (ComplaintPersonalData.objects.select_related("complaint__mairie", "author")
                .filter(complaint_id=complaint_id, acknowledged_at__isnull=True).first())
    if personal is None or not personal.email:
        return False
    complaint = personal.complaint
    body = _(
        "Bonjour,\n\n"
        "La %(mairie)s a bien reçu votre courrier « %(subject)s » (n° %(number)s, reçu le %(date)s).\n\n"
        "Un·e agent le lit et le rattache, s'il y a lieu, à un sujet qui revient souvent. Chaque mois, "
        "un de ces sujets est tiré au sort et devient le thème d'une journée hackathon à la mairie : "
        "vous serez prévenu·e si c'est le vôtre.\n\n"
        "Vos coordonnées et le texte complet de votre courrier ne sont lus que par les agents de la mairie ; "
        "ils sont effacés au bout de la durée de conservation.\n\n"
        "La %(mairie)s"
    ) % {"mairie": complaint.mairie.name.lower(), "subject": personal.subject, "number": complaint.pk,
         "date": complaint.received_on.strftime("%d/%m/%Y")}
    try:
        send_mail(_("Nous avons bien reçu votre courrier"), body, None, [personal.email])
    except Exception:  # the mail server is down: acknowledged_at stays empty
        log.warning("complaint %s: acknowledgement failed", complaint_id, exc_info=True)
        return False
    ComplaintPersonalData.objects.filter(pk=personal.pk).update(acknowledged_at=timezone.now())
    return True


@task()
def email_contacts(complaint_ids: list[int], subject: str, body: str):
    """The same news to the contact addresses of these complaints (no account behind them)."""
    from .models import ComplaintPersonalData

    addresses = set(ComplaintPersonalData.objects.filter(complaint_id__in=complaint_ids)
                    .exclude(contact_email="").values_list("contact_email", flat=True))
    sent = 0
    for address in sorted(addresses):
        try:
            send_mail(one_line(subject), body, None, [address])
            sent += 1
        except Exception:
            log.warning("news email to a complainant failed", exc_info=True)
    return sent
