"""Explorations ("vis ma vie"): the services' rules and their refusals, with nothing half-saved."""

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bricolages.explorations import permissions, services
from bricolages.models import SEATS, BricolagePage, ExplorationApplication, ExplorationSummary, LogbookEntry
from cms.errors import Conflict, NotAllowed, ServiceError
from participation.models import Notification
from participation.waitlist import Waitlist
from tests.factories import agent
from tests.factories.bricolages import bricolage, png_upload
from tests.factories.explorations import accepted_exploration, exploration_day, move_day_to_the_past

Status = ExplorationApplication.Status
GOALS = "Comprendre comment le service organise l'accueil du public."


@pytest.fixture
def day(agent19):
    return exploration_day(agent19, capacity=1)


def _notified(user, verb):
    return Notification.objects.filter(user=user, verb=verb)


def test_hackathon_and_explorations_share_one_waiting_list_mechanism():
    from hackathon.models import SEATS as HACKATHON_SEATS

    assert isinstance(SEATS, Waitlist) and isinstance(HACKATHON_SEATS, Waitlist)
    assert type(SEATS).promote is type(HACKATHON_SEATS).promote


def test_agent_of_another_mairie_applies_and_is_accepted(day, agent19, agent20):
    application = services.exploration_apply(user=agent20, day=day, goals=GOALS)
    assert application.status == Status.CONFIRMED and not application.is_accepted
    assert _notified(agent19, "exploration_applied").exists()

    accepted = services.exploration_accept(actor=agent19, application=application)
    assert accepted.is_accepted and accepted.accepted_by == agent19
    note = _notified(agent20, "exploration_accepted").get()
    assert day.service in note.message and note.url == application.get_absolute_url()


def test_agent_may_explore_another_service_of_their_own_mairie(day, agent19, mairie19):
    colleague = agent(mairie19)
    assert services.exploration_apply(user=colleague, day=day, goals=GOALS).status == Status.CONFIRMED


def test_resident_may_not_apply_and_nothing_is_saved(day, resident19):
    with pytest.raises(NotAllowed) as refused:
        services.exploration_apply(user=resident19, day=day, goals=GOALS)
    assert refused.value.status_code == 403
    assert not ExplorationApplication.objects.exists()


def test_resident_may_not_offer_a_day(resident19):
    with pytest.raises(NotAllowed):
        exploration_day(resident19)


def test_applying_twice_is_refused_with_409(day, agent20):
    services.exploration_apply(user=agent20, day=day, goals=GOALS)
    with pytest.raises(Conflict) as refused:
        services.exploration_apply(user=agent20, day=day, goals="Encore")
    assert refused.value.status_code == 409 and refused.value.code == "already_applied"
    assert ExplorationApplication.objects.get().goals == GOALS


def test_a_full_day_puts_newcomers_on_the_waiting_list_in_order(day, agent20, mairie20):
    first = services.exploration_apply(user=agent20, day=day, goals=GOALS)
    second = services.exploration_apply(user=agent(mairie20), day=day, goals=GOALS)
    third = services.exploration_apply(user=agent(mairie20), day=day, goals=GOALS)
    assert (first.status, second.status, third.status) == (Status.CONFIRMED, Status.WAITING, Status.WAITING)
    assert [SEATS.position(a) for a in (first, second, third)] == [None, 1, 2]


def test_cancelling_gives_the_seat_to_the_first_waiting(day, agent19, agent20, mairie20):
    first = services.exploration_apply(user=agent20, day=day, goals=GOALS)
    services.exploration_accept(actor=agent19, application=first)
    waiting = services.exploration_apply(user=agent(mairie20), day=day, goals=GOALS)
    services.exploration_cancel(user=agent20, application=first)
    first.refresh_from_db()
    waiting.refresh_from_db()
    assert first.status == Status.CANCELLED and first.accepted_at is None
    assert waiting.status == Status.CONFIRMED and waiting.promoted_at is not None and not waiting.is_accepted
    assert _notified(waiting.agent, "exploration_promoted").exists()


def test_declining_frees_the_seat_and_the_declined_may_not_apply_again(day, agent19, agent20, mairie20):
    first = services.exploration_apply(user=agent20, day=day, goals=GOALS)
    waiting = services.exploration_apply(user=agent(mairie20), day=day, goals=GOALS)
    services.exploration_decline(actor=agent19, application=first)
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    with pytest.raises(Conflict) as refused:
        services.exploration_apply(user=agent20, day=day, goals=GOALS)
    assert refused.value.code == "declined"


def test_after_cancelling_an_agent_may_apply_again_at_the_end_of_the_queue(day, agent20, mairie20):
    first = services.exploration_apply(user=agent20, day=day, goals=GOALS)
    services.exploration_cancel(user=agent20, application=first)
    other = services.exploration_apply(user=agent(mairie20), day=day, goals=GOALS)
    again = services.exploration_apply(user=agent20, day=day, goals="Nouveaux objectifs")
    assert other.status == Status.CONFIRMED
    assert again.pk == first.pk and again.status == Status.WAITING and again.goals == "Nouveaux objectifs"


def test_applying_to_a_past_day_is_refused_with_400(day, agent20):
    move_day_to_the_past(day)
    with pytest.raises(ServiceError) as refused:
        services.exploration_apply(user=agent20, day=day, goals=GOALS)
    assert refused.value.status_code == 400 and refused.value.code == "day_past"
    assert not ExplorationApplication.objects.exists()


def test_goals_are_required(day, agent20):
    with pytest.raises(ValidationError) as refused:
        services.exploration_apply(user=agent20, day=day, goals="   ")
    assert "goals" in refused.value.message_dict
    assert not ExplorationApplication.objects.exists()


@pytest.mark.parametrize("change", [{"capacity": 0}, {"capacity": "3"}, {"date": None}, {"days_ahead": 0},
                                    {"service": ""}, {"place": "deux\nlignes"}, {"contact": ""}])
def test_bad_days_are_refused(agent19, change):
    from bricolages.models import ExplorationDay

    with pytest.raises(ValidationError):
        exploration_day(agent19, **change)
    assert not ExplorationDay.objects.exists()


def test_only_the_host_mairie_accepts_and_only_a_held_seat(day, agent19, agent20, mairie20):
    application = services.exploration_apply(user=agent20, day=day, goals=GOALS)
    waiting = services.exploration_apply(user=agent(mairie20), day=day, goals=GOALS)
    with pytest.raises(NotAllowed):
        services.exploration_accept(actor=agent(mairie20), application=application)
    with pytest.raises(NotAllowed):
        services.exploration_accept(actor=agent20, application=application)  # not their own
    with pytest.raises(Conflict):
        services.exploration_accept(actor=agent19, application=waiting)  # beyond capacity
    services.exploration_accept(actor=agent19, application=application)
    with pytest.raises(Conflict):
        services.exploration_accept(actor=agent19, application=application)


def test_only_the_visitor_cancels(day, agent19, agent20):
    application = services.exploration_apply(user=agent20, day=day, goals=GOALS)
    with pytest.raises(NotAllowed):
        services.exploration_cancel(user=agent19, application=application)
    services.exploration_cancel(user=agent20, application=application)
    with pytest.raises(Conflict):
        services.exploration_cancel(user=agent20, application=application)


# --- the logbook --------------------------------------------------------------------------------


@pytest.fixture
def exploration(day, agent19, agent20):
    return accepted_exploration(agent20, day, agent19)


def _stored_files(settings):
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_logbook_keeps_text_and_a_real_photo(exploration, agent20, settings):
    entry = services.logbook_add(user=agent20, application=exploration, text="Accueil à 8h30.",
                                 photo=png_upload("guichet.png"), photo_alt="Le guichet 3")
    assert entry.photo_type == "image/png" and entry.photo.name.endswith("guichet.png")
    assert len(_stored_files(settings)) == 1


def test_a_logbook_photo_that_is_not_an_image_is_refused_and_nothing_is_stored(exploration, agent20, settings):
    fake = SimpleUploadedFile("photo.png", b"MZ\x90\x00 an executable pretending", content_type="image/png")
    with pytest.raises(ValidationError) as refused:
        services.logbook_add(user=agent20, application=exploration, text="Note", photo=fake, photo_alt="x")
    assert "photo" in refused.value.message_dict
    assert not LogbookEntry.objects.exists() and _stored_files(settings) == []


def test_a_photo_needs_a_description(exploration, agent20, settings):
    with pytest.raises(ValidationError) as refused:
        services.logbook_add(user=agent20, application=exploration, text="Note", photo=png_upload())
    assert "photo_alt" in refused.value.message_dict
    assert not LogbookEntry.objects.exists() and _stored_files(settings) == []


def test_logbook_is_the_visitors_and_opens_once_accepted(day, agent19, agent20, mairie20):
    application = services.exploration_apply(user=agent20, day=day, goals=GOALS)
    with pytest.raises(Conflict):
        services.logbook_add(user=agent20, application=application, text="Trop tôt")
    services.exploration_accept(actor=agent19, application=application)
    for intruder in (agent19, agent(mairie20)):
        with pytest.raises(NotAllowed):
            services.logbook_add(user=intruder, application=application, text="Pas le mien")
    assert not LogbookEntry.objects.exists()


def test_the_host_sees_the_logbook_only_once_shared(exploration, agent19, agent20, mairie19, organiser19):
    services.logbook_add(user=agent20, application=exploration, text="Secret pour l'instant")
    assert permissions.user_can_view_logbook(agent20, exploration)
    assert not permissions.user_can_view_logbook(agent19, exploration)
    services.logbook_share(user=agent20, application=exploration)
    exploration.refresh_from_db()
    assert permissions.user_can_view_logbook(agent19, exploration)
    assert permissions.user_can_view_logbook(organiser19, exploration)  # staff of the host mairie
    assert not permissions.user_can_view_logbook(agent(exploration.agent.mairie), exploration)
    assert _notified(agent19, "exploration_logbook_shared").exists()
    with pytest.raises(Conflict):
        services.logbook_share(user=agent20, application=exploration)


def test_summary_is_published_after_the_day_and_a_bricolage_is_born_from_it(exploration, agent20, agent19):
    with pytest.raises(ServiceError) as refused:
        services.summary_publish(user=agent20, application=exploration, title="Ce que j'ai appris", text="Tout")
    assert refused.value.code == "too_early" and not ExplorationSummary.objects.exists()
    move_day_to_the_past(exploration.day)
    exploration.refresh_from_db()
    summary = services.summary_publish(user=agent20, application=exploration, title="Ce que j'ai appris",
                                       text="Le ticket d'attente papier marche mieux que l'écran.")
    tool = bricolage(agent19, title="Tickets d'attente papier")
    services.bricolage_born_from_set(user=agent20, bricolage=tool, summary=summary)
    assert list(summary.inspired_bricolages.all()) == [BricolagePage.objects.get(pk=tool.pk)]
    again = services.summary_publish(user=agent20, application=exploration, title="Titre revu", text="Texte revu")
    assert again.pk == summary.pk and ExplorationSummary.objects.count() == 1


def test_the_born_from_link_survives_a_new_revision(exploration, agent20, agent19):
    from bricolages import services as wiki
    from bricolages.services import BricolageInput

    move_day_to_the_past(exploration.day)
    exploration.refresh_from_db()
    summary = services.summary_publish(user=agent20, application=exploration, title="Appris", text="Beaucoup")
    tool = bricolage(agent19)
    services.bricolage_born_from_set(user=agent19, bricolage=tool, summary=summary)
    wiki.bricolage_update(user=agent19, bricolage=BricolagePage.objects.get(pk=tool.pk),
                          data=BricolageInput.from_page(tool, summary="Un résumé tout neuf"), change_note="Résumé")
    assert BricolagePage.objects.get(pk=tool.pk).born_from_id == summary.pk


def test_residents_may_not_link_a_bricolage(exploration, resident19, agent19):
    tool = bricolage(agent19)
    with pytest.raises(NotAllowed):
        services.bricolage_born_from_set(user=resident19, bricolage=tool, summary=None)


# --- reminders ---------------------------------------------------------------------------------


def test_reminders_the_day_before_and_the_logbook_after_are_sent_once(agent19, agent20):
    tomorrow = exploration_day(agent19, days_ahead=1)
    accepted_exploration(agent20, tomorrow, agent19)
    assert services.send_reminders() == {"day_before": 1, "logbook": 0}
    assert services.send_reminders() == {"day_before": 0, "logbook": 0}
    reminder = _notified(agent20, "exploration_reminder").get()
    assert tomorrow.contact in reminder.message

    later = timezone.now() + datetime.timedelta(days=2)
    assert services.send_reminders(now=later) == {"day_before": 0, "logbook": 1}
    assert services.send_reminders(now=later) == {"day_before": 0, "logbook": 0}
    assert _notified(agent20, "exploration_logbook_reminder").count() == 1


def test_no_reminder_for_applications_not_accepted(agent19, agent20):
    tomorrow = exploration_day(agent19, days_ahead=1)
    services.exploration_apply(user=agent20, day=tomorrow, goals=GOALS)
    assert services.send_reminders() == {"day_before": 0, "logbook": 0}


def test_demo_explorations_are_complete_and_idempotent(site_ctx):
    from bricolages import demo
    from bricolages.models import ExplorationDay

    demo.seed(site_ctx)
    counts = (ExplorationDay.objects.count(), ExplorationApplication.objects.count(), LogbookEntry.objects.count())
    demo.seed(site_ctx)
    assert (ExplorationDay.objects.count(), ExplorationApplication.objects.count(),
            LogbookEntry.objects.count()) == counts == (4, 4, 3)
    summary = ExplorationSummary.objects.get()
    assert summary.application.logbook_shared_at is not None
    assert summary.inspired_bricolages.filter(slug="demo-file-attente-ecran").exists()
    assert LogbookEntry.objects.exclude(photo="").count() == 1
    statuses = sorted(ExplorationApplication.objects.values_list("status", flat=True))
    assert statuses == ["confirmed", "confirmed", "confirmed", "waiting"]


def test_the_scheduled_command_sends_the_reminders(agent19, agent20):
    import io

    from django.core.management import call_command

    from cms.schedule import job_named

    accepted_exploration(agent20, exploration_day(agent19, days_ahead=1), agent19)
    out = io.StringIO()
    call_command(job_named("explorations_reminders").command, stdout=out)
    assert out.getvalue().startswith("1 reminder(s) for tomorrow")


def test_personal_data_export_and_account_deletion(day, agent19, agent20, mairie20, settings, on_commit):
    from cms.privacy import account_delete, export_user_data

    application = accepted_exploration(agent20, day, agent19, goals=GOALS)
    waiting = services.exploration_apply(user=agent(mairie20), day=day, goals=GOALS)
    services.logbook_add(user=agent20, application=application, text="Ma note", photo=png_upload(), photo_alt="x")
    exported = export_user_data(agent20)["explorations"]["explorations"]
    assert exported[0]["goals"] == GOALS and exported[0]["logbook"][0]["text"] == "Ma note"
    assert _stored_files(settings)
    with on_commit(execute=True):
        account_delete(user=agent20)
    assert not ExplorationApplication.objects.filter(agent=agent20).exists() and not LogbookEntry.objects.exists()
    assert _stored_files(settings) == []
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED  # the freed seat went to the first one waiting


def test_logbook_photos_are_stored_without_their_metadata(exploration, agent20):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "KarimPhone"  # camera make
    Image.new("RGB", (40, 30), (200, 10, 10)).save(buffer, format="JPEG", exif=exif)
    assert b"KarimPhone" in buffer.getvalue()
    upload = SimpleUploadedFile("bureau.jpg", buffer.getvalue(), content_type="image/jpeg")
    entry = services.logbook_add(user=agent20, application=exploration, text="Note", photo=upload, photo_alt="x")
    with entry.photo.open("rb") as stored:
        data = stored.read()
    assert b"KarimPhone" not in data and b"Exif" not in data
    assert Image.open(io.BytesIO(data)).size == (40, 30) and entry.photo_type == "image/jpeg"
