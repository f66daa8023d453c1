"""A proposal's photo is as private as its proposal and keeps nothing the camera wrote into it: it is
stored under PRIVATE_MEDIA_ROOT (owner-only), sent only by occupai.views.proposal_image to those who
may see the proposal (404 to everyone else), and stripped of its EXIF/GPS and camera tags at upload.
No public page, API answer or feed of Occupai links to /media/occupai/."""

import importlib
import io
import json
import os
import stat
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from occupai import services
from occupai.models import Proposal
from tests.conftest import api_as, client_as
from tests.factories import agent, editor, organiser, resident
from tests.factories import occupai as f
from tests.occupai.test_api import payload
from tests.occupai.test_views import form_data
from tests.security.test_image_privacy import _assert_no_metadata, gps_jpeg

API = "/api/occupai"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def _under(path, root):
    return Path(root).resolve() in Path(path).resolve().parents


def _fetch(client, url):
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def _with_photo(proposal):
    buffer = io.BytesIO()
    PILImage.new("RGB", (16, 12), "green").save(buffer, "PNG")
    proposal.image.save("affiche.png", ContentFile(buffer.getvalue()), save=False)
    proposal.image_alt = "Une affiche verte"
    proposal.save()
    return proposal


@pytest.fixture
def author19(mairie19):
    return resident(mairie19, username="autrice19")


@pytest.fixture
def outsiders(mairie19, mairie20, resident19):
    """Who must not see a pending or hidden proposal's photo: anonymous, another resident of the 19e,
    and the 20e's residents and staff."""
    return {"anonyme": None, "voisin19": resident19, "habitant20": resident(mairie20, username="voisine20"),
            "agent20": agent(mairie20, username="agente20"), "editeur20": editor(mairie20, username="editrice20"),
            "organisateur20": organiser(mairie20, username="organisatrice20")}


def _client(user, client19):
    return client19 if user is None else client_as(user)


# --- at upload --------------------------------------------------------------------------------


def test_a_photo_sent_with_the_form_is_stored_privately_without_gps_nor_camera_tags(
        call_submission, resident19, settings):
    response = client_as(resident19).post(call_submission.subpath("propose"), form_data(
        call_submission, image=gps_jpeg("IMG_rue_de_Crimee_chez_moi.jpg"), image_alt="Le parvis", submit="1"))
    assert response.status_code == 302, response.context["form"].errors
    stored = Proposal.objects.get().image
    _assert_no_metadata(stored)
    assert _under(stored.path, settings.PRIVATE_MEDIA_ROOT) and not _under(stored.path, settings.MEDIA_ROOT)
    assert stat.S_IMODE(os.stat(stored.path).st_mode) == 0o600
    assert "Crimee" not in stored.name  # the uploader's file name is not kept either
    assert not stored.url.startswith(settings.MEDIA_URL)


def test_a_photo_sent_to_the_api_is_stripped_and_linked_through_the_view(call_submission, resident19, settings):
    body = payload(call_submission, image=gps_jpeg(), image_alt="Le parvis")
    body["slots"] = json.dumps(body["slots"])
    response = api_as(resident19).post(f"{API}/proposals/", body, format="multipart")
    assert response.status_code == 201, response.json()
    proposal = Proposal.objects.get()
    _assert_no_metadata(proposal.image)
    url = response.json()["image"]
    assert "/media/" not in url and url.endswith(proposal.image.url)
    status_response, data = _fetch(client_as(resident19), url)  # a browser of the author's session
    assert status_response.status_code == 200 and data.startswith(b"\xff\xd8")


def test_a_picture_whose_metadata_cannot_be_removed_is_refused_and_nothing_is_saved(call_submission, resident19,
                                                                                     settings):
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), "red").save(buffer, "TIFF")
    tiff = SimpleUploadedFile("affiche.tiff", buffer.getvalue(), content_type="image/tiff")
    response = client_as(resident19).post(call_submission.subpath("propose"), form_data(
        call_submission, image=tiff, image_alt="Une affiche", submit="1"))
    assert response.status_code == 400
    assert "JPEG, PNG ou WebP" in response.content.decode()
    assert not Proposal.objects.exists()
    assert not any(Path(settings.PRIVATE_MEDIA_ROOT).rglob("*.tif*"))


def test_replacing_removing_or_deleting_a_photo_deletes_the_old_file(call_submission, resident19, on_commit):
    def create():
        return services.proposal_create(user=resident19, call=call_submission, submit=False, fields={
            "title": "Repas", "description": "Un repas.", "expected_audience": 20, "image": gps_jpeg(),
            "image_alt": "Une table"})

    with on_commit(execute=True):
        proposal = create()
    first = proposal.image.path
    with on_commit(execute=True):
        proposal = services.proposal_update(user=resident19, proposal=proposal,
                                            fields={"image": gps_jpeg("autre.jpg"), "image_alt": "Deux tables"})
    assert not Path(first).exists() and Path(proposal.image.path).exists()
    second = proposal.image.path
    with on_commit(execute=True):
        services.proposal_update(user=resident19, proposal=proposal, fields={"image": None, "image_alt": ""})
    assert not Path(second).exists()
    with on_commit(execute=True):
        draft = create()
    with on_commit(execute=True):
        services.proposal_delete(user=resident19, proposal=draft)
    assert not Path(draft.image.path).exists()


# --- who sees it ------------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["pending", "hidden"])
def test_a_pending_or_hidden_proposal_photo_is_served_only_to_its_author_and_the_mairie_organisers(
        state, call_voting, author19, organiser19, outsiders, client19):
    if state == "pending":
        proposal = f.proposal(call_voting, author=author19, status=Proposal.Status.SUBMITTED)
    else:
        proposal = f.proposal(call_voting, author=author19, is_hidden=True)
    url = _with_photo(proposal).image.url
    for name, user in outsiders.items():
        assert _fetch(_client(user, client19), url)[0].status_code == 404, name
    for user in (author19, organiser19):
        response, body = _fetch(client_as(user), url)
        assert response.status_code == 200 and body.startswith(b"\x89PNG")
        assert response["Cache-Control"] == "private, no-store"
        assert response["X-Content-Type-Options"] == "nosniff"


def test_a_draft_photo_is_served_to_its_author_alone(call_submission, author19, organiser19, client19):
    url = _with_photo(f.proposal(call_submission, author=author19, status=Proposal.Status.DRAFT)).image.url
    assert _fetch(client_as(author19), url)[0].status_code == 200
    assert _fetch(client_as(organiser19), url)[0].status_code == 404
    assert _fetch(client19, url)[0].status_code == 404


def test_a_published_proposal_photo_is_served_to_anyone_and_cacheable(call_voting, author19, client19, client20):
    url = _with_photo(f.proposal(call_voting, author=author19)).image.url
    for client in (client19, client20):
        response, body = _fetch(client, url)
        assert response.status_code == 200 and body.startswith(b"\x89PNG")
        assert response["Cache-Control"] == "public, max-age=3600"


def test_unknown_or_crafted_photo_names_answer_404(call_voting, author19, client19):
    url = _with_photo(f.proposal(call_voting, author=author19)).image.url
    folder = url.rsplit("/", 1)[0]
    for bad in ("0" * 32 + ".png", "..%2F..%2Fsettings.py", "%2E%2E/secret.png"):
        assert client19.get(f"{folder}/{bad}").status_code == 404
    assert client19.post(url).status_code == 405


# --- no public output links to the public media folder ----------------------------------------


def test_no_page_feed_nor_api_answer_of_occupai_links_to_the_public_media_folder(
        make_call, organiser19, spaces19, author19, client19, api19):
    call = make_call("selection", title="L'été de la mairie")
    proposal = _with_photo(f.proposal(call, author=author19, title="Battle de hip-hop"))
    services.proposal_schedule(actor=organiser19, proposal=proposal, space=spaces19["parvis"],
                               starts_at=f.event_slot(call, day=1)[0], ends_at=f.event_slot(call, day=1)[1])
    call = f.set_phase(call, "programme")
    proposal.refresh_from_db()
    urls = [call.subpath("proposal", proposal.pk), call.subpath("event", proposal.pk), call.subpath("programme"),
            call.programme_ics_path, call.event_ics_path(proposal.pk)]
    photo = proposal.image.url
    pages = [client19.get(url) for url in urls]
    answers = [api19.get(f"{API}/proposals/?call={call.pk}"), api19.get(f"{API}/proposals/{proposal.pk}/"),
               api19.get(f"{API}/calls/{call.pk}/programme/"), api19.get(f"{API}/events/")]
    for response in pages + answers:
        assert response.status_code == 200, response.request["PATH_INFO"]
        assert b"/media/occupai/" not in response.content, response.request["PATH_INFO"]
    assert photo.encode() in pages[0].content and photo.encode() in pages[1].content
    assert photo in answers[1].json()["image"]


# --- the data migration -----------------------------------------------------------------------


def test_the_migration_moves_public_photos_into_private_storage_and_strips_them(call_voting, author19, settings,
                                                                                client19):
    migration = importlib.import_module("occupai.migrations.0003_proposal_image_private")
    old_name = "occupai/propositions/2025/05/IMG_chez_moi.jpg"
    public = Path(settings.MEDIA_ROOT) / old_name
    public.parent.mkdir(parents=True)
    public.write_bytes(gps_jpeg().read())
    replaced = public.with_name("ancienne.jpg")  # a photo no proposal names any more
    replaced.write_bytes(b"old")
    proposal = f.proposal(call_voting, author=author19, image_alt="Le parvis")
    lost = f.proposal(call_voting, author=author19, image_alt="Disparue")
    Proposal.objects.filter(pk=proposal.pk).update(image=old_name)
    Proposal.objects.filter(pk=lost.pk).update(image="occupai/propositions/2025/05/absente.jpg")

    migration.forwards(apps, None)

    proposal.refresh_from_db()
    lost.refresh_from_db()
    assert not public.exists() and not replaced.exists() and not (Path(settings.MEDIA_ROOT) / "occupai/propositions").exists()
    assert (Path(settings.PRIVATE_MEDIA_ROOT) / "occupai/propositions-sans-proposition/2025/05/ancienne.jpg").is_file()
    assert proposal.image.name != old_name and "chez_moi" not in proposal.image.name
    assert _under(proposal.image.path, settings.PRIVATE_MEDIA_ROOT)
    assert stat.S_IMODE(os.stat(proposal.image.path).st_mode) == 0o600
    _assert_no_metadata(proposal.image)
    assert _fetch(client19, proposal.image.url)[0].status_code == 200
    assert not lost.image and lost.image_alt == ""  # a file already gone: nothing left to link to
