from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _section_url(request, mairie):
    from django.urls import reverse

    return reverse("accueil:index") if mairie is not None else None


class AccueilConfig(AppConfig):
    name = "accueil"
    verbose_name = _("Tickets d'attente")

    def ready(self):
        from cms import roles
        from cms.occupancy import register_occupancy
        from cms.privacy import register_retention
        from participation.features import plug_in

        from . import demo, search, setup
        from .coworking import selectors as coworking

        register_retention("accueil", order=60, how_long=lambda: _("jusqu'à la clôture du ticket, le jour même"),
                           what=_("Le numéro de portable ou l'adresse e-mail laissés avec un ticket d'attente"),
                           why=_("Vous prévenir quand votre tour approche et quand vous êtes appelé·e."))
        plug_in(self, summary=_("Prenez un ticket en ligne, suivez votre attente et soyez prévenu·e avant votre tour."),
                order=60, url=_section_url, api=("services", "screen"), demo=(80, demo.seed), set_up=setup.set_up,
                search=search.ADAPTERS)
        register_retention("accueil-coworking", order=61, how_long=invitation_retention,
                           what=_("Le nom, la structure et l'adresse e-mail d'une personne invitée au coworking"),
                           why=_("Lui envoyer son lien personnel de réservation."))
        register_occupancy(coworking.OCCUPAI_SPACE, coworking.occupai_room_booked, by="accueil")
        roles.grant(roles.ORGANISERS, *(f"accueil.{action}_{model}" for model in (
            "service", "openinghours", "counter", "coworkingspace") for action in ("add", "change", "delete", "view")))


def invitation_retention() -> str:
    """How long an invitee's data is kept, for the privacy page: from the retention setting and the purge's
    slot in the schedule, which are what delete it."""
    from django.utils.formats import time_format
    from django.utils.translation import gettext, ngettext

    from cms.schedule import daily_time

    from . import conf

    days = conf.invitation_retention_days()
    period = ngettext("%(days)d jour après la fin de l'invitation", "%(days)d jours après la fin de l'invitation",
                      days) % {"days": days}
    return gettext("Jusqu'à %(period)s (échue ou retirée), avec les réservations ; la purge de chaque nuit "
                   "(à %(time)s) l'efface. La personne invitée peut tout effacer elle-même depuis son lien.") % {
        "period": period, "time": time_format(daily_time("purge_coworking_invitations"))}
