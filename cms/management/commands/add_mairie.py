from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cms.errors import ServiceError
from cms.mairie_setup import add_mairie


class Command(BaseCommand):
    help = ("Add a mairie with its complete section set (site, home page, role groups, charter, Occupai, "
            "Bureau...), in one transaction: cms.mairie_setup.add_mairie, as the admin's « Mairies » does.")

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="« Mairie du 18e arrondissement »")
        parser.add_argument("--short-name", required=True, help="« 18e »")
        parser.add_argument("--slug", required=True, help="paris18 (letters, digits, hyphens)")
        parser.add_argument("--arrondissement", type=int, required=True)
        parser.add_argument("--hostname", required=True, help="the host the mairie answers on: mairie18.paris.fr")
        parser.add_argument("--port", type=int, default=80, help="the site's port (default 80)")
        parser.add_argument("--address", default="")
        parser.add_argument("--email", default="", help="the mairie's contact email")
        parser.add_argument("--phone", default="")
        parser.add_argument("--opening-hours", default="", help="one line per day or period (\\n between lines)")
        parser.add_argument("--quartier", action="append", default=[], help="a quartier (repeat for each)")
        parser.add_argument("--default-site", action="store_true",
                            help="answer on any hostname no other site claims")

    def handle(self, *args, **options):
        try:
            mairie = add_mairie(
                name=options["name"], short_name=options["short_name"], slug=options["slug"],
                arrondissement=options["arrondissement"], hostname=options["hostname"], port=options["port"],
                address=options["address"], contact_email=options["email"], phone=options["phone"],
                opening_hours=options["opening_hours"].replace("\\n", "\n"), quartiers=options["quartier"],
                default_site=options["default_site"])
        except ServiceError as exc:
            raise CommandError(str(exc.message)) from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"{mairie.name}: {mairie.site.root_url}/ (nothing else to do: "
                                             "its sections answer)"))
