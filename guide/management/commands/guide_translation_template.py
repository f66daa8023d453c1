"""Write guide/demo_translations/template.pot from the 19e's demo guide in this database."""

from django.core.management.base import BaseCommand, CommandError

from cms.models import Mairie
from guide.demo_translations import TEMPLATE, write_template


class Command(BaseCommand):
    help = "Write the demo guide's translation template (every French segment) for translators."

    def add_arguments(self, parser):
        parser.add_argument("--mairie", default="paris19", help="the mairie's slug (default paris19)")
        parser.add_argument("--output", default=str(TEMPLATE))

    def handle(self, *args, mairie, output, **options):
        found = Mairie.objects.filter(slug=mairie).first()
        if found is None:
            raise CommandError(f"No mairie {mairie!r}: run seed_demo first.")
        count = write_template(found, output)
        self.stdout.write(f"{count} segments written to {output}")
