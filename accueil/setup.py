"""What a mairie needs from the hall: its default services, their opening hours and counters
(cms.mairie_setup runs this for every new mairie; idempotent: only what is missing is added)."""

from datetime import time

from .models import Counter, OpeningHours, Service

WEEKDAYS = range(5)
# (slug, name, letter, description, default minutes, counters, extra hours {weekday: (opens, closes)})
DEFAULT_SERVICES = [
    ("etat-civil", "État civil", "E", "Actes de naissance, mariage, décès, livret de famille, reconnaissance.", 8, 3,
     {3: (time(8, 30), time(19, 30)), 5: (time(9), time(12, 30))}),
    ("affaires-generales", "Affaires générales", "G",
     "Attestations, légalisation de signature, recensement citoyen, inscription sur les listes électorales.", 6, 2, {}),
    ("casvp", "Centre d'action sociale (CASVP)", "S", "Aides sociales, accompagnement, domiciliation.", 12, 2, {}),
]


def set_up(mairie, home=None, **options):
    """The default services of a mairie, each open Monday to Friday 8:30–17:00 (état civil later on
    Thursdays and on Saturday mornings), with their counters numbered across the mairie."""
    number = Counter.objects.filter(mairie=mairie).order_by("-number").values_list("number", flat=True).first() or 0
    for position, (slug, name, letter, description, minutes, counters, extra) in enumerate(DEFAULT_SERVICES):
        service, created = Service.objects.get_or_create(
            mairie=mairie, slug=slug, defaults={"name": name, "letter": letter, "description": description,
                                                "position": position, "default_minutes": minutes})
        if not created:
            continue
        for weekday in WEEKDAYS:
            opens, closes = extra.get(weekday, (time(8, 30), time(17)))
            OpeningHours.objects.create(service=service, weekday=weekday, opens=opens, closes=closes)
        for weekday, (opens, closes) in extra.items():
            if weekday not in WEEKDAYS:
                OpeningHours.objects.create(service=service, weekday=weekday, opens=opens, closes=closes)
        for _index in range(counters):
            number += 1
            Counter.objects.create(mairie=mairie, service=service, number=number)
