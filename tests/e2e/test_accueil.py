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


def test_the_sms_arrives_when_the_turn_is_near_and_when_called(e2e_ctx, new_page, page_as):
    """A resident leaves a mobile number online; the agent calls and serves from the counter page while the
    clock moves eight minutes a passage (time-machine, in the live server's process too): the console
    provider gets « votre tour approche » once the estimate is under 15 minutes, then « guichet N »."""
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from accueil import services as queue
    from accueil.sms import ConsoleProvider

    mairie = e2e_ctx.mairies["paris19"]
    set_up(mairie)
    service = Service.objects.get(mairie=mairie, slug="etat-civil")  # 8 minutes a passage
    OpeningHours.objects.filter(service=service).delete()
    for weekday in range(7):
        OpeningHours.objects.create(service=service, weekday=weekday, opens=time(0), closes=time(23, 59, 59))
    counter = service.counters.order_by("number").first()
    service.counters.exclude(pk=counter.pk).update(is_open=False)
    ConsoleProvider.outbox.clear()
    with time_machine.travel(timezone.now(), tick=True) as clock:
        for _ in range(3):
            queue.ticket_take(service=service)
        resident = new_page()
        resident.goto(f"{e2e_ctx.url}/accueil/")
        resident.get_by_label("État civil").check()
        resident.get_by_label("Portable (facultatif)").fill("06 12 34 56 78")
        resident.get_by_role("button", name="Prendre mon ticket").click()
        resident.get_by_text("Vous êtes en position 4.").wait_for()
        ticket_url = resident.url

        desk = page_as("agent", f"{e2e_ctx.url}/accueil/guichets/{counter.pk}/", password=settings.DEMO_PASSWORD)
        for n in range(3):  # three residents ahead: called, eight minutes, served
            desk.get_by_role("button", name="Appeler le suivant").click()
            desk.get_by_role("heading", name="Ticket appelé : E00", exact=False).wait_for()
            near = list(ConsoleProvider.outbox)
            assert len(near) == (1 if n == 2 else 0), near  # position 1 (8 min) only after the third call
            clock.shift(timedelta(minutes=8))
            desk.get_by_role("button", name="Servi").click()
            desk.get_by_role("button", name="Appeler le suivant").wait_for()
        assert "approche" in ConsoleProvider.outbox[0]["text"] and ConsoleProvider.outbox[0]["to"] == "+33612345678"
        desk.get_by_role("button", name="Appeler le suivant").click()
        desk.get_by_role("heading", name="Ticket appelé : E004").wait_for()
        assert len(ConsoleProvider.outbox) == 2 and f"guichet {counter.number}" in ConsoleProvider.outbox[1]["text"]
        resident.goto(ticket_url)
        assert f"C'est à vous, guichet {counter.number}." in resident.locator(".accueil-ticket-state").inner_text()


def test_a_coworking_booking_and_its_conflict(e2e_ctx, page_as):
    """Two agents of two mairies want the last desk of a half-day: the first books it, the second, whose page
    still shows it free, is told the space is full, and nothing more is booked."""
    from datetime import timedelta

    from django.utils import timezone

    from accueil.models import Booking, CoworkingSpace

    space = CoworkingSpace.objects.create(mairie=e2e_ctx.mairies["paris19"], name="Petit tiers-lieu", capacity=1,
                                          weekdays="0123456")
    day = timezone.localdate() + timedelta(days=2)
    url = f"{e2e_ctx.url}/accueil/coworking/{space.pk}/"
    first = page_as("agent", url, password=settings.DEMO_PASSWORD)
    second = page_as("agent20", url, password=settings.DEMO_PASSWORD)  # an agent of the 20e books in the 19e
    label = f"{day:%d}".lstrip("0")
    row = lambda page: page.locator("tr", has=page.get_by_role("rowheader", name=label, exact=False)).first  # noqa: E731
    row(first).get_by_role("button", name="Réserver").first.click()
    first.get_by_text("Poste 1 réservé").wait_for()
    row(second).get_by_role("button", name="Réserver").first.click()
    second.get_by_text("Plus aucun poste n'est libre").wait_for()
    assert Booking.objects.filter(space=space, cancelled_at__isnull=True).count() == 1
