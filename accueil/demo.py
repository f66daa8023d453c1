"""Demo data of the hall: the default services and counters of both demo mairies, a few weeks of
measured passages (served tickets of past days) so that the estimator has something to weigh, and
co-working spaces."""

import random
from datetime import date, datetime, timedelta

from django.utils import timezone

from .models import Channel, Service, State, Ticket
from .setup import set_up

PAST_DAYS = 5
PER_DAY = 12


def seed(ctx):
    for mairie in ctx.mairies.values():
        set_up(mairie)
        for service in Service.objects.filter(mairie=mairie):
            if Ticket.objects.filter(service=service).exists():
                continue
            _history(service)
    _coworking(ctx)
    _ambassadors(ctx)


COWORKING = {
    "paris19": {"name": "Tiers-lieu de la mairie", "capacity": 8, "location": "2e étage, salle 204",
                "description": "Huit postes au calme pour les agents de passage et les structures invitées : "
                               "associations, coopératives, porteurs de projets d'intérêt général.",
                "equipment": "Wifi\nÉcrans et claviers\nImprimante\nCabine téléphonique",
                "accessibility_notes": "Ascenseur depuis le hall ; toilettes adaptées à l'étage."},
    "paris20": {"name": "Coworking du pavillon", "capacity": 6, "location": "Pavillon, rez-de-jardin",
                "description": "Six postes ouverts du lundi au jeudi.", "weekdays": "0123",
                "equipment": "Wifi\nTableau blanc", "accessibility_notes": "De plain-pied."},
}


def _coworking(ctx):
    """A co-working space in each demo mairie; in the 19e also its salle des fêtes (the demo's Occupai spaces are
    the 19e's) lent on the first and third Tuesdays of the coming months; a booking of each demo agent in the
    other mairie and an invitation per mairie."""
    from .coworking.models import Booking, CoworkingDay, CoworkingSpace, Invitation

    today = timezone.localdate()
    for slug, fields in COWORKING.items():
        mairie = ctx.mairies.get(slug)
        if mairie is None:
            continue
        space, created = CoworkingSpace.objects.get_or_create(mairie=mairie, name=fields["name"], defaults=fields)
        if not created:
            continue
        day = today + timedelta(days=1)
        while str(day.weekday()) not in space.weekdays:
            day += timedelta(days=1)
        booker = ctx.users.get("agent20" if slug == "paris19" else "agent")  # an agent of the other mairie
        if booker is not None:
            Booking.objects.create(space=space, date=day, half="am", desk=1, user=booker)
        organiser = ctx.users.get("organisateur" if slug == "paris19" else "organisateur20")
        Invitation.objects.create(mairie=mairie, email=f"contact@asso-{slug}.example.org", name="Nadia Benali",
                                  organisation="Association Les Fabriques", valid_until=today + timedelta(days=90),
                                  created_by=organiser)
    venue_model = CoworkingSpace._meta.get_field("occupai_space").related_model  # no import of Occupai
    mairie19 = ctx.mairies.get("paris19")
    venue = venue_model.objects.filter(mairie=mairie19, is_indoor=True).order_by("-capacity").first() if mairie19 else None
    if venue is not None and not CoworkingSpace.objects.filter(occupai_space=venue).exists():
        lent = CoworkingSpace.objects.create(
            mairie=mairie19, name=f"Coworking · {venue.name}", capacity=20, occupai_space=venue,
            description="Deux mardis par mois, la salle se transforme en grand espace de travail partagé.",
            equipment="Wifi\nGrandes tables\nRallonges", accessibility_notes=venue.accessibility_notes)
        CoworkingDay.objects.bulk_create([CoworkingDay(space=lent, date=d) for d in _first_and_third_tuesdays(today)])


def _first_and_third_tuesdays(today, months=3):
    days = []
    year, month = today.year, today.month
    for _n in range(months):
        first = date(year, month, 1)
        tuesday = first + timedelta(days=(1 - first.weekday()) % 7)
        days += [d for d in (tuesday, tuesday + timedelta(days=14)) if d > today]
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return days


def _history(service):
    """Served tickets of the last working days: about `default_minutes` each, with some spread."""
    rng = random.Random(f"{service.mairie.slug}-{service.slug}")  # noqa: S311 - demo data
    counter = service.counters.order_by("number").first()
    today = timezone.localdate()
    rows = []
    day = today
    for _n in range(PAST_DAYS):
        day -= timedelta(days=1)
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        moment = timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=9))
        for seq in range(1, PER_DAY + 1):
            minutes = max(1.0, rng.gauss(service.default_minutes, service.default_minutes / 3))
            called = moment + timedelta(minutes=rng.uniform(0, 10))
            closed = called + timedelta(minutes=minutes)
            rows.append(Ticket(mairie_id=service.mairie_id, service=service, day=day, seq=seq,
                               number=f"{service.letter}{seq:03d}", channel=Channel.KIOSK, state=State.SERVED,
                               counter=counter, queued_at=moment, called_at=called, announced_at=called,
                               closed_at=closed))
            moment = closed
    Ticket.objects.bulk_create(rows)


# username -> mairie, display name, quartier slug (or None), status, languages, help
AMBASSADORS = {
    "mariam": ("paris19", "Mariam", "Mariam, ambassadrice du 19e", "pont-de-flandre", "accepted", "français, arabe, soninké",
               "Lire un courrier de la CAF avec vous, préparer un dossier de logement, vous accompagner au CASVP."),
    "julien": ("paris19", "Julien", "Julien, ambassadeur du 19e", "combat", "accepted", "français, anglais",
               "Prendre un rendez-vous en ligne, scanner et envoyer des papiers, remplir un formulaire d'état civil."),
    "moussa": ("paris19", "Moussa", "Moussa, habitant du 19e", None, "applied", "français, wolof, bambara",
               "Expliquer les démarches de la mairie en wolof et en bambara, venir avec vous au guichet."),
    "lin": ("paris20", "Lin", "Lin, ambassadrice du 20e", None, "accepted", "français, chinois (mandarin)",
            "Traduire un courrier, accompagner à l'état civil, expliquer l'inscription à l'école."),
}


def _ambassadors(ctx):
    """Three accepted ambassadors and a pending application; a neighbour (« habitant ») who asked Mariam for
    help, with her consent that Mariam takes a queue ticket for her."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from cms import roles
    from participation.models import Quartier

    from .ambassadeurs.models import Ambassador, HelpConsent, HelpMessage, HelpRequest

    User = get_user_model()
    made = {}
    for username, (slug, public_name, display, quartier, status, languages, help_with) in AMBASSADORS.items():
        mairie = ctx.mairies.get(slug)
        if mairie is None:
            continue
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, email=f"{username}@demo.mairie-de-demain.localhost", display_name=display,
                        mairie=mairie, email_confirmed=True)
            user.set_password(settings.DEMO_PASSWORD)
            user.save()
            user.groups.add(*Group.objects.filter(name=roles.RESIDENTS))
        ctx.users[username] = user
        made[username], _created = Ambassador.objects.get_or_create(mairie=mairie, user=user, defaults={
            "public_name": public_name, "languages": languages, "help_with": help_with, "status": status,
            "quartier": Quartier.objects.filter(mairie=mairie, slug=quartier).first() if quartier else None,
            "motivation": "J'aide déjà mes voisins ; je voudrais le faire avec la mairie." if status == "applied" else "",
            "decided_at": timezone.now() if status == "accepted" else None,
            "decided_by": ctx.users.get("organisateur" if slug == "paris19" else "organisateur20")
            if status == "accepted" else None})
    ctx.stdout("  Ambassadeurs (residents, demo password): mariam, julien (19e), lin (20e); moussa's application "
               "waits for the organisers.")
    neighbour, mariam = ctx.users.get("habitant"), made.get("mariam")
    if neighbour is None or mariam is None or HelpRequest.objects.filter(neighbour=neighbour).exists():
        return
    request = HelpRequest.objects.create(ambassador=mariam, neighbour=neighbour,
                                         subject="Renouveler ma carte d'identité")
    HelpMessage.objects.create(request=request, author=neighbour,
                               body="Bonjour, je dois refaire ma carte d'identité et je ne sais pas quoi apporter. "
                                    "Pouvez-vous venir avec moi mardi matin ?")
    HelpMessage.objects.create(request=request, author=mariam.user,
                               body="Bonjour ! Oui, mardi matin me va. Si vous êtes d'accord, je prends le ticket "
                                    "pour vous en arrivant, vous n'aurez qu'à nous rejoindre.")
    HelpConsent.objects.create(request=request, kind="ticket")
    HelpMessage.objects.create(request=request, author=None,
                               body="Accord donné à Mariam pour prendre un ticket d'attente pour moi.")
