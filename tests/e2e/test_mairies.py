"""Browser: an administrator adds a mairie in the Wagtail admin (« Mairies »); its home page presents
every section, and each one answers on the new mairie's own address."""

from cms.models import Mairie
from tests.factories import UserFactory


def test_an_administrator_adds_a_mairie_and_finds_its_sections(e2e_ctx, page_as, new_page):
    UserFactory(username="admin", is_superuser=True, is_staff=True)
    port = e2e_ctx.url.rsplit(":", 1)[1]
    page = page_as("admin", f"{e2e_ctx.url}/admin/mairies/new/")
    page.locator("#id_name").fill("Mairie du 18e arrondissement")  # its label « Nom » starts « Nom court » too
    page.get_by_label("Nom court").fill("18e")
    page.get_by_label("Identifiant").fill("paris18")
    page.get_by_label("Arrondissement").fill("18")
    page.get_by_label("Adresse du site").fill("paris18.localhost")
    page.get_by_role("spinbutton", name="Port").fill(port)
    page.get_by_label("Quartiers").fill("Montmartre\nLa Chapelle")
    page.get_by_role("button", name="Créer").click()
    page.get_by_text("Mairie du 18e arrondissement").first.wait_for()
    assert Mairie.objects.filter(slug="paris18").exists()

    visitor = new_page()
    home = f"http://paris18.localhost:{port}"
    visitor.goto(home + "/")
    links = {name: visitor.locator("main").get_by_role("link", name=name, exact=False).first.get_attribute("href")
             for name in ("Les 19 commandements", "Occupai", "Bureau de l", "Service lab")}
    for name, href in links.items():
        response = visitor.goto(home + href if href.startswith("/") else href)
        assert response.status == 200, (name, href)
        assert visitor.locator("h1").first.is_visible(), name
