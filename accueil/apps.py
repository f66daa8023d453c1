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
        from cms.on_behalf import register_on_behalf
        from cms.privacy import register_eraser, register_exporter, register_retention
        from cms.sections import register_account_link
        from participation.features import plug_in
        from participation.notification_kinds import Kind

        from . import demo, search, services, setup
        from .ambassadeurs import privacy as ambassador_privacy
        from .coworking import selectors as coworking
        from .models import Service

        register_retention("accueil", order=60, how_long=lambda: _("jusqu'à la clôture du ticket, le jour même"),
                           what=_("Le numéro de portable ou l'adresse e-mail laissés avec un ticket d'attente"),
                           why=_("Vous prévenir quand votre tour approche et quand vous êtes appelé·e."))
        plug_in(self, summary=_("Prenez un ticket en ligne, suivez votre attente et soyez prévenu·e avant votre tour."),
                order=60, url=_section_url, api=("services", "screen"), demo=(80, demo.seed), set_up=setup.set_up,
                search=search.ADAPTERS,
                notifications={"ambassador_accepted": Kind.DECISION, "ambassador_declined": Kind.DECISION,
                               "ambassador_stopped": Kind.DECISION, "help_request": Kind.EXCHANGES,
                               "help_message": Kind.EXCHANGES})
        register_retention("accueil-coworking", order=61, how_long=invitation_retention,
                           what=_("Le nom, la structure et l'adresse e-mail d'une personne invitée au coworking"),
                           why=_("Lui envoyer son lien personnel de réservation."))
        register_occupancy(coworking.OCCUPAI_SPACE, coworking.occupai_room_booked, by="accueil")
        register_on_behalf("ticket", order=20, label=lambda: _("Prendre le ticket"),
                           consent=lambda: _("prendre un ticket d'attente pour moi"),
                           choice_label=lambda: _("Service"),
                           choices=lambda mairie: list(Service.objects.filter(mairie=mairie, active=True)
                                                       .values_list("pk", "name")),
                           run=services.ticket_take_on_behalf)
        register_retention("accueil-ambassadeurs", order=62, how_long=ambassador_privacy.help_request_retention,
                           what=_("Vos demandes d'aide à un·e ambassadeur·rice : messages, accords donnés ; et, pour "
                                  "les ambassadeur·rices, leur candidature"),
                           why=_("Échanger sans montrer vos coordonnées, et garder trace de vos accords."))
        register_exporter("accueil-ambassadeurs", ambassador_privacy.export)
        register_eraser("accueil-ambassadeurs", ambassador_privacy.erase)
        register_account_link(40, _("Mes demandes d'aide"), "accueil:help-requests")
        roles.grant(roles.ORGANISERS, *(f"accueil.{action}_{model}" for model in (
            "service", "openinghours", "counter", "coworkingspace") for action in ("add", "change", "delete", "view")))
        roles.grant(roles.ORGANISERS, "accueil.view_ambassador")


def invitation_retention() -> str:
    """How long an invitee's data is kept, for the privacy page: from the retention setting and the purge's
    slot in the schedule, which are what delete it."""
    from django.utils.translation import gettext, ngettext

    from cms.privacy import purge_text

    from . import conf

    days = conf.invitation_retention_days()
    period = ngettext("%(days)d jour après la fin de l'invitation", "%(days)d jours après la fin de l'invitation",
                      days) % {"days": days}
    return purge_text(gettext("Jusqu'à %(period)s (échue ou retirée), avec les réservations ; la purge de chaque nuit "
                              "(à %(time)s) l'efface. La personne invitée peut tout effacer elle-même depuis son "
                              "lien."), period=period, job="purge_coworking_invitations")
