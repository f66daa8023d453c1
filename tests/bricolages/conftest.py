import pytest

from bricolages.services import StepInput
from tests.factories.bricolages import bricolage, csv_upload, png_upload


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    from bricolages.models import private_storage

    storage = private_storage()
    for name in ("base_location", "location"):
        storage.__dict__.pop(name, None)
    yield
    for name in ("base_location", "location"):
        storage.__dict__.pop(name, None)


@pytest.fixture
def queue_tool(agent19):
    """The 19e's queue spreadsheet: two steps (one with a picture) and a CSV template."""
    return bricolage(
        agent19, title="Tableur de file d'attente", tags=["état civil", "accueil"], tools=["Tableur"],
        steps=[StepInput(text="Ouvrir le modèle.", upload=png_upload(), alt="Une grille de tableur"),
               StepInput(text="Noter les arrivées.")],
        add_attachments=[csv_upload()],
    )
