"""Co-working: desks booked by half-day by agents of any mairie and invitees, capacity decided by the
database, Occupai rooms lent on chosen days, cancelling, and each booker's private calendar feed."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from accueil.coworking import services
from accueil.models import Booking, CoworkingDay, CoworkingSpace, Invitation
from cms.errors import Conflict
from occupai.models import Event
from tests.conftest import HOST20, api_as, client_as
from tests.factories import agent
from tests.factories import occupai as occ

pytestmark = pytest.mark.django_db

TUESDAY = date(2026, 12, 8)  # the day after `monday`
SATURDAY = date(2026, 12, 12)


@pytest.fixture
def cowork19(mairie19, monday):
    return CoworkingSpace.objects.create(mairie=mairie19, name="Tiers-lieu du 19e", capacity=2,
                                         equipment="Wifi\nÉcran", accessibility_notes="Ascenseur")


@pytest.fixture
def invitation19(mairie19, organiser19, monday):
    return services.invitation_create(mairie=mairie19, user=organiser19, email="asso@example.org",
                                      name="Awa Diallo", organisation="Les Ateliers")


def book(api, space, day=TUESDAY, half="am"):
    return api.post("/api/accueil/coworking/bookings/", {"space": space.pk, "date": day.isoformat(), "half": half},
                    format="json")


def test_an_agent_books_a_half_day_and_gets_the_first_desk(cowork19, agent19):
    response = book(api_as(agent19), cowork19)
    assert response.status_code == 201, response.json()
    assert response.json()["desk"] == 1 and response.json()["half"] == "am"
    assert Booking.objects.get().user == agent19


def test_an_agent_of_the_20e_books_in_the_19e_and_a_resident_may_not(cowork19, agent20, resident19, api19):
    assert book(api_as(agent20), cowork19).status_code == 201
    refused = book(api_as(resident19), cowork19, half="pm")
    assert refused.status_code == 403
    assert book(api19, cowork19, half="pm").status_code == 401
    assert Booking.objects.count() == 1


def test_the_last_desk_taken_the_next_booker_gets_409_and_nothing_is_saved(cowork19, agent19, agent20, mairie19):
    assert book(api_as(agent19), cowork19).status_code == 201
    assert book(api_as(agent20), cowork19).status_code == 201
    third = book(api_as(agent(mairie19, username="agent19c")), cowork19)
    assert third.status_code == 409 and third.json()["code"] == "full"
    assert "Plus aucun poste" in third.json()["detail"]
    assert Booking.objects.count() == 2
    slots = api_as(agent19).get(f"/api/accueil/coworking/spaces/{cowork19.pk}/availability/?days=2").json()
    tuesday = {s["half"]: s for s in slots if s["date"] == TUESDAY.isoformat()}
    assert tuesday["am"]["free"] == 0 and tuesday["pm"]["free"] == 2


def test_one_desk_per_booker_and_half_day(cowork19, agent19):
    api = api_as(agent19)
    assert book(api, cowork19).status_code == 201
    again = book(api, cowork19)
    assert again.status_code == 409 and again.json()["code"] == "already_booked"
    assert Booking.objects.count() == 1


def test_the_database_refuses_two_live_bookings_of_one_desk(cowork19, agent19, agent20):
    from django.db import IntegrityError, transaction

    Booking.objects.create(space=cowork19, date=TUESDAY, half="am", desk=1, user=agent19)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(space=cowork19, date=TUESDAY, half="am", desk=1, user=agent20)


def test_a_closed_day_is_409_with_the_opening_and_a_past_day_is_400(cowork19, agent19, monday):
    api = api_as(agent19)
    closed = book(api, cowork19, day=SATURDAY)
    assert closed.status_code == 409 and closed.json()["code"] == "closed"
    assert "lundi" in closed.json()["detail"]
    past = book(api, cowork19, day=date(2026, 12, 4))
    assert past.status_code == 400 and "date" in past.json()["errors"]
    monday.move_to("2026-12-07 13:00+01:00")  # this morning is over
    over = book(api, cowork19, day=date(2026, 12, 7), half="am")
    assert over.status_code == 400 and "half" in over.json()["errors"]
    assert book(api, cowork19, half="soir").status_code == 400
    assert not Booking.objects.exists()


def test_a_lent_occupai_room_opens_on_its_days_only_and_not_during_an_event(mairie19, site_ctx, agent19, monday):
    salle = occ.space(mairie19, name="Salle des fêtes", capacity=200)
    lent = CoworkingSpace.objects.create(mairie=mairie19, name="Coworking salle des fêtes", capacity=10,
                                         occupai_space=salle)
    CoworkingDay.objects.create(space=lent, date=TUESDAY)
    CoworkingDay.objects.create(space=lent, date=SATURDAY)
    call = occ.call_page(occ.index_page(site_ctx.homes["paris19"]), phase="selection", spaces=[salle])
    paris = ZoneInfo("Europe/Paris")
    Event.objects.create(call=call, proposal=occ.proposal(call, title="Bal du samedi"), space=salle,
                         starts_at=datetime(2026, 12, 12, 15, 0, tzinfo=paris),
                         ends_at=datetime(2026, 12, 12, 23, 0, tzinfo=paris))
    api = api_as(agent19)
    assert book(api, lent, day=TUESDAY).status_code == 201
    wednesday = book(api, lent, day=date(2026, 12, 9))
    assert wednesday.status_code == 409 and wednesday.json()["code"] == "closed"
    assert book(api, lent, day=SATURDAY, half="am").status_code == 201  # the event starts at 15:00
    occupied = book(api, lent, day=SATURDAY, half="pm")
    assert occupied.status_code == 409 and occupied.json()["code"] == "occupied"
    assert "Bal du samedi" in occupied.json()["detail"]
    assert Booking.objects.count() == 2


def test_the_booker_cancels_and_the_desk_is_free_again(cowork19, agent19, agent20, mairie19):
    mine = book(api_as(agent19), cowork19).json()
    assert book(api_as(agent20), cowork19).status_code == 201
    other = api_as(agent20).post(f"/api/accueil/coworking/bookings/{mine['id']}/cancel/")
    assert other.status_code == 404
    cancelled = api_as(agent19).post(f"/api/accueil/coworking/bookings/{mine['id']}/cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["cancelled"] is True
    assert api_as(agent19).post(f"/api/accueil/coworking/bookings/{mine['id']}/cancel/").status_code == 404
    booking = Booking.objects.get(pk=mine["id"])
    with pytest.raises(Conflict):
        services.booking_cancel(booking=booking, user=agent19)
    assert book(api_as(agent(mairie19, username="agent19c")), cowork19).json()["desk"] == 1


def test_the_calendar_feed_lists_the_bookers_own_bookings_by_its_private_key(cowork19, agent19, agent20, client19):
    book(api_as(agent19), cowork19)
    book(api_as(agent20), cowork19, half="pm")
    page = client_as(agent19).get("/accueil/coworking/mes-reservations/")
    assert page.status_code == 200 and page["Referrer-Policy"] == "no-referrer"
    feed_url = page.context["feed_url"]
    response = client19.get(feed_url.split("testserver", 1)[-1].split(".fr", 1)[-1])
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    events = [c for c in Calendar.from_ical(response.content).walk("VEVENT")]
    assert len(events) == 1 and "Tiers-lieu du 19e" in str(events[0]["summary"])
    assert events[0]["dtstart"].dt.hour == 9
    assert client19.get("/accueil/coworking/agenda/" + "x" * 32 + ".ics").status_code == 404


def test_each_booker_has_their_own_key_and_the_others_feed_is_not_theirs(cowork19, agent19, agent20, client19):
    from accueil.coworking.selectors import feed_key_for

    book(api_as(agent19), cowork19)
    key19, key20 = feed_key_for(agent19), feed_key_for(agent20)
    assert key19 != key20
    theirs = client19.get(f"/accueil/coworking/agenda/{key20}.ics")
    assert theirs.status_code == 200 and b"VEVENT" not in theirs.content
    Booking.objects.update(cancelled_at="2026-12-07T10:00:00+01:00")
    cancelled = client19.get(f"/accueil/coworking/agenda/{key19}.ics").content
    assert b"STATUS:CANCELLED" in cancelled


def test_an_invitee_books_and_cancels_through_their_private_link(cowork19, invitation19, client19, mailoutbox):
    assert len(mailoutbox) == 0  # created by the service without a site address: no link to send
    page = client19.get(f"/accueil/coworking/invitation/{invitation19.key}/")
    assert page.status_code == 200 and page["X-Robots-Tag"] == "noindex"
    posted = client19.post(f"/accueil/coworking/invitation/{invitation19.key}/",
                           {"space": cowork19.pk, "date": TUESDAY.isoformat(), "half": "pm"})
    assert posted.status_code == 302
    booking = Booking.objects.get()
    assert booking.invitation == invitation19 and booking.user is None
    cancel = client19.post(f"/accueil/coworking/invitation/{invitation19.key}/annuler/{booking.pk}/")
    assert cancel.status_code == 302
    booking.refresh_from_db()
    assert booking.cancelled_at is not None
    feed = client19.get(f"/accueil/coworking/agenda/{invitation19.feed_key}.ics")
    assert feed.status_code == 200 and b"STATUS:CANCELLED" in feed.content
    assert client19.get(f"/accueil/coworking/agenda/{invitation19.key}.ics").status_code == 404  # not the feed key


def test_an_invitation_books_in_its_own_mairie_only_and_not_once_revoked(cowork19, invitation19, organiser19,
                                                                        mairie20, api19):
    other = CoworkingSpace.objects.create(mairie=mairie20, name="Tiers-lieu du 20e", capacity=3)
    api20 = api_as(None, host=HOST20)
    path = f"/api/accueil/coworking/invitations/{invitation19.key}/bookings/"
    assert api20.post(path, {"space": other.pk, "date": TUESDAY.isoformat(), "half": "am"},
                      format="json").status_code == 404
    done = api19.post(path, {"space": cowork19.pk, "date": TUESDAY.isoformat(), "half": "am"}, format="json")
    assert done.status_code == 201, done.json()
    services.invitation_revoke(invitation=invitation19, user=organiser19)
    refused = api19.post(path, {"space": cowork19.pk, "date": TUESDAY.isoformat(), "half": "pm"}, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "revoked"
    assert not Booking.objects.filter(cancelled_at__isnull=True).exists()  # its future bookings went with it


def test_organisers_invite_and_the_link_is_emailed(mairie19, organiser19, agent19, mailoutbox, monday,
                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = client_as(organiser19).post("/accueil/coworking/invitations/", {
            "name": "Jo", "organisation": "Coop", "email": "jo@example.org"})
    assert page.status_code == 302
    invitation = Invitation.objects.get()
    assert len(mailoutbox) == 1 and invitation.key in mailoutbox[0].body
    assert client_as(agent19).get("/accueil/coworking/invitations/").status_code == 403
    bad = client_as(organiser19).post("/accueil/coworking/invitations/", {"name": "", "email": "nope"})
    assert bad.status_code == 400 and Invitation.objects.count() == 1
    assert api_as(agent19).post("/api/accueil/coworking/invitations/", {"name": "X", "email": "x@example.org"},
                                format="json").status_code == 403


def test_the_html_pages_book_with_one_button_and_refuse_residents(cowork19, agent20, resident19, client19):
    index = client19.get("/accueil/coworking/")
    assert index.status_code == 200 and "Tiers-lieu du 19e" in index.content.decode()
    data = {"space": cowork19.pk, "date": TUESDAY.isoformat(), "half": "am"}
    assert client19.post(f"/accueil/coworking/{cowork19.pk}/", data).status_code == 302  # to the login
    assert client_as(resident19).post(f"/accueil/coworking/{cowork19.pk}/", data).status_code == 403
    agent_client = client_as(agent20)
    page = agent_client.get(f"/accueil/coworking/{cowork19.pk}/")
    assert page.status_code == 200 and "Réserver" in page.content.decode()
    assert agent_client.post(f"/accueil/coworking/{cowork19.pk}/", data).status_code == 302
    again = agent_client.post(f"/accueil/coworking/{cowork19.pk}/", data)
    assert again.status_code == 409 and "déjà un poste" in again.content.decode()
    bad = agent_client.post(f"/accueil/coworking/{cowork19.pk}/", {"date": "hier", "half": "am"})
    assert bad.status_code == 400
    booking = Booking.objects.get()
    assert client_as(resident19).post(f"/accueil/coworking/reservations/{booking.pk}/annuler/").status_code == 403
    other_agent = client_as(agent(cowork19.mairie, username="agent19c"))
    assert other_agent.post(f"/accueil/coworking/reservations/{booking.pk}/annuler/").status_code == 404
    assert agent_client.post(f"/accueil/coworking/reservations/{booking.pk}/annuler/").status_code == 302
    assert not Booking.objects.filter(cancelled_at__isnull=True).exists()


def test_public_output_never_shows_bookers_or_invitees(cowork19, invitation19, agent19, api19, client19):
    services.booking_create(space=cowork19, day=TUESDAY, half="am", invitation=invitation19)
    services.booking_create(space=cowork19, day=TUESDAY, half="pm", user=agent19)
    public = (api19.get("/api/accueil/coworking/spaces/").content
              + api19.get(f"/api/accueil/coworking/spaces/{cowork19.pk}/availability/").content
              + client19.get(f"/accueil/coworking/{cowork19.pk}/").content
              + client19.get("/accueil/coworking/").content).decode()
    for secret in ("Awa Diallo", "asso@example.org", "Les Ateliers", "agent19", invitation19.key):
        assert secret not in public


def test_hours_are_checked_in_order_by_the_database(mairie19):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        CoworkingSpace.objects.create(mairie=mairie19, name="À l'envers", capacity=1, morning_opens=time(13),
                                      morning_closes=time(12))


def test_an_invitee_sees_what_is_kept_about_them_and_erases_it(cowork19, invitation19, client19, client20, api19):
    path = f"/accueil/coworking/invitation/{invitation19.key}/"
    client19.post(path, {"space": cowork19.pk, "date": TUESDAY.isoformat(), "half": "am"})
    page = client19.get(path).content.decode()
    assert "Vos données" in page and "asso@example.org" in page and "90 jours après sa fin" in page
    assert client19.get(f"{path}oublier/").status_code == 404  # a button: POST only
    assert client20.post(f"{path}oublier/").status_code == 404  # the 19e's link only
    erased = client19.post(f"{path}oublier/", follow=True)
    assert erased.redirect_chain[-1][0] == "/accueil/coworking/"
    assert "la mairie ne garde plus votre nom" in erased.content.decode()
    assert not Invitation.objects.exists() and not Booking.objects.exists()
    assert client19.get(path).status_code == 404  # the link is dead
    assert api19.post(f"/api/accueil/coworking/invitations/{invitation19.key}/forget/").status_code == 404


def test_the_api_erases_an_invitation_once(invitation19, api19, organiser19, mairie19):
    other = services.invitation_create(mairie=mairie19, user=organiser19, email="b@example.org", name="Binta")
    path = f"/api/accueil/coworking/invitations/{invitation19.key}/forget/"
    assert api19.get(path).status_code == 405
    assert api_as(None, host=HOST20).post(path).status_code == 404
    assert api19.post(path).status_code == 204
    assert api19.post(path).status_code == 404  # replayed
    assert list(Invitation.objects.all()) == [other]


def test_ended_invitations_are_purged_with_their_bookings_after_the_retention(cowork19, invitation19, organiser19,
                                                                             mairie19, monday, settings):
    from django.core.management import call_command

    from cms.schedule import job_named

    services.booking_create(space=cowork19, day=TUESDAY, half="am", invitation=invitation19)
    expired = services.invitation_create(mairie=mairie19, user=organiser19, email="old@example.org", name="Old",
                                         valid_until=date(2026, 12, 31))
    withdrawn = services.invitation_create(mairie=mairie19, user=organiser19, email="w@example.org", name="W")
    services.invitation_revoke(invitation=withdrawn, user=organiser19)
    assert services.invitations_purge() == 0  # nothing ended 90 days ago
    monday.move_to(datetime(2027, 4, 2, 10, 0, tzinfo=ZoneInfo("Europe/Paris")))  # 91 days after the 31st
    assert services.invitations_purge() == 2  # the expired one, the one withdrawn on 7 December
    assert list(Invitation.objects.all()) == [invitation19]  # valid until 7 March, ended 26 days ago: kept
    assert Booking.objects.filter(invitation=invitation19).count() == 1
    settings.COWORKING_INVITATION_RETENTION_DAYS = 2
    call_command("purge_coworking_invitations", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not Invitation.objects.exists() and not Booking.objects.exists()
    assert job_named("purge_coworking_invitations").command == "purge_coworking_invitations"
    assert expired.pk and withdrawn.pk


def test_bookings_and_cancellings_are_rate_limited_per_invitation_and_per_account(cowork19, invitation19, agent19,
                                                                                  organiser19, mairie19, settings,
                                                                                  client19):
    settings.RATELIMITS = {**settings.RATELIMITS, "booking": "2/h"}
    path = f"/api/accueil/coworking/invitations/{invitation19.key}/bookings/"
    api = api_as(None)  # an invitee: no account
    assert api.post(path, {"space": cowork19.pk, "date": TUESDAY.isoformat(), "half": "am"},
                    format="json").status_code == 201
    booking = Booking.objects.get()
    assert api.post(f"{path}{booking.pk}/cancel/").status_code == 200
    refused = api.post(path, {"space": cowork19.pk, "date": TUESDAY.isoformat(), "half": "pm"}, format="json")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    html = client19.post(f"/accueil/coworking/invitation/{invitation19.key}/",
                                {"space": cowork19.pk, "date": TUESDAY.isoformat(), "half": "pm"})
    assert html.status_code == 429 and "Trop de" in html.content.decode()
    assert Booking.objects.filter(cancelled_at__isnull=True).count() == 0  # nothing saved past the limit
    other = services.invitation_create(mairie=mairie19, user=organiser19, email="b@example.org", name="Binta")
    assert api.post(f"/api/accueil/coworking/invitations/{other.key}/bookings/",
                    {"space": cowork19.pk, "date": TUESDAY.isoformat(), "half": "pm"}, format="json").status_code == 201
    agent_api = api_as(agent19)
    assert book(agent_api, cowork19).status_code == 201
    assert book(agent_api, cowork19).status_code == 409  # counted, then refused by the rule (already booked)
    assert book(agent_api, cowork19, day=SATURDAY).status_code == 429


def test_the_privacy_page_states_the_invitees_retention_from_the_setting(client19, settings):
    from django.urls import reverse

    assert "90 jours après la fin de l" in client19.get(reverse("privacy-policy")).content.decode()
    settings.COWORKING_INVITATION_RETENTION_DAYS = 30
    assert "30 jours après la fin de l" in client19.get(reverse("privacy-policy")).content.decode()


def test_occupai_does_not_schedule_an_event_over_desks_booked_in_the_lent_room(mairie19, site_ctx, agent19,
                                                                                organiser19, monday):
    from occupai.services import proposal_schedule

    salle = occ.space(mairie19, name="Salle des fêtes", capacity=200)
    call = occ.call_page(occ.index_page(site_ctx.homes["paris19"]), phase="selection", spaces=[salle])
    morning = occ.event_slot(call, day=1, hour=10, hours=2)
    lent = CoworkingSpace.objects.create(mairie=mairie19, name="Coworking salle des fêtes", capacity=10,
                                         occupai_space=salle)
    CoworkingDay.objects.create(space=lent, date=morning[0].date())
    services.booking_create(space=lent, day=morning[0].date(), half="am", user=agent19)
    bal, concert = occ.proposal(call, title="Bal"), occ.proposal(call, title="Concert")
    with pytest.raises(Conflict) as refused:
        proposal_schedule(actor=organiser19, proposal=bal, space=salle, starts_at=morning[0], ends_at=morning[1])
    assert refused.value.code == "occupied" and "1 poste réservé" in str(refused.value)
    assert not Event.objects.exists()
    evening = occ.event_slot(call, day=1, hour=19, hours=3)  # after the co-working's afternoon
    assert proposal_schedule(actor=organiser19, proposal=concert, space=salle, starts_at=evening[0],
                             ends_at=evening[1]).space == salle
