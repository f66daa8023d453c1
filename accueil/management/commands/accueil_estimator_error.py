from django.core.management.base import BaseCommand

from accueil.estimate import replay_error
from accueil.models import Service


class Command(BaseCommand):
    help = "The wait estimator's mean absolute error on each service's measured passages (accueil/estimate.py)."

    def handle(self, *args, **options):
        for service in Service.objects.select_related("mairie").order_by("mairie__arrondissement", "position"):
            error, count = replay_error(service)
            shown = f"{error:.2f} min" if error is not None else "-"
            self.stdout.write(f"{service.mairie.short_name:6} {service.name:40} passages={count:5}  MAE={shown}")
