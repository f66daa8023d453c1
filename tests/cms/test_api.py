import json

from tests.factories import PASSWORD


def test_token_endpoint_exchanges_credentials_for_a_token(api19, resident19):
    response = api19.post("/api/auth/token/", {"username": "resident19", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    api19.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api19.get("/api/me/").json()
    assert me["username"] == "resident19" and me["mairie"] == "paris19" and me["roles"] == ["Habitants"]


def test_wrong_credentials_get_401_with_a_message(api19, resident19):
    response = api19.post("/api/auth/token/", {"username": "resident19", "password": "faux"}, format="json")
    assert response.status_code == 401
    assert response.json()["detail"]


def test_missing_fields_get_400_with_field_errors(api19, site_ctx):
    response = api19.post("/api/auth/token/", {"username": "x"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and "password" in body["errors"]


def test_malformed_json_gets_400(api19, site_ctx):
    response = api19.post("/api/auth/token/", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


def test_wrong_content_type_gets_415(api19, site_ctx):
    response = api19.post("/api/auth/token/", data="<x/>", content_type="application/xml")
    assert response.status_code == 415
    assert response.json()["detail"]


def test_anonymous_me_is_401_and_json(api19, site_ctx):
    response = api19.get("/api/me/")
    assert response.status_code in (401, 403)
    assert response.status_code == 401 or response.json()["code"] == "not_authenticated"


def test_unknown_api_url_is_a_json_404(api19, site_ctx):
    response = api19.get("/api/nulle-part/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content)["code"] == "not_found"


def test_unknown_page_is_an_html_404(client19):
    response = client19.get("/nulle-part/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_schema_and_docs_are_served_without_cdn(api19, site_ctx):
    schema = api19.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert "/api/auth/token/" in schema.json()["paths"]
    docs = api19.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger" in html.lower()
    assert "cdn" not in html.lower() and "unpkg" not in html.lower() and "jsdelivr" not in html.lower()


def test_wagtail_api_v2_lists_the_pages(api19, site_ctx):
    response = api19.get("/api/v2/pages/")
    assert response.status_code == 200
    titles = [item["title"] for item in response.json()["items"]]
    assert any("19e" in title for title in titles)


def test_api_root_lists_the_endpoints(api19, site_ctx):
    endpoints = api19.get("/api/").json()["endpoints"]
    assert {"pages", "token", "schema", "docs", "accueil-services", "guide-situations"} <= set(endpoints)


def test_no_endpoint_of_the_api_root_is_a_dead_link(api19, site_ctx):
    """On a mairie with its sections set up, each address the root lists exists: an anonymous GET
    gets its answer (200, or 400/401/403/405 where it needs a parameter, an account or another
    method), never a 404."""
    from urllib.parse import urlsplit

    from cms.mairie_setup import mairie_set_up

    mairie_set_up(mairie=site_ctx.mairies["paris19"])
    endpoints = api19.get("/api/").json()["endpoints"]
    answers = {name: api19.get(urlsplit(url).path).status_code for name, url in endpoints.items()}
    assert {name: status for name, status in answers.items() if status == 404 or status >= 500} == {}


def test_openapi_schema_is_valid_and_generates_without_warnings(db):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out, stderr=io.StringIO())
    assert "openapi: 3" in out.getvalue()
