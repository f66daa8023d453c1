"""The HTML pages: residents propose and vote, organisers moderate and schedule, everyone reads
the programme. Forms work without JavaScript; errors come back on the page."""

from datetime import timedelta
from io import BytesIO

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from occupai.models import Event, Proposal
from participation.models import Support
from tests.conftest import HOST20, client_as
from tests.factories import occupai as f


def slot_data(call, day=1, start="18:00", end="20:00", prefix="creneaux"):
    day_value = (call.event_starts_on + timedelta(days=day)).isoformat()
    return {f"{prefix}-TOTAL_FORMS": "3", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MIN_NUM_FORMS": "3",
            f"{prefix}-MAX_NUM_FORMS": "5", f"{prefix}-0-day": day_value, f"{prefix}-0-start": start,
            f"{prefix}-0-end": end}


def form_data(call, **extra):
    return {"title": "Battle de hip-hop", "description": "Un cercle, un DJ.", "kind": "sport",
            "proposer_type": "collective", "proposer_name": "Flandre Breakers", "expected_audience": "150",
            "needs": ["sound"], **slot_data(call), **extra}


def test_home_page_links_to_the_occupai_section(client19, index19):
    html = client19.get("/").content.decode()
    assert 'href="/occupai/"' in html


def test_section_is_absent_on_a_mairie_without_occupai(client20, index19):
    assert 'href="/occupai/"' not in client20.get("/").content.decode()


def test_the_20e_does_not_serve_the_19e_call(client20, call_voting):
    assert client20.get(call_voting.site_path).status_code == 404


def test_call_page_lists_published_proposals_and_supports_left(call_voting, resident19):
    shown = f.proposal(call_voting, title="Repas de quartier")
    f.proposal(call_voting, title="En attente", status=Proposal.Status.SUBMITTED)
    html = client_as(resident19).get(call_voting.site_path).content.decode()
    assert "Repas de quartier" in html and "En attente" not in html
    assert "Il vous reste 3 soutiens sur 3." in html
    # The button posts to the engine's one HTML vote door, naming the proposal by its reference.
    assert 'action="/participer/soutenir/"' in html
    assert f'name="target" value="occupai.proposal:{shown.pk}"' in html


def vote(client, proposal, door="/participer/soutenir/"):
    """Post a card's vote button: the engine's door, back to the proposal's page."""
    return client.post(door, {"target": proposal.target_ref, "next": proposal.get_absolute_url()}, follow=True)


def test_voting_through_the_html_form(call_voting, resident19):
    proposal = f.proposal(call_voting)
    client = client_as(resident19)
    response = vote(client, proposal)
    assert response.redirect_chain[-1][0] == proposal.get_absolute_url()
    assert "Merci pour votre soutien ! Il vous reste 2 soutiens dans cet appel." in response.content.decode()
    assert Support.objects.filter(user=resident19).count() == 1
    response = vote(client, proposal, door="/participer/retirer-mon-soutien/")
    assert "Soutien retiré. Il vous reste 3 soutiens dans cet appel." in response.content.decode()
    assert not Support.objects.exists()


def test_html_vote_beyond_budget_shows_the_engine_message(call_voting, resident19):
    proposals = [f.proposal(call_voting) for _ in range(4)]
    client = client_as(resident19)
    for proposal in proposals[:3]:
        vote(client, proposal)
    response = vote(client, proposals[3])
    assert "Vous avez déjà utilisé vos 3 soutiens" in response.content.decode()
    assert Support.objects.count() == 3


def test_propose_requires_login(client19, call_submission):
    response = client19.get(call_submission.subpath("propose"))
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]


def test_resident_proposes_through_the_form(call_submission, resident19, spaces19):
    client = client_as(resident19)
    assert client.get(call_submission.subpath("propose")).status_code == 200
    data = form_data(call_submission, preferred_spaces=[spaces19["parvis"].pk], submit="1")
    response = client.post(call_submission.subpath("propose"), data)
    assert response.status_code == 302, response.context["form"].errors
    proposal = Proposal.objects.get()
    assert proposal.status == Proposal.Status.SUBMITTED and proposal.slots.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "En attente de validation" in page


def png(name="affiche.png"):
    buffer = BytesIO()
    Image.new("RGB", (40, 30), "orange").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_an_image_needs_its_description(call_submission, resident19):
    client = client_as(resident19)
    refused = client.post(call_submission.subpath("propose"), form_data(call_submission, image=png(), submit="1"))
    assert refused.status_code == 400 and "Décrivez l&#x27;image" in refused.content.decode()
    response = client.post(call_submission.subpath("propose"), form_data(
        call_submission, image=png(), image_alt="Une affiche orange", submit="1"))
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.image.name.startswith("occupai/propositions/")
    page = client.get(response["Location"]).content.decode()
    assert 'alt="Une affiche orange"' in page
    proposal.image.delete(save=False)


def test_a_file_that_is_not_an_image_is_refused(call_submission, resident19):
    fake = SimpleUploadedFile("affiche.png", b"not an image", content_type="image/png")
    response = client_as(resident19).post(call_submission.subpath("propose"), form_data(
        call_submission, image=fake, image_alt="x", submit="1"))
    assert response.status_code == 400
    assert not Proposal.objects.exists()


def test_saving_a_draft_through_the_form(call_submission, resident19):
    response = client_as(resident19).post(call_submission.subpath("propose"), form_data(call_submission, draft="1"))
    assert response.status_code == 302
    assert Proposal.objects.get().status == Proposal.Status.DRAFT


def test_form_errors_come_back_announced(call_submission, resident19):
    data = form_data(call_submission, expected_audience="0", submit="1", **slot_data(call_submission, day=-3))
    response = client_as(resident19).post(call_submission.subpath("propose"), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert 'role="alert"' in html
    assert not Proposal.objects.exists()


def test_slot_outside_the_period_is_reported_on_the_form(call_submission, resident19):
    data = form_data(call_submission, submit="1", **slot_data(call_submission, day=-3))
    response = client_as(resident19).post(call_submission.subpath("propose"), data)
    assert response.status_code == 400
    assert "sort de la période des événements" in response.content.decode()


def test_propose_page_refuses_outside_the_window(call_voting, resident19):
    response = client_as(resident19).get(call_voting.subpath("propose"))
    assert response.status_code == 400
    assert "fermé" in response.content.decode()


def test_pending_proposal_is_seen_by_its_author_only(call_submission, resident19, resident20, organiser19):
    proposal = f.proposal(call_submission, author=resident19, status=Proposal.Status.SUBMITTED)
    url = call_submission.subpath("proposal", proposal.pk)
    assert client_as(resident19).get(url).status_code == 200
    assert client_as(organiser19).get(url).status_code == 200
    assert client_as(resident20).get(url).status_code == 404


def test_author_edits_until_submission_closes(call_submission, resident19):
    proposal = f.proposal(call_submission, author=resident19, status=Proposal.Status.SUBMITTED)
    client = client_as(resident19)
    response = client.post(call_submission.subpath("proposal_edit", proposal.pk),
                           form_data(call_submission, title="Battle de breakdance", submit="1"))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.title == "Battle de breakdance"
    f.set_phase(call_submission, "voting")
    assert client.get(call_submission.subpath("proposal_edit", proposal.pk)).status_code == 400


def test_organiser_pages_are_for_the_mairies_organisers(call_submission, resident19, organiser19, other_organiser):
    url = call_submission.subpath("organise")
    assert client_as(resident19).get(url).status_code == 403
    assert client_as(other_organiser).get(url).status_code == 403
    assert client_as(organiser19).get(url).status_code == 200


def test_organiser_accepts_and_rejects_from_the_page(call_submission, organiser19):
    a = f.proposal(call_submission, status=Proposal.Status.SUBMITTED, title="Concert")
    b = f.proposal(call_submission, status=Proposal.Status.SUBMITTED, title="Vente")
    client = client_as(organiser19)
    page = client.get(call_submission.subpath("organise")).content.decode()
    assert "2 propositions à valider" in page
    client.post(call_submission.subpath("organise_action", a.pk, "accepter"))
    empty = client.post(call_submission.subpath("organise_action", b.pk, "refuser"), {f"r{b.pk}-reason": ""})
    assert empty.status_code == 400
    client.post(call_submission.subpath("organise_action", b.pk, "refuser"), {f"r{b.pk}-reason": "Payant"})
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == (Proposal.Status.ACCEPTED, Proposal.Status.REJECTED)


def test_resident_cannot_post_organiser_actions(call_submission, resident19):
    proposal = f.proposal(call_submission, status=Proposal.Status.SUBMITTED)
    response = client_as(resident19).post(call_submission.subpath("organise_action", proposal.pk, "accepter"))
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED


def schedule_data(prefix, space, start, end):
    return {f"{prefix}-space": space.pk, f"{prefix}-start": start.strftime("%Y-%m-%dT%H:%M"),
            f"{prefix}-end": end.strftime("%Y-%m-%dT%H:%M")}


def test_organiser_schedules_and_double_booking_comes_back_with_409(call_selection, organiser19, spaces19):
    from django.utils import timezone

    first = f.proposal(call_selection, title="Bal populaire")
    second = f.proposal(call_selection, title="Fanfare")
    client = client_as(organiser19)
    start, end = (timezone.localtime(t) for t in f.event_slot(call_selection, day=1))
    url = call_selection.subpath("organise_action", first.pk, "programmer")
    assert client.post(url, schedule_data(f"p{first.pk}", spaces19["parvis"], start, end)).status_code == 302
    response = client.post(call_selection.subpath("organise_action", second.pk, "programmer"),
                           schedule_data(f"p{second.pk}", spaces19["parvis"], start, end))
    assert response.status_code == 409
    html = response.content.decode()
    assert "est déjà réservé" in html and "Bal populaire" in html
    assert Event.objects.count() == 1


def test_programme_page_by_date_and_by_space_and_event_page(client19, call_selection, organiser19, spaces19):
    from occupai import services

    proposal = f.proposal(call_selection, title="Fanfare du canal")
    start, end = f.event_slot(call_selection, day=1)
    services.proposal_schedule(actor=organiser19, proposal=proposal, space=spaces19["parvis"], starts_at=start,
                               ends_at=end)
    programme = call_selection.subpath("programme")
    event_url = call_selection.subpath("event", proposal.pk)
    assert "Fanfare du canal" not in client19.get(programme).content.decode()
    assert client19.get(event_url).status_code == 404
    assert "Aperçu réservé" in client_as(organiser19).get(programme).content.decode()
    with time_machine.travel(call_selection.results_at, tick=False):
        by_date = client19.get(programme).content.decode()
        by_space = client19.get(programme, {"par": "espace"}).content.decode()
        event = client19.get(event_url).content.decode()
        agenda = client19.get(call_selection.get_parent().specific.subpath("agenda")).content.decode()
    assert "Fanfare du canal" in by_date and "Parvis avant" in by_space
    assert "Fanfare du canal" in event and call_selection.event_ics_path(proposal.pk) in event
    assert "Fanfare du canal" in agenda


def test_my_proposals_lists_drafts(call_submission, resident19, index19):
    f.proposal(call_submission, author=resident19, status=Proposal.Status.DRAFT, title="Mon brouillon")
    html = client_as(resident19).get(index19.subpath("my_proposals")).content.decode()
    assert "Mon brouillon" in html and "Brouillon" in html


def test_call_pages_are_not_reachable_on_the_20e_host_even_by_path(call_voting, resident20):
    assert client_as(resident20, host=HOST20).get(call_voting.subpath("propose")).status_code == 404


def test_call_page_shows_proposals_a_page_at_a_time_sorted_by_the_database(call_voting, client19):
    for n in range(30):
        f.proposal(call_voting, title=f"Proposition {n:02d}", slot=False)
    first = client19.get(call_voting.url).content.decode()
    assert "30 propositions publiées" in first
    assert "Proposition 00" in first and "Proposition 23" in first and "Proposition 24" not in first
    assert "Page 1 sur 2" in first
    second = client19.get(call_voting.url + "?tri=titre&page=2").content.decode()
    assert "Proposition 24" in second and "Proposition 29" in second and "Proposition 00" not in second
    assert client19.get(call_voting.url + "?page=abc").status_code == 200  # a bad page number: the first
