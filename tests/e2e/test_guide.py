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


def test_an_agent_opens_one_without_account_the_person_reads_then_claims_it(e2e_ctx, page_as, new_page):
    """At the counter, for someone without an account: the sheet shows the code once; the person reads
    the carnet with it, then signs up, confirms their email and attaches the carnet to their account."""
    import re

    from django.core import mail

    demo.seed(e2e_ctx)
    agent = page_as("agent", f"{e2e_ctx.url}/carnets/guichet/", password=settings.DEMO_PASSWORD)
    agent.get_by_label("Démarche").select_option(label="Demander un acte de naissance")
    agent.get_by_label("La personne n'a pas de compte").check()
    agent.get_by_label("Prénom ou initiales (facultatif)").fill("Moussa")
    agent.get_by_label("La personne est d'accord pour que le carnet soit partagé avec mon service").check()
    agent.get_by_role("button", name="Ouvrir le carnet").click()
    agent.get_by_role("heading", name="Votre code pour retrouver ce carnet").wait_for()
    code = re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", agent.inner_text("main")).group(0)
    agent.reload()
    assert code not in agent.inner_text("main")  # shown once

    person = new_page()
    person.goto(f"{e2e_ctx.url}/carnets/code/")
    person.get_by_label("Code du carnet").fill(code.lower())
    person.get_by_role("button", name="Lire mon carnet").click()
    person.get_by_role("heading", name="Mon carnet : Demander un acte de naissance").wait_for()
    assert code not in person.url

    person.goto(f"{e2e_ctx.url}/")
    person.get_by_role("link", name="Créer un compte").click()
    person.get_by_label("Nom d'utilisateur", exact=True).fill("moussa")
    person.get_by_label("Adresse e-mail").fill("moussa@example.org")
    person.get_by_label("Mot de passe", exact=True).fill("un-long-mot-de-passe-2026")
    person.get_by_label("Mot de passe (confirmation)").fill("un-long-mot-de-passe-2026")
    person.get_by_role("button", name="Créer mon compte").click()
    person.get_by_role("heading", name="Vérifiez votre adresse e-mail").wait_for()
    link = re.search(r"https?://\S+/compte/e-mail/confirmer/[-:\w]+/", mail.outbox[-1].body).group(0)
    person.goto(link)
    person.get_by_role("button", name="Confirmer").click()
    person.get_by_role("navigation", name="Mon compte").wait_for()

    person.goto(f"{e2e_ctx.url}/carnets/rattacher/")
    person.get_by_label("Code du carnet").fill(code)
    person.get_by_role("button", name="Rattacher le carnet").click()
    person.get_by_role("heading", name="Carnet du citoyen : Demander un acte de naissance").wait_for()
    person.goto(f"{e2e_ctx.url}/carnets/")
    assert "Demander un acte de naissance" in person.inner_text("main")
