"""HTML pages: the forms call the same services; staff pages and the scan are permission-checked."""

import datetime as dt

import pytest

from hackathon.models import Complaint, Draw, Letter, Registration
from tests.conftest import HOST20, client_as
from tests.factories.hackathon import ComplaintFactory, IssueFactory, issue_with_complaints, pdf_upload

from .conftest import SOURCE

pytestmark = pytest.mark.usefixtures("clock")



def test_the_section_entry_works_for_each_mairie(client19, client20):
    for client in (client19, client20):
        response = client.get("/service-lab/")
        assert response.status_code == 200
        assert b'href="/service-lab/"' in client.get("/").content


def test_an_agent_records_a_letter_through_the_form(agent19, mairie19):
    client = client_as(agent19)
    assert client.get("/service-lab/agents/courriers/nouveau/").status_code == 200
    response = client.post("/service-lab/agents/courriers/nouveau/", {
        "received_on": "2026-04-30", "channel": "paper", "subject": "Justificatif refusé", "full_text": "",
        "scan": pdf_upload(), "contact_name": "Jeanne Privée", "postal_address": "3 rue Secrète"})
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"] == complaint.get_absolute_url()
    page = client.get(complaint.get_absolute_url())
    assert page.status_code == 200 and "Jeanne Privée" in page.content.decode()


def test_a_bad_form_answers_400_with_the_errors_and_saves_nothing(agent19):
    response = client_as(agent19).post("/service-lab/agents/courriers/nouveau/", {
        "received_on": "2026-04-30", "channel": "paper", "subject": "Sans texte ni scan"})
    assert response.status_code == 400 and b'role="alert"' in response.content
    assert not Complaint.objects.exists()


def test_the_scan_is_served_only_to_agents_and_organisers_of_the_mairie(agent19, organiser19, resident19,
                                                                         agent20, client19, mairie19):
    client_as(agent19).post("/service-lab/agents/courriers/nouveau/", {
        "received_on": "2026-04-30", "channel": "paper", "subject": "Scan", "scan": pdf_upload()})
    url = f"/service-lab/agents/courriers/{Complaint.objects.get().pk}/scan/"
    for user in (agent19, organiser19):
        response = client_as(user).get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        assert "no-store" in response["Cache-Control"]
    assert client_as(resident19).get(url).status_code == 403
    assert client19.get(url).status_code == 302  # to the login form
    assert client_as(agent20, host=HOST20).get(url).status_code == 404
    assert client_as(agent20).get(url).status_code == 403


def test_agents_pages_refuse_residents(resident19, mairie19):
    complaint = ComplaintFactory(mairie=mairie19)
    client = client_as(resident19)
    for url in ("/service-lab/agents/courriers/", complaint.get_absolute_url(), "/service-lab/agents/lettres/",
                "/service-lab/agents/sujets/nouveau/", "/service-lab/organisation/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert b"contact-prive" not in response.content


def test_grouping_and_creating_an_issue_from_the_complaint_page(agent19, mairie19):
    issue = IssueFactory(mairie=mairie19, title="Justificatifs de domicile")
    ComplaintFactory(mairie=mairie19, issue=issue, personal__full_text="justificatif domicile facture refusée")
    complaint = ComplaintFactory(mairie=mairie19, personal__full_text="facture refusée comme justificatif")
    client = client_as(agent19)
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert "Rattacher ici" in page and "Justificatifs de domicile" in page
    client.post(complaint.get_absolute_url(), {"action": "group", "issue": issue.pk})
    assert Complaint.objects.get(pk=complaint.pk).issue == issue
    other = ComplaintFactory(mairie=mairie19)
    client.post(other.get_absolute_url(), {"action": "new_issue", "title": "Nouveau sujet"})
    assert Complaint.objects.get(pk=other.pk).issue.title == "Nouveau sujet"
    client.post(other.get_absolute_url(), {"action": "edit", "public_summary": "Résumé validé."})
    assert Complaint.objects.get(pk=other.pk).summary_is_public


def test_a_resident_writes_online_and_says_me_too(resident19, mairie19, client19):
    assert client19.get("/service-lab/ecrire/").status_code == 302
    client = client_as(resident19)
    response = client.post("/service-lab/ecrire/", {"subject": "Bruit", "full_text": "Le bar, la nuit."})
    assert response.status_code == 302 and Complaint.objects.get().channel == "online"
    issue = issue_with_complaints(mairie19, 3)
    client.post(f"/service-lab/sujets/{issue.pk}/moi-aussi/")
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "3 courriers" in page and "1 habitant·e" in page and "Ne plus être compté·e" in page


def test_an_organiser_opens_and_runs_the_draw_and_anyone_reads_it(organiser19, mairie19, client19, clock):
    issue_with_complaints(mairie19, 3, title="Justificatifs de domicile")
    client = client_as(organiser19)
    bad = client.post("/service-lab/organisation/", {"month": "2026-05", "entropy_source": "dés"})
    assert bad.status_code == 400 and not Draw.objects.exists()
    response = client.post("/service-lab/organisation/", {"month": "2026-05", "entropy_source": SOURCE, "entropy_available_at": "2026-05-04T21:00"})
    draw = Draw.objects.get()
    assert response["Location"] == draw.get_absolute_url()
    assert client.post(f"/service-lab/tirages/{draw.pk}/tirer/", {"entropy_value": " "}).status_code == 400
    early = client.post(f"/service-lab/tirages/{draw.pk}/tirer/", {"entropy_value": "4 11 23 38 45"})
    assert early.status_code == 400 and "n&#x27;existe pas encore" in early.content.decode()
    clock.move_to(dt.datetime(2026, 5, 4, 22, 0, tzinfo=dt.UTC))
    client.post(f"/service-lab/tirages/{draw.pk}/tirer/", {"entropy_value": "4 11 23 38 45"})
    draw.refresh_from_db()
    page = client19.get(draw.get_absolute_url()).content.decode()
    assert draw.is_drawn and draw.seed in page and draw.list_hash in page and "Vérifié" in page
    assert "Justificatifs de domicile" in page and "Tirer au sort" not in page
    script = client19.get(f"/service-lab/tirages/{draw.pk}/verifier.py")
    assert script["Content-Disposition"].startswith("attachment") and draw.seed.encode() in script.content
    assert client19.get(f"/service-lab/tirages/{draw.pk}/liste.json").content == draw.record_json.encode()
    assert client19.get("/service-lab/tirages/").status_code == 200


def test_residents_cannot_run_a_draw(resident19, organiser19, mairie19):
    issue_with_complaints(mairie19, 3)
    client_as(organiser19).post("/service-lab/organisation/", {"month": "2026-05", "entropy_source": SOURCE, "entropy_available_at": "2026-05-04T21:00"})
    draw = Draw.objects.get()
    assert client_as(resident19).post(f"/service-lab/tirages/{draw.pk}/tirer/",
                                      {"entropy_value": "1"}).status_code == 403
    assert not Draw.objects.get().is_drawn


def test_session_registration_and_letters_through_pages(organiser19, agent19, resident19, mairie19, clock):
    issue = IssueFactory(mairie=mairie19)
    for _ in range(3):
        ComplaintFactory(mairie=mairie19, issue=issue, personal__contact_email="")
    client = client_as(organiser19)
    client.post("/service-lab/organisation/", {"month": "2026-05", "entropy_source": SOURCE, "entropy_available_at": "2026-05-04T21:00"})
    draw = Draw.objects.get()
    clock.move_to(dt.datetime(2026, 5, 4, 22, 0, tzinfo=dt.UTC))
    client.post(f"/service-lab/tirages/{draw.pk}/tirer/", {"entropy_value": "1 2 3 4 5"})
    response = client.post(f"/service-lab/tirages/{draw.pk}/journee/", {
        "title": "Hackathon", "starts_at": "2026-05-20T09:00", "ends_at": "2026-05-20T18:00",
        "place": "Salle des fêtes", "capacity": 1})
    session = draw.session
    assert response["Location"] == session.get_absolute_url()
    resident_client = client_as(resident19)
    resident_client.post(f"/service-lab/hackathons/{session.pk}/inscription/")
    assert Registration.objects.get().status == "confirmed"
    assert "Vous êtes inscrit·e" in resident_client.get(session.get_absolute_url()).content.decode()
    letters = client_as(agent19).get("/service-lab/agents/lettres/")
    assert letters.status_code == 200 and "Madame Privée" in letters.content.decode()
    letter = Letter.objects.first()
    pdf = client_as(agent19).get(f"/service-lab/agents/lettres/{letter.pk}/lettre.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    client_as(agent19).post(f"/service-lab/agents/lettres/{letter.pk}/envoyee/")
    assert Letter.objects.get(pk=letter.pk).sent_at is not None
    clock.move_to(dt.datetime(2026, 5, 21, 10, tzinfo=dt.UTC))
    client = client_as(organiser19)  # the earlier session cookie is more than two weeks old
    client.post(f"/service-lab/hackathons/{session.pk}/suite/", {"decision": "Factures de mobile acceptées",
                                                                  "carried_by": "État civil"})
    client.post(f"/service-lab/hackathons/{session.pk}/suite/etape/", {"status": "in_progress", "note": "Lancé"})
    page = client_as(resident19).get(session.get_absolute_url()).content.decode()
    assert "Factures de mobile acceptées" in page and "En cours" in page and "Lancé" in page


def test_objects_of_another_mairie_are_404_on_this_host(mairie20, client19):
    issue = issue_with_complaints(mairie20, 3)
    assert client19.get(issue.get_absolute_url()).status_code == 404
