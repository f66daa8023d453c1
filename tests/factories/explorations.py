"""Exploration days and applications built through the app's own services."""

import datetime

from django.utils import timezone

from bricolages.explorations import services
from bricolages.models import ExplorationApplication, ExplorationDay


def exploration_day(host, *, days_ahead=10, capacity=2, service="État civil", **overrides) -> ExplorationDay:
    fields = {"service": service, "date": timezone.localdate() + datetime.timedelta(days=days_ahead),
              "place": "Guichet 3, rez-de-chaussée", "capacity": capacity,
              "what_you_will_see": "L'accueil des familles, la saisie des actes, le logiciel d'état civil.",
              "contact": "Mme Leroy, 01 40 00 00 00", **overrides}
    return services.day_offer(actor=host, **fields)


def accepted_exploration(visitor, day, host, goals="Voir comment l'accueil gère l'attente.") -> ExplorationApplication:
    application = services.exploration_apply(user=visitor, day=day, goals=goals)
    return services.exploration_accept(actor=host, application=application)


def move_day_to_the_past(day, days=1) -> ExplorationDay:
    """Days are offered in the future; tests of what happens after the day move it back."""
    ExplorationDay.objects.filter(pk=day.pk).update(date=timezone.localdate() - datetime.timedelta(days=days))
    day.refresh_from_db()
    return day
