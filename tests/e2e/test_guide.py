"""Le carnet du citoyen in a browser: a resident opens a carnet from a démarche of the guide, shares
it with the état civil; the agent of that service finds it among the carnets shared with them."""

from django.conf import settings

from guide import demo


def test_a_resident_opens_and_shares_a_carnet_and_the_agent_sees_it(e2e_ctx, page_as):
    demo.seed(e2e_ctx)
    resident = page_as("habitant", f"{e2e_ctx.url}/guide/devenir-majeur/acte-de-naissance/",
                       password=settings.DEMO_PASSWORD)
    resident.get_by_role("button", name="Ouvrir mon carnet pour cette démarche").click()
    resident.get_by_role("heading", name="Carnet du citoyen : Demander un acte de naissance").wait_for()
    resident.get_by_label("Partager avec le service").select_option(label="État civil")
    resident.get_by_role("button", name="Partager", exact=True).click()
    resident.get_by_text("Carnet partagé avec « État civil ».").wait_for()
    carnet_url = resident.url

    agent = page_as("agent", f"{e2e_ctx.url}/carnets/services/", password=settings.DEMO_PASSWORD)
    agent.get_by_role("link", name="Demander un acte de naissance").click()
    agent.wait_for_url(carnet_url)
    assert agent.get_by_role("heading", name="Carnet du citoyen : Demander un acte de naissance").is_visible()
