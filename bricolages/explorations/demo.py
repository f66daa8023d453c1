"""Demo explorations (idempotent), dated from the day of seeding: the 19e's agent went to the 20e's
accueil three weeks ago (accepted, a logbook with a photo, shared, a summary that a bricolage says
it was born from) and goes to its espaces verts in two weeks (accepted, a private logbook); the
20e's agent applied to the 19e's état civil (a seat, not accepted yet) and the 20e's editor waits
behind them; the 19e's médiathèque has a day with free seats."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from . import services
from .models import ExplorationApplication, ExplorationDay

SERVICES = ("Accueil et relations usagers", "Espaces verts", "État civil", "Médiathèque")


def _photo():
    image = Image.new("RGB", (480, 320), (250, 248, 242))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 60, 440, 200), fill=(11, 79, 156))
    draw.rectangle((60, 210, 160, 300), fill=(90, 90, 100))
    draw.rectangle((320, 210, 420, 300), fill=(90, 90, 100))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("guichet-accueil-20e.png", buffer.getvalue(), content_type="image/png")


def _day(host, days, service, capacity, place, see, contact):
    """Days are offered in the future (the service's rule); a past one is moved back afterwards."""
    day = services.day_offer(actor=host, service=service, date=timezone.localdate() + datetime.timedelta(days=max(days, 1)),
                             place=place, capacity=capacity, what_you_will_see=see, contact=contact)
    if days < 1:
        ExplorationDay.objects.filter(pk=day.pk).update(date=timezone.localdate() + datetime.timedelta(days=days))
        day.refresh_from_db()
    return day


def seed(ctx):
    from ..models import BricolagePage

    if ExplorationDay.objects.filter(service__in=SERVICES).exists():
        return
    users = ctx.users
    agent19, agent20 = users["agent"], users["agent20"]
    past = _day(agent20, 1, SERVICES[0], 2, "Hall d'accueil de la mairie du 20e",
                "La file d'attente du matin, le pré-accueil, l'écran d'appel et la borne de tickets.",
                "Paul, accueil du 20e, poste 2040")
    application = services.exploration_apply(
        user=agent19, day=past, goals="Voir comment le 20e fait patienter le public sans écran d'appel le samedi.")
    application = services.exploration_accept(actor=agent20, application=application)
    services.logbook_add(user=agent19, application=application, photo=_photo(),
                         photo_alt="Le guichet d'accueil du 20e, deux bancs de chaque côté",
                         text="8h30 : déjà douze personnes. Le pré-accueil oriente avec un ticket papier coloré.")
    ExplorationDay.objects.filter(pk=past.pk).update(date=timezone.localdate() - datetime.timedelta(days=21))
    services.logbook_add(user=agent19, application=application,
                         text="Les couleurs des tickets disent le service : plus personne ne fait la queue au mauvais guichet.")
    services.logbook_share(user=agent19, application=application)
    summary = services.summary_publish(
        user=agent19, application=application, title="Des tickets de couleur pour orienter dès l'entrée",
        text="Au 20e, le pré-accueil remet un ticket dont la couleur dit le service. Résultat : moins d'erreurs de "
             "file, et des usagers rassurés. Nous pouvons l'essayer au 19e le samedi, sans écran.")
    screen = BricolagePage.objects.filter(slug="demo-file-attente-ecran").first()
    if screen is not None:
        services.bricolage_born_from_set(user=agent19, bricolage=screen, summary=summary)

    green = _day(agent20, 14, SERVICES[1], 1, "Atelier du parc de Belleville",
                 "La tournée d'arrosage, la planification des équipes, le suivi des demandes des habitants.",
                 "Atelier espaces verts du 20e, 01 43 15 20 20")
    coming = services.exploration_apply(user=agent19, day=green,
                                        goals="Comprendre comment l'atelier suit les demandes des habitants.")
    coming = services.exploration_accept(actor=agent20, application=coming)
    services.logbook_add(user=agent19, application=coming, text="Questions à poser : quel outil pour les demandes ?")

    civil = _day(agent19, 21, SERVICES[2], 1, "Mairie du 19e, guichet 3",
                 "La préparation des mariages, la saisie des actes, l'accueil des familles.",
                 "Karim, état civil du 19e")
    services.exploration_apply(user=agent20, day=civil, goals="Voir la préparation des dossiers de mariage.")
    if ExplorationApplication.objects.filter(agent=users["editeur20"]).count() == 0:
        services.exploration_apply(user=users["editeur20"], day=civil,
                                   goals="Comparer l'affichage des bans entre nos deux mairies.")
    _day(agent19, 35, SERVICES[3], 3, "Médiathèque Hergé",
         "Le prêt, l'accueil des classes, les ateliers numériques du mercredi.", "Médiathèque Hergé, accueil")
