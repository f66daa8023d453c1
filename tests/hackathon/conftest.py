import datetime as dt

import pytest
import time_machine

from tests.factories import organiser

NOW = dt.datetime(2026, 5, 2, 10, 0, tzinfo=dt.UTC)  # when the Service lab tests happen (`clock`)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Scans go to a fresh private folder per test, never to MEDIA_ROOT."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def clock():
    """Time stands still at NOW; `clock.move_to(...)` moves it."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def organiser20(mairie20):
    return organiser(mairie20, username="organiser20")


SOURCE = "Les 5 numéros du tirage du Loto FDJ du lundi 4 mai 2026, dans l'ordre croissant, séparés par des espaces"
