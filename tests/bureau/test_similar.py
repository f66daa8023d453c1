"""Similar projects, on the demo's Bureau: the threshold is half of the significant words of the title
being written (selectors.SIMILAR_SHARE), so a one-word title finds the projects holding that word."""

import pytest

from participation.bureau import demo as bureau_demo
from participation.bureau.selectors import SIMILAR_SHARE

URL = "/api/bureau/projects/similar/"
COMPOSTEUR = "Un composteur partagé au square de la Villette"  # the demo's project


@pytest.fixture
def demo_bureau(site_ctx):
    bureau_demo.seed(site_ctx)


def _titles(api, title, text=""):
    response = api.get(URL, {"title": title, "text": text})
    assert response.status_code == 200
    return [project["title"] for project in response.json()]


@pytest.mark.parametrize("title", ["Composteur", "composteur", "Des composteurs partagés", "Un COMPOSTEUR"])
def test_a_single_word_finds_the_demo_project(api19, demo_bureau, title):
    assert COMPOSTEUR in _titles(api19, title)


def test_the_threshold_is_half_of_the_title_words(api19, demo_bureau):
    assert SIMILAR_SHARE == 0.5
    assert COMPOSTEUR in _titles(api19, "Composteur pour la Villette")  # 2 of 2
    assert COMPOSTEUR in _titles(api19, "Composteur et ruches")  # 1 of 2
    assert COMPOSTEUR not in _titles(api19, "Composteur, ruches et nichoirs")  # 1 of 3
    assert COMPOSTEUR in _titles(api19, "Composteur, ruches et square")  # 2 of 3
    assert _titles(api19, "Trampoline") == []
    assert _titles(api19, "le la les") == []  # stop words only: nothing to compare
