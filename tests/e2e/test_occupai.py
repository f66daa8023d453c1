"""Occupai in a real browser: a resident proposes, an organiser publishes, three residents vote,
the organiser schedules, and the programme and its calendar feed show the event."""

from datetime import timedelta

from django.utils import timezone
from icalendar import Calendar

from occupai.models import CallPage, Event, Proposal
from tests.factories import occupai as f
from tests.factories import organiser, resident

TITLE = "Battle de hip-hop sur le parvis"


def test_propose_publish_vote_schedule_and_read_the_programme(e2e_ctx, new_page, page_as):
    mairie = e2e_ctx.mairies["paris19"]
    parvis = f.space(mairie, name="Parvis avant", capacity=500, is_indoor=False)
    f.space(mairie, name="Salon d'honneur", capacity=30)
    index = f.index_page(e2e_ctx.homes["paris19"])
    call = f.call_page(index, phase="submission", spaces=[parvis], title="L'été de la mairie", slug="ete")
    call_url = f"{e2e_ctx.url}{call.site_path}"
    awa = resident(mairie, username="awa", display_name="Awa")
    organiser(mairie, username="samir")
    voters = [resident(mairie, username=f"voisin{i}") for i in range(3)]
    day = call.event_starts_on + timedelta(days=2)

    # A resident proposes an event, with a preferred space and a slot.
    page = page_as("awa", call_url)
    page.get_by_role("link", name="Proposer un événement").click()
    page.get_by_label("Titre de l'événement").fill(TITLE)
    page.get_by_label("Type d'événement").select_option("sport")
    page.get_by_label("Description", exact=True).fill("Un cercle, un DJ et les danseurs du quartier.")
    page.get_by_label("Public attendu (nombre de personnes)").fill("250")
    page.get_by_label("Collectif").check()
    page.get_by_label("Nom affiché").fill("Flandre Breakers")
    page.get_by_label("Parvis avant").check()
    page.get_by_label("Sonorisation").check()
    first_slot = page.get_by_role("group", name="Créneau 1")
    first_slot.get_by_label("Jour").fill(day.isoformat())
    first_slot.get_by_label("De", exact=True).fill("17:00")
    first_slot.get_by_label("À", exact=True).fill("21:00")
    page.get_by_role("button", name="Déposer ma proposition").click()
    page.get_by_text("Proposition déposée").wait_for()
    proposal = Proposal.objects.get(title=TITLE)
    assert proposal.status == Proposal.Status.SUBMITTED and proposal.author == awa

    # The organiser publishes it.
    orga = page_as("samir", f"{call_url}organisation/")
    orga.get_by_role("button", name=f"Publier : {TITLE}").click()
    orga.get_by_text(f"« {TITLE} » est publiée.").wait_for()

    # Voting opens: three residents support it.
    f.set_phase(call, "voting", keep_event_period=True)
    for voter in voters:
        voter_page = page_as(voter.username, call_url)
        voter_page.get_by_text("Il vous reste 3 soutiens sur 3.").wait_for()
        voter_page.get_by_role("button", name=f"Soutenir : {TITLE}").click()
        voter_page.get_by_text("Merci pour votre soutien").wait_for()
    proposal.refresh_from_db()
    assert proposal.supports_count == 3

    # Voting closes: the organiser schedules it on the parvis.
    f.set_phase(call, "selection", keep_event_period=True)
    orga.goto(f"{call_url}organisation/")
    card = orga.locator(f"#proposition-{proposal.pk}")
    card.get_by_text("3 soutiens").wait_for()
    card.get_by_text("Retenir et programmer").click()
    card.get_by_label("Espace").select_option(label="Parvis avant")
    card.get_by_label("Début").fill(f"{day.isoformat()}T17:00")
    card.get_by_label("Fin").fill(f"{day.isoformat()}T21:00")
    card.get_by_role("button", name=f"Programmer : {TITLE}").click()
    orga.get_by_text(f"« {TITLE} » est au programme.").wait_for()
    event = Event.objects.get(proposal=proposal)
    assert timezone.localtime(event.starts_at).hour == 17

    # Results are published: the programme and its calendar feed show the event.
    f.set_phase(CallPage.objects.get(pk=call.pk), "programme", keep_event_period=True)
    visitor = new_page()
    visitor.goto(call_url)
    visitor.get_by_role("link", name="Voir le programme").click()
    visitor.get_by_role("heading", name=TITLE).wait_for()
    assert "Parvis avant" in visitor.inner_text("main")
    feed = visitor.get_by_role("link", name="Ajouter tout le programme à mon calendrier (.ics)").get_attribute("href")
    response = visitor.request.get(f"{e2e_ctx.url}{feed}")
    assert response.ok and response.headers["content-type"].startswith("text/calendar")
    (vevent,) = Calendar.from_ical(response.body()).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == TITLE
    assert vevent.decoded("DTSTART") == event.starts_at
    assert "Parvis avant" in str(vevent["LOCATION"])
