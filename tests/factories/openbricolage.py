"""Open Bricolage editions and workshops built through the app's own services."""

import datetime

from django.utils import timezone

from bricolages.models import OpenBricolageEdition
from bricolages.openbricolage import services


def edition(organiser, *, days_ahead=30, capacity=20, title="Open Bricolage 2027", **overrides):
    fields = {"title": title, "date": timezone.localdate() + datetime.timedelta(days=days_ahead),
              "place": "Salle des fêtes", "description": "Les agents essaient les bricolages du wiki.",
              "capacity": capacity, **overrides}
    return services.edition_create(actor=organiser, **fields)


def workshop(organiser, edition, bricolage, *, leader=None, capacity=2, title="Le tableur de file d'attente",
             **overrides):
    fields = {"title": title, "description": "Installer le modèle et noter les arrivées.",
              "starts_at": datetime.time(10), "capacity": capacity, "leader": leader or bricolage.author,
              "bricolage": bricolage, **overrides}
    return services.workshop_add(actor=organiser, edition=edition, **fields)


def move_edition_to_the_past(edition, days=1):
    """Editions are announced in the future; tests of what happens after the day move them back."""
    OpenBricolageEdition.objects.filter(pk=edition.pk).update(date=timezone.localdate() - datetime.timedelta(days=days))
    edition.refresh_from_db()
    return edition
