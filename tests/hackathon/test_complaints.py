"""Complaints: recording, online submission, scans, acknowledgements, grouping, suggestions,
« moi aussi », and the retention purge."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from cms.errors import Conflict, NotAllowed
from hackathon import services
from hackathon.models import Complaint, ComplaintPersonalData, Letter, RecurringIssue
from participation import selectors as engine_selectors
from tests.factories import UserFactory, resident
from tests.factories.hackathon import ComplaintFactory, IssueFactory, fake_upload, pdf_upload, png_upload


def _record(agent, mairie, **kwargs):
    values = {"channel": "paper", "received_on": timezone.localdate(), "subject": "Justificatif refusé",
              "full_text": "Ma facture de portable a été refusée à l'accueil.", "contact_name": "Jeanne Privée",
              "contact_email": "jeanne@contact-prive.example", "postal_address": "3 rue Secrète\n75019 Paris"}
    values.update(kwargs)
    return services.complaint_record(actor=agent, mairie=mairie, **values)


def test_an_agent_records_a_letter_with_its_scan_in_private_storage(agent19, mairie19, settings):
    complaint = _record(agent19, mairie19, scan=pdf_upload())
    personal = complaint.personal
    path = Path(personal.scan.path)
    assert path.is_file() and str(path).startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not str(path).startswith(str(settings.MEDIA_ROOT))
    assert personal.scan_content_type == "application/pdf" and path.suffix == ".pdf"
    with pytest.raises(ValueError):
        personal.scan.url  # noqa: B018 - private files have no URL
    assert complaint.recorded_by == agent19 and complaint.channel == "paper"


def test_an_image_scan_is_checked_by_pillow_and_named_by_its_content(agent19, mairie19):
    complaint = _record(agent19, mairie19, scan=png_upload(name="lettre.pdf"))
    assert complaint.personal.scan_content_type == "image/png"
    assert complaint.personal.scan.name.endswith(".png")


@pytest.mark.parametrize("upload", [
    lambda: fake_upload(),
    lambda: fake_upload(name="scan.png", content=b"\x89PNG\r\n\x1a\n broken image"),
    lambda: fake_upload(name="vide.pdf", content=b""),
])
def test_a_scan_that_is_not_a_pdf_or_image_is_refused_and_nothing_saved(agent19, mairie19, upload):
    with pytest.raises(ValidationError) as exc:
        _record(agent19, mairie19, scan=upload())
    assert "scan" in exc.value.message_dict
    assert not Complaint.objects.exists() and not ComplaintPersonalData.objects.exists()


def test_a_scan_over_the_size_limit_is_refused(agent19, mairie19, settings):
    settings.COMPLAINT_SCAN_MAX_BYTES = 1024
    with pytest.raises(ValidationError, match="dépasse"):
        _record(agent19, mairie19, scan=pdf_upload(size=2048))
    assert not Complaint.objects.exists()


def test_recording_needs_text_or_scan_a_subject_and_a_past_date(agent19, mairie19):
    with pytest.raises(ValidationError):
        _record(agent19, mairie19, full_text="")
    with pytest.raises(ValidationError):
        _record(agent19, mairie19, subject="  ")
    with pytest.raises(ValidationError):
        _record(agent19, mairie19, received_on=timezone.localdate() + dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        _record(agent19, mairie19, contact_email="pas-un-email")
    assert not Complaint.objects.exists()
    assert _record(agent19, mairie19, full_text="", scan=pdf_upload()).pk


def test_only_agents_and_organisers_of_the_mairie_record_letters(mairie19, resident19, agent20, editor19,
                                                                 organiser19):
    for user in (resident19, agent20, editor19):
        with pytest.raises(NotAllowed):
            _record(user, mairie19)
    assert _record(organiser19, mairie19).pk


def test_the_author_is_acknowledged_by_email_after_commit(agent19, mairie19, on_commit, mailoutbox):
    with on_commit(execute=True):
        complaint = _record(agent19, mairie19)
    assert [m.to for m in mailoutbox] == [["jeanne@contact-prive.example"]]
    assert "bien reçu" in mailoutbox[0].body and f"n° {complaint.pk}" in mailoutbox[0].body
    assert ComplaintPersonalData.objects.get(pk=complaint.pk).acknowledged_at is not None


def test_no_acknowledgement_without_an_email(agent19, mairie19, on_commit, mailoutbox):
    with on_commit(execute=True):
        _record(agent19, mairie19, contact_email="")
    assert mailoutbox == []


def test_a_resident_submits_online_and_is_acknowledged_at_their_account_email(resident19, mairie19, on_commit,
                                                                            mailoutbox):
    with on_commit(execute=True):
        complaint = services.complaint_submit(user=resident19, mairie=mairie19, subject="Attente",
                                              full_text="Deux heures d'attente ce matin.")
    assert complaint.channel == Complaint.Channel.ONLINE and complaint.received_on == timezone.localdate()
    assert complaint.personal.author == resident19 and complaint.public_summary == ""
    assert [m.to for m in mailoutbox] == [[resident19.email]]


def test_anonymous_cannot_submit(mairie19):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAllowed):
        services.complaint_submit(user=AnonymousUser(), mairie=mairie19, subject="x", full_text="y")


def test_grouping_keeps_counts_exact_and_makes_the_author_follow(agent19, mairie19, resident19):
    first, second = IssueFactory(mairie=mairie19), IssueFactory(mairie=mairie19)
    complaint = services.complaint_submit(user=resident19, mairie=mairie19, subject="Bruit", full_text="Le bar.")
    services.complaint_group(actor=agent19, complaint=complaint, issue=first)
    assert RecurringIssue.objects.get(pk=first.pk).complaints_count == 1
    assert engine_selectors.is_following(resident19, first)
    services.complaint_group(actor=agent19, complaint=complaint, issue=second)
    assert RecurringIssue.objects.get(pk=first.pk).complaints_count == 0
    assert RecurringIssue.objects.get(pk=second.pk).complaints_count == 1
    services.complaint_group(actor=agent19, complaint=complaint, issue=None)
    assert RecurringIssue.objects.get(pk=second.pk).complaints_count == 0


def test_grouping_into_another_mairies_issue_is_refused(agent19, mairie19, mairie20):
    complaint = ComplaintFactory(mairie=mairie19)
    with pytest.raises(ValidationError):
        services.complaint_group(actor=agent19, complaint=complaint, issue=IssueFactory(mairie=mairie20))


def test_suggestions_find_the_issue_with_similar_complaints(agent19, mairie19):
    proof = services.issue_create(actor=agent19, mairie=mairie19, title="Justificatifs de domicile refusés")
    noise = services.issue_create(actor=agent19, mairie=mairie19, title="Bruit d'un bar la nuit")
    for text in ("Ma facture de téléphone portable refusée comme justificatif de domicile",
                 "Hébergée chez ma sœur, aucun justificatif de domicile accepté"):
        services.complaint_group(actor=agent19, complaint=_record(agent19, mairie19, full_text=text), issue=proof)
    services.complaint_group(actor=agent19, issue=noise, complaint=_record(
        agent19, mairie19, subject="Bruit", full_text="Musique forte du bar jusqu'à trois heures"))
    from hackathon.selectors import suggest_issues

    found = suggest_issues(mairie19, "Justificatif refusé : facture de portable pour mon domicile")
    assert found and found[0][0] == proof
    assert noise not in [issue for issue, _score in found]
    assert suggest_issues(mairie19, "") == []


def test_an_agent_writes_and_approves_the_public_summary(agent19, mairie19):
    complaint = services.complaint_submit(user=UserFactory(mairie=mairie19), mairie=mairie19, subject="x",
                                          full_text="y")
    assert not complaint.summary_is_public
    services.complaint_update(actor=agent19, complaint=complaint, public_summary="Attente trop longue.")
    complaint.refresh_from_db()
    assert complaint.summary_is_public and complaint.summary_approved_by == agent19


def test_me_too_counts_once_per_confirmed_account_of_the_mairie(mairie19, resident19, resident20):
    issue = IssueFactory(mairie=mairie19)
    ComplaintFactory(mairie=mairie19, issue=issue)
    assert services.me_too_add(user=resident19, issue=issue) == 1
    issue.refresh_from_db()
    assert (issue.complaints_count, issue.me_too_count, issue.recurrence) == (1, 1, 2)
    with pytest.raises(Conflict):
        services.me_too_add(user=resident19, issue=issue)
    with pytest.raises(NotAllowed):
        services.me_too_add(user=resident20, issue=issue)
    with pytest.raises(NotAllowed):
        services.me_too_add(user=resident(mairie19, email_confirmed=False), issue=issue)
    assert services.me_too_withdraw(user=resident19, issue=issue) == 0


def test_me_too_is_closed_on_solved_or_archived_issues(mairie19, resident19):
    from cms.errors import ServiceError

    with pytest.raises(ServiceError):
        services.me_too_add(user=resident19, issue=IssueFactory(mairie=mairie19, status="solved"))
    with pytest.raises(NotAllowed):
        services.me_too_add(user=resident19, issue=IssueFactory(mairie=mairie19, status="archived"))


def test_purge_erases_personal_data_after_retention_and_keeps_summary_and_counts(agent19, mairie19, settings):
    settings.COMPLAINT_RETENTION_DAYS = 30
    issue = IssueFactory(mairie=mairie19)
    old = _record(agent19, mairie19, received_on=timezone.localdate() - dt.timedelta(days=31), scan=pdf_upload(),
                  public_summary="Facture de portable refusée.", issue=issue)
    recent = _record(agent19, mairie19, received_on=timezone.localdate() - dt.timedelta(days=29), issue=issue)
    Letter.objects.create(mairie=mairie19, complaint=old, kind="draw", event_key="draw:1", subject="s", body="b")
    scan_path = Path(old.personal.scan.path)
    call_command("purge_complaints", stdout=open("/dev/null", "w"))  # noqa: SIM115
    old.refresh_from_db()
    assert not ComplaintPersonalData.objects.filter(pk=old.pk).exists() and not scan_path.exists()
    assert old.personal_data_purged_at is not None and old.public_summary == "Facture de portable refusée."
    assert not old.letters.exists()
    assert ComplaintPersonalData.objects.filter(pk=recent.pk).exists()
    assert RecurringIssue.objects.get(pk=issue.pk).complaints_count == 2
    assert services.complaints_purge() == 0  # idempotent


def test_purge_uses_the_default_retention_of_a_year(agent19, mairie19, settings):
    del settings.COMPLAINT_RETENTION_DAYS
    _record(agent19, mairie19, received_on=timezone.localdate() - dt.timedelta(days=364))
    assert services.complaints_purge() == 0
    assert services.complaints_purge(now=timezone.now() + dt.timedelta(days=2)) == 1
