"""Open Bricolage: the services' rules and their refusals (409, 400, 403), with nothing
half-saved; the shared waiting list; notifications through the engine; the reminder; the demo."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bricolages.models import EditionFeedback, OpenBricolageEdition, Registration, Workshop
from bricolages.openbricolage import services
from bricolages.openbricolage.models import DAY_SEATS, WORKSHOP_SEATS
from cms.errors import Conflict, NotAllowed, ServiceError
from participation.models import Notification
from participation.notification_kinds import Kind, kind_of
from participation.waitlist import Waitlist
from tests.factories import agent, organiser
from tests.factories.bricolages import bricolage
from tests.factories.openbricolage import edition, move_edition_to_the_past, workshop

Status = Registration.Status


@pytest.fixture
def tool(agent19):
    return bricolage(agent19, title="Tableur de file d'attente")


@pytest.fixture
def day(organiser19):
    return edition(organiser19)


@pytest.fixture
def atelier(organiser19, day, tool):
    return workshop(organiser19, day, tool, capacity=1)


def test_registrations_use_the_shared_waiting_list_mechanism():
    from hackathon.models import SEATS as HACKATHON_SEATS

    assert isinstance(WORKSHOP_SEATS, Waitlist) and isinstance(DAY_SEATS, Waitlist)
    assert type(WORKSHOP_SEATS).promote is type(HACKATHON_SEATS).promote


def test_an_organiser_announces_an_edition_and_its_workshop_led_by_the_bricolage_s_author(day, atelier, agent19,
                                                                                         tool, mairie19):
    assert day.mairie == mairie19 and atelier.leader == agent19 and atelier.bricolage == tool
    assert list(day.workshops.all()) == [atelier]


def test_only_organisers_prepare_editions_and_workshops(agent19, resident19, day, tool):
    for user in (agent19, resident19):
        with pytest.raises(NotAllowed):
            edition(user, title="Pas autorisé")
        with pytest.raises(NotAllowed):
            workshop(user, day, tool)
    assert OpenBricolageEdition.objects.count() == 1 and not Workshop.objects.exists()


def test_the_host_mairie_s_organisers_edit_the_edition_another_mairie_s_may_not(day, mairie20, mairie19):
    with pytest.raises(NotAllowed):
        services.edition_update(actor=organiser(mairie20), edition=day, place="Préau du 20e")
    services.edition_update(actor=organiser(mairie19, username="orga19-bis"), edition=day, place="Préau du 19e")
    day.refresh_from_db()
    assert day.place == "Préau du 19e"


def test_bad_edition_input_is_refused_with_every_field_and_nothing_saved(organiser19):
    with pytest.raises(ValidationError) as refused:
        services.edition_create(actor=organiser19, title="", date=timezone.localdate(), place="Ici\nLà",
                                description="x", capacity=0)
    assert set(refused.value.message_dict) == {"title", "date", "place", "capacity"}
    assert not OpenBricolageEdition.objects.exists()


def test_a_workshop_needs_an_agent_leader_and_a_published_bricolage(organiser19, day, tool, resident19):
    with pytest.raises(ValidationError) as refused:
        workshop(organiser19, day, tool, leader=resident19)
    assert "leader" in refused.value.message_dict
    tool.unpublish()
    tool.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        workshop(organiser19, day, tool)
    assert "bricolage" in refused.value.message_dict
    assert not Workshop.objects.exists()


def test_agents_of_every_mairie_register_with_the_first_time_flag(day, atelier, agent20, agent19):
    registration = services.registration_create(user=agent20, edition=day, workshop=atelier, first_time=True)
    assert registration.status == Status.CONFIRMED and registration.first_time
    note = Notification.objects.get(user=agent20, verb="openbricolage_accepted")
    assert atelier.title in note.message and note.url == registration.get_absolute_url()
    assert kind_of("bricolages", "openbricolage_accepted") == Kind.EXCHANGES
    on_the_day = services.registration_create(user=agent19, edition=day)
    assert on_the_day.workshop is None and not on_the_day.first_time


def test_registering_twice_is_409_and_changes_nothing(day, atelier, agent20):
    services.registration_create(user=agent20, edition=day, workshop=atelier)
    with pytest.raises(Conflict) as refused:
        services.registration_create(user=agent20, edition=day, first_time=True)
    assert refused.value.status_code == 409 and refused.value.code == "already_registered"
    registration = Registration.objects.get()
    assert registration.workshop == atelier and not registration.first_time


def test_a_full_workshop_puts_on_the_waiting_list_and_a_cancel_promotes(day, atelier, agent19, agent20, mairie20):
    first = services.registration_create(user=agent20, edition=day, workshop=atelier)
    second = services.registration_create(user=agent19, edition=day, workshop=atelier)
    assert second.status == Status.WAITING and WORKSHOP_SEATS.position(second) == 1
    assert not Notification.objects.filter(user=agent19, verb="openbricolage_accepted").exists()
    services.registration_cancel(user=agent20, edition=day)
    second.refresh_from_db()
    first.refresh_from_db()
    assert first.status == Status.CANCELLED and second.status == Status.CONFIRMED
    assert "liste d'attente" in Notification.objects.get(user=agent19, verb="openbricolage_accepted").message


def test_a_full_day_puts_on_its_own_waiting_list(organiser19, agent19, agent20, atelier):
    small = edition(organiser19, capacity=1, title="Petite édition")
    assert services.registration_create(user=agent19, edition=small).status == Status.CONFIRMED
    assert services.registration_create(user=agent20, edition=small).status == Status.WAITING
    services.edition_update(actor=organiser19, edition=small, capacity=2)
    assert Registration.objects.get(agent=agent20).status == Status.CONFIRMED


def test_a_workshop_registration_does_not_take_a_seat_of_the_day(organiser19, tool, agent19, agent20):
    small = edition(organiser19, capacity=1, title="Petite édition")
    other = workshop(organiser19, small, tool, capacity=5)
    services.registration_create(user=agent19, edition=small, workshop=other)
    assert services.registration_create(user=agent20, edition=small).status == Status.CONFIRMED


def test_a_past_edition_refuses_registration_with_400(day, atelier, agent20):
    move_edition_to_the_past(day)
    with pytest.raises(ServiceError) as refused:
        services.registration_create(user=agent20, edition=day, workshop=atelier)
    assert refused.value.status_code == 400 and refused.value.code == "edition_past"
    assert not Registration.objects.exists()


def test_a_resident_may_not_register_and_nothing_is_saved(day, atelier, resident19):
    with pytest.raises(NotAllowed) as refused:
        services.registration_create(user=resident19, edition=day, workshop=atelier)
    assert refused.value.status_code == 403
    assert not Registration.objects.exists()


def test_a_workshop_of_another_edition_is_refused(organiser19, day, tool, agent20):
    other = workshop(organiser19, edition(organiser19, title="Autre"), tool)
    with pytest.raises(ValidationError):
        services.registration_create(user=agent20, edition=day, workshop=other)
    assert not Registration.objects.exists()


def test_capacity_below_the_seats_taken_is_refused(organiser19, day, atelier, agent20):
    services.registration_create(user=agent20, edition=day, workshop=atelier)
    other = workshop(organiser19, day, atelier.bricolage, capacity=3, title="Deuxième atelier")
    services.registration_create(user=agent(day.mairie), edition=day, workshop=other)
    services.registration_create(user=agent(day.mairie), edition=day, workshop=other)
    with pytest.raises(ValidationError):
        services.workshop_update(actor=organiser19, workshop=other, capacity=1)
    other.refresh_from_db()
    assert other.capacity == 3


def test_feedback_after_the_day_by_those_who_came(day, atelier, agent20, agent19):
    services.registration_create(user=agent20, edition=day, workshop=atelier)
    with pytest.raises(ServiceError) as refused:
        services.feedback_give(user=agent20, edition=day, rating=5, text="Super")
    assert refused.value.code == "too_early"
    move_edition_to_the_past(day)
    with pytest.raises(NotAllowed):
        services.feedback_give(user=agent19, edition=day, rating=5, text="Je n'y étais pas")
    with pytest.raises(ValidationError) as bad:
        services.feedback_give(user=agent20, edition=day, rating=6, text="")
    assert set(bad.value.message_dict) == {"rating", "text"}
    services.feedback_give(user=agent20, edition=day, rating=4, text="Très utile")
    services.feedback_give(user=agent20, edition=day, rating=5, text="Encore plus utile")
    assert EditionFeedback.objects.get().rating == 5


def test_the_reminder_goes_the_day_before_once_to_those_holding_a_seat(organiser19, tool, agent19, agent20):
    tomorrow = edition(organiser19, days_ahead=1)
    full = workshop(organiser19, tomorrow, tool, capacity=1)
    services.registration_create(user=agent20, edition=tomorrow, workshop=full)
    services.registration_create(user=agent19, edition=tomorrow, workshop=full)  # waiting: no reminder
    assert services.send_reminders() == 1
    assert services.send_reminders() == 0
    note = Notification.objects.get(verb="openbricolage_reminder")
    assert note.user == agent20 and full.title in note.message
    assert kind_of("bricolages", "openbricolage_reminder") == Kind.EXCHANGES


def test_the_reminder_job_is_scheduled():
    from cms.schedule import job_named

    assert job_named("openbricolage_reminders").command == "openbricolage_reminders"


def test_privacy_export_and_erase(day, atelier, agent20, agent19):
    from bricolages.openbricolage import privacy

    services.registration_create(user=agent20, edition=day, workshop=atelier, first_time=True)
    services.registration_create(user=agent19, edition=day, workshop=atelier)  # waits
    exported = privacy.export(agent20)["open_bricolage"]
    assert exported["registrations"][0]["first_time"] is True
    privacy.erase(agent20)
    assert not Registration.objects.filter(agent=agent20).exists()
    assert Registration.objects.get(agent=agent19).status == Status.CONFIRMED


def test_demo_seed_is_complete_and_idempotent(site_ctx):
    from bricolages import demo as wiki_demo
    from bricolages.openbricolage import demo

    wiki_demo.seed(site_ctx)
    counts = (OpenBricolageEdition.objects.count(), Workshop.objects.count(), Registration.objects.count(),
              EditionFeedback.objects.count())
    demo.seed(site_ctx)
    assert (OpenBricolageEdition.objects.count(), Workshop.objects.count(), Registration.objects.count(),
            EditionFeedback.objects.count()) == counts
    today = timezone.localdate()
    coming = OpenBricolageEdition.objects.get(date__gt=today)
    past = OpenBricolageEdition.objects.get(date__lt=today)
    assert coming.date.month == 4 and coming.date - today < datetime.timedelta(days=366)
    assert coming.workshops.count() == 3 and all(w.leader == w.bricolage.author for w in coming.workshops.all())
    assert past.feedback.count() == 2
