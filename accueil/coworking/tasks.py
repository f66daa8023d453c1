"""The invitation email (the private link goes to the invitee only)."""

from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task


@task()
def send_invitation(invitation_id: int, link_base: str):
    from .models import Invitation

    invitation = Invitation.objects.select_related("mairie").filter(pk=invitation_id, revoked_at__isnull=True).first()
    if invitation is None:
        return False
    link = link_base.rstrip("/") + reverse("accueil:coworking-invitation", args=[invitation.key])
    body = _("Bonjour %(name)s,\n\nLa %(mairie)s vous invite à réserver un poste dans ses espaces de coworking, "
             "par demi-journée, jusqu'au %(date)s. Réservez, consultez et annulez vos réservations ici :\n\n"
             "%(link)s\n\nCe lien est personnel : ne le partagez pas.\n\nLa %(mairie)s") % {
        "name": invitation.name, "mairie": invitation.mairie.name.lower(),
        "date": invitation.valid_until.strftime("%d/%m/%Y"), "link": link}
    send_mail(_("Votre invitation au coworking de la mairie"), body, None, [invitation.email])
    return True
