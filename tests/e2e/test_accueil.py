"""The hall in a browser: a resident takes a ticket online, an agent calls it, the hall screen shows it
within two seconds (short polling, no reload) and the resident's ticket page says "c'est à vous"."""

from datetime import time

from django.conf import settings

from accueil.models import OpeningHours, Service
from accueil.setup import set_up


def test_a_ticket_taken_online_is_called_and_shown_on_the_hall_screen(e2e_ctx, new_page, page_as):
    mairie = e2e_ctx.mairies["paris19"]
    set_up(mairie)
    service = Service.objects.get(mairie=mairie, slug="etat-civil")
    OpeningHours.objects.filter(service=service).delete()
    for weekday in range(7):  # open whenever the test runs
        OpeningHours.objects.create(service=service, weekday=weekday, opens=time(0), closes=time(23, 59, 59))
    counter = service.counters.order_by("number").first()

    screen = new_page()
    screen.goto(f"{e2e_ctx.url}/accueil/ecran/")
    assert screen.locator("#accueil-called").get_attribute("aria-live") == "polite"

    resident = new_page()
    resident.goto(f"{e2e_ctx.url}/accueil/")
    resident.get_by_label("État civil").check()
    resident.get_by_role("button", name="Prendre mon ticket").click()
    resident.get_by_role("heading", name="Ticket E001").wait_for()
    ticket_url = resident.url

    desk = page_as("agent", f"{e2e_ctx.url}/accueil/guichets/{counter.pk}/", password=settings.DEMO_PASSWORD)
    desk.get_by_role("button", name="Appeler le suivant").click()
    desk.get_by_role("heading", name="Ticket appelé : E001").wait_for()

    screen.locator("#accueil-called li", has_text="E001").wait_for(timeout=2_000)  # no reload: the poll
    assert f"guichet {counter.number}" in screen.locator("#accueil-called").inner_text()

    resident.goto(ticket_url)
    assert f"C'est à vous, guichet {counter.number}." in resident.locator(".accueil-ticket-state").inner_text()
