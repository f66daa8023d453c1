"""An ambassador helps a neighbour in a browser: the neighbour writes from the public profile (no contact
details anywhere), gives their consent in the thread, the ambassador takes a queue ticket for them, and the
neighbour follows the ticket's link from the thread."""

from datetime import time

from django.conf import settings

from accueil import demo
from accueil.models import OpeningHours, Service, Ticket


def test_an_ambassador_takes_a_ticket_for_a_neighbour_with_their_consent(e2e_ctx, page_as):
    demo.seed(e2e_ctx)  # the hall's services and the demo's ambassadors
    service = Service.objects.get(mairie=e2e_ctx.mairies["paris19"], slug="etat-civil")
    OpeningHours.objects.filter(service=service).delete()
    for weekday in range(7):  # open whenever the test runs
        OpeningHours.objects.create(service=service, weekday=weekday, opens=time(0), closes=time(23, 59, 59))

    neighbour = page_as("habitant", f"{e2e_ctx.url}/accueil/ambassadeurs/", password=settings.DEMO_PASSWORD)
    neighbour.get_by_role("link", name="Julien").click()
    assert "julien@" not in neighbour.content()
    neighbour.get_by_label("Objet").fill("Refaire mon passeport")
    neighbour.get_by_label("Votre message").fill("Bonjour Julien, pouvez-vous prendre le ticket pour moi demain ?")
    neighbour.get_by_role("button", name="Envoyer ma demande").click()
    neighbour.get_by_role("heading", name="Refaire mon passeport").wait_for()
    thread_url = neighbour.url
    neighbour.get_by_role("button", name="Donner mon accord : prendre un ticket d'attente pour moi").click()
    neighbour.get_by_text("Votre accord est enregistré.").wait_for()

    ambassador = page_as("julien", f"{e2e_ctx.url}/accueil/ambassadeurs/demandes/", password=settings.DEMO_PASSWORD)
    ambassador.get_by_role("link", name="Refaire mon passeport").click()
    assert ambassador.url == thread_url
    assert "habitant@" not in ambassador.content()
    ambassador.get_by_label("Service").select_option(label="État civil")
    ambassador.get_by_role("button", name="Prendre le ticket").click()
    ticket = Ticket.objects.filter(service=service, email=e2e_ctx.users["habitant"].email).get()
    ambassador.get_by_text(f"Ticket {ticket.number} pris").first.wait_for()

    neighbour.goto(thread_url)
    neighbour.locator(".accueil-thread li", has_text=f"Ticket {ticket.number}").get_by_role("link", name="Ouvrir").click()
    neighbour.get_by_role("heading", name=f"Ticket {ticket.number}").wait_for()
