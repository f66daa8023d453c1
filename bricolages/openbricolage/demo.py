"""Demo Open Bricolage (idempotent), dated from the day of seeding: next spring's edition, hosted by
the 19e, with three workshops each led by the author of a demo bricolage (the 20e's agent and the
19e's editor registered, the latter for a first time); and last spring's edition, past, with the
bricolages it presented and the feedback of the agents who came."""

import datetime

from django.utils import timezone

from . import services
from .models import OpenBricolageEdition

TITLE = "Open Bricolage %d"

COMING = [  # (slug of the bricolage, title, description, starts at, capacity)
    ("demo-file-attente-etat-civil", "Une file d'attente avec un tableur",
     "Installer le modèle de tableur, noter les arrivées, afficher l'attente estimée.", datetime.time(10), 8),
    ("demo-signaletique-carton-plume", "Signalétique en carton plume",
     "Découper, imprimer et poser des panneaux lisibles en une matinée.", datetime.time(11), 10),
    ("demo-boite-idees-qr", "Une boîte à idées avec un QR code",
     "Créer le formulaire, imprimer l'affiche, relever les idées chaque semaine.", datetime.time(14), 6),
]
PAST = [
    ("demo-fiches-langues", "Des fiches d'accueil en plusieurs langues",
     "Traduire les phrases utiles de l'accueil et les plastifier.", datetime.time(10), 8),
    ("demo-macro-lettres-rendez-vous", "Une macro pour les lettres de rendez-vous",
     "Fusionner un tableur et un modèle de lettre sans erreur de date.", datetime.time(14), 8),
]


def _next_spring(today):
    year = today.year if today < datetime.date(today.year, 3, 20) else today.year + 1
    return datetime.date(year, 4, 15)


def _edition(organiser, date, title, place, description, programme, bricolages):
    """Editions are announced in the future (the service's rule); a past one is moved back afterwards."""
    edition = services.edition_create(actor=organiser, title=title, place=place, description=description,
                                      capacity=30, date=max(date, timezone.localdate() + datetime.timedelta(days=1)))
    workshops = []
    for slug, name, text, starts_at, capacity in programme:
        bricolage = bricolages[slug]
        workshops.append(services.workshop_add(actor=organiser, edition=edition, title=name, description=text,
                                               starts_at=starts_at, capacity=capacity, leader=bricolage.author,
                                               bricolage=bricolage))
    return edition, workshops


def seed(ctx):
    from ..models import BricolagePage

    slugs = [spec[0] for spec in COMING + PAST]
    bricolages = {p.slug: p for p in BricolagePage.objects.live().filter(slug__in=slugs).select_related("author")}
    if len(bricolages) < len(slugs):
        return  # the wiki's demo did not run
    users = ctx.users
    today = timezone.localdate()
    spring = _next_spring(today)
    if OpenBricolageEdition.objects.filter(title__in=[TITLE % spring.year, TITLE % (spring.year - 1)]).exists():
        return
    organiser = users["organisateur"]
    _coming, workshops = _edition(
        organiser, spring, TITLE % spring.year, "Salle des fêtes de la mairie du 19e",
        "Les agents de toutes les mairies viennent essayer les bricolages du wiki, avec ceux qui les ont faits. "
        "Café à 9h30, ateliers toute la journée.", COMING, bricolages)
    services.registration_create(user=users["agent20"], edition=_coming, workshop=workshops[0])
    services.registration_create(user=users["editeur20"], edition=_coming, workshop=workshops[1], first_time=True)

    past_date = datetime.date(spring.year - 1, 4, 15)
    past, past_workshops = _edition(
        organiser, past_date, TITLE % past_date.year, "Préau de la mairie du 19e",
        "La première édition : deux ateliers et beaucoup d'idées rapportées dans les services.", PAST, bricolages)
    services.registration_create(user=users["agent"], edition=past, workshop=past_workshops[0], first_time=True)
    services.registration_create(user=users["agent20"], edition=past, workshop=past_workshops[1])
    services.registration_create(user=users["editeur"], edition=past)
    OpenBricolageEdition.objects.filter(pk=past.pk).update(date=past_date)
    past.refresh_from_db()
    services.feedback_give(user=users["agent"], edition=past, rating=5,
                           text="Je n'avais jamais ouvert le wiki : je repars avec les fiches en trois langues.")
    services.feedback_give(user=users["agent20"], edition=past, rating=4,
                           text="Bel atelier sur la macro ; il faudrait plus de temps pour l'essayer sur nos modèles.")
