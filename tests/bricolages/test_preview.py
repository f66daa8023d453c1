"""Wagtail's admin preview of a bricolage renders the agents' page (its one Wagtail route)."""

from django.test import RequestFactory

from tests.conftest import HOST19, client_as
from tests.factories.bricolages import bricolage


def _preview(page, user):
    cookies = client_as(user).cookies
    request = RequestFactory(HTTP_HOST=HOST19).get(
        "/admin/", HTTP_COOKIE="; ".join(f"{key}={morsel.value}" for key, morsel in cookies.items()))
    return page.make_preview_request(original_request=request, preview_mode=page.default_preview_mode)


def test_an_agent_previews_a_bricolage_as_its_page(agent19):
    page = bricolage(agent19, title="Tableur de file d'attente")
    response = _preview(page, agent19)
    html = response.content.decode()
    assert response.status_code == 200 and "Tableur de file d&#x27;attente" in html


def test_wagtail_serving_a_bricolage_page_redirects_to_the_agents_url(agent19):
    page = bricolage(agent19, title="Tableur")
    response = page.serve(RequestFactory(HTTP_HOST=HOST19).get("/"))
    assert response.status_code == 302 and response["Location"] == page.get_absolute_url()
