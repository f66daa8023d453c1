"""Pictures are as private as what they illustrate: an agents-only bricolage's step image, a resident's
draft Bureau project photo and a hidden bricolage's image are neither listed by `/api/v2/images/` nor
served to those who may not see their page, and no Wagtail image file lies under the public
MEDIA_ROOT (the folder nginx serves). Every uploaded image loses its EXIF/GPS and camera tags,
original and renditions."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection

from bricolages.services import StepInput
from participation.bureau.models import Project, Status
from tests.conftest import api_as, client_as
from tests.factories import agent, organiser, resident
from tests.factories.bricolages import bricolage
from tests.factories.bureau import bureau_index

GPS_IFD = 0x8825
MAKE, MODEL, SOFTWARE, ORIENTATION = 0x010F, 0x0110, 0x0131, 0x0112
CAMERA = "Appareil-Espion-3000"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def gps_jpeg(name="photo.jpg", size=(64, 48)):
    """A JPEG as a phone writes it: camera make and model, and where it was taken (GPS IFD)."""
    exif = PILImage.Exif()
    exif[MAKE] = CAMERA
    exif[MODEL] = "Modèle X"
    exif[SOFTWARE] = "Firmware 1.2"
    exif[GPS_IFD] = {1: "N", 2: (48.0, 53.0, 1.5), 3: "E", 4: (2.0, 22.0, 47.0)}
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (200, 120, 30)).save(buffer, format="JPEG", exif=exif)
    data = buffer.getvalue()
    assert CAMERA.encode() in data  # the fixture really carries the tags
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def _assert_no_metadata(stored):
    stored.open("rb")
    data = stored.read()
    stored.close()
    assert CAMERA.encode() not in data and b"Firmware" not in data
    picture = PILImage.open(io.BytesIO(data))
    exif = picture.getexif()
    assert not exif.get_ifd(GPS_IFD) and MAKE not in exif and MODEL not in exif
    assert "exif" not in picture.info and "xmp" not in picture.info


def _under(path, root):
    return Path(root).resolve() in Path(path).resolve().parents


def _fetch(client, url):
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body


def _listed_ids(client):
    response = client.get("/api/v2/images/?limit=20")
    assert response.status_code == 200
    return {item["id"] for item in response.json()["items"]}


# --- metadata ---------------------------------------------------------------------------------


def test_an_uploaded_photo_keeps_no_gps_nor_camera_tags_in_its_original_and_renditions(mairie19, resident19):
    index = bureau_index(mairie19)
    response = client_as(resident19).post(f"{index.url}proposer/", {
        "title": "Un banc", "summary": "Pour souffler.", "role": "resident", "description": "Un banc à l'ombre.",
        "image": gps_jpeg(), "image_alt": "Le banc"})
    assert response.status_code == 302
    image = Project.objects.get().image
    _assert_no_metadata(image.file)
    assert image.file_size == image.file.size
    _assert_no_metadata(image.get_rendition("width-40").file)


def test_an_image_made_in_code_is_stripped_too(site_ctx):
    image = get_image_model().objects.create(title="Affiche", file=gps_jpeg())
    _assert_no_metadata(image.file)
    _assert_no_metadata(image.get_rendition("fill-20x20").file)


# --- bricolages: agents only ------------------------------------------------------------------


@pytest.fixture
def step_image(agent19):
    from tests.factories.bricolages import png_upload

    tool = bricolage(agent19, steps=[StepInput(text="Ouvrir le modèle.", upload=png_upload(), alt="Une grille")])
    return tool, tool.step_list[0]["image"]


def test_a_bricolage_step_image_is_neither_listed_nor_served_to_anonymous_and_residents(
        site_ctx, api19, client19, resident19, agent20, step_image, settings):
    _tool, image = step_image
    rendition = image.get_rendition("width-40")
    for path in (image.file.path, rendition.file.path):
        assert not _under(path, settings.MEDIA_ROOT) and _under(path, settings.PRIVATE_MEDIA_ROOT)
    for url in (image.file.url, rendition.url):
        assert not url.startswith(settings.MEDIA_URL)
    assert image.pk not in _listed_ids(api19)
    assert image.pk not in _listed_ids(api_as(resident19))
    assert api19.get(f"/api/v2/images/{image.pk}/").status_code == 404
    for client in (client19, client_as(resident19)):
        for url in (image.file.url, rendition.url):
            assert _fetch(client, url)[0] in (403, 404)
    status, body = _fetch(client_as(agent20), rendition.url)  # an agent of any mairie: the wiki is shared
    assert status == 200 and body.startswith(b"\x89PNG")
    assert _fetch(client_as(agent20), image.file.url)[0] == 200


def test_a_hidden_bricolage_image_is_served_only_to_the_organisers_of_its_mairie(site_ctx, mairie19, agent20,
                                                                                step_image):
    tool, image = step_image
    type(tool).objects.filter(pk=tool.pk).update(is_hidden=True)
    rendition = image.get_rendition("width-40")
    assert _fetch(client_as(agent20), rendition.url)[0] == 404
    assert _fetch(client_as(agent20), f"/bricolages/images/{image.pk}/etape/")[0] == 404
    assert _fetch(client_as(organiser(mairie19, username="org19")), rendition.url)[0] == 200


# --- the Bureau: a draft project's photo ------------------------------------------------------


def test_a_draft_project_photo_is_neither_listed_nor_served_to_others(site_ctx, mairie19, resident19, api19,
                                                                      client19, settings):
    index = bureau_index(mairie19)
    client_as(resident19).post(f"{index.url}proposer/", {
        "title": "Un banc", "summary": "Pour souffler.", "role": "resident", "description": "Un banc à l'ombre.",
        "image": gps_jpeg(), "image_alt": "Le banc"})
    project = Project.objects.get()
    assert project.status == Status.DRAFT
    image = project.image
    rendition = image.get_rendition("width-40")
    assert not _under(image.file.path, settings.MEDIA_ROOT)
    neighbour = resident(mairie19, username="voisine")
    other_organiser = organiser(site_ctx.mairies["paris20"], username="org20")
    for client in (api19, api_as(neighbour), api_as(agent(mairie19, username="agent-b"))):
        assert image.pk not in _listed_ids(client)
    for client in (client19, client_as(neighbour), client_as(other_organiser)):
        for url in (image.file.url, rendition.url):
            assert _fetch(client, url)[0] in (403, 404)
    for who in (resident19, organiser(mairie19, username="org19")):
        assert _fetch(client_as(who), rendition.url)[0] == 200

    # Published: everyone sees its photo; hidden by moderation: nobody but its author and organisers.
    Project.objects.filter(pk=project.pk).update(status=Status.UNDER_REVIEW, published_at=timezone.now())
    response = client19.get(rendition.url)
    assert response.status_code == 200 and "public" in response["Cache-Control"]
    Project.objects.filter(pk=project.pk).update(is_hidden=True)
    assert _fetch(client19, rendition.url)[0] == 404


# --- public images stay public ----------------------------------------------------------------


def test_an_editor_image_is_listed_and_served_to_anyone(site_ctx, api19, client19):
    root = Collection.get_first_root_node()
    image = get_image_model().objects.create(title="Affiche de la fête", file=gps_jpeg("affiche.jpg"),
                                             collection=root)
    assert image.pk in _listed_ids(api19)
    download = api19.get(f"/api/v2/images/{image.pk}/").json()["meta"]["download_url"]
    status, body = _fetch(client19, download)
    assert status == 200 and body.startswith(b"\xff\xd8")
    response = client19.get(image.get_rendition("width-40").url)
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"


def test_an_unknown_image_file_is_404(site_ctx, client19):
    assert client19.get("/images/original_images/nothing-here.jpg").status_code == 404
    assert client19.get("/images/../../etc/passwd").status_code == 404
