"""A resident submits a project, an organiser accepts it, another resident supports and comments
on it, and the author sees the notification."""

from participation.bureau.models import Project, Status
from tests.factories import organiser, resident
from tests.factories.bureau import bureau_index


def test_project_lifecycle_in_the_browser(e2e_ctx, page_as):
    mairie = e2e_ctx.mairies["paris19"]
    index = bureau_index(mairie)
    resident(mairie, username="ines", display_name="Inès")
    organiser(mairie, username="orga")
    resident(mairie, username="malik", display_name="Malik")
    base = e2e_ctx.url
    bureau = f"{base}{index.get_url_parts()[2]}"

    page = page_as("ines", f"{bureau}proposer/")
    page.get_by_label("Titre").fill("Un potager sur le toit du gymnase")
    page.get_by_label("Votre projet en une phrase").fill("Cultiver des légumes avec les écoles.")
    page.get_by_label("Description", exact=True).fill("Des bacs, un composteur et des ateliers le mercredi.")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.get_by_role("button", name="Déposer le projet").click()
    page.get_by_text("Projet déposé !").wait_for()
    project = Project.objects.get(title="Un potager sur le toit du gymnase")
    assert project.status == Status.SUBMITTED

    orga = page_as("orga", f"{bureau}a-relire/")
    orga.get_by_role("link", name="Un potager sur le toit du gymnase").click()
    orga.get_by_label("Nouvelle étape").select_option("under_review")
    orga.get_by_label("Justification publique").fill("Bienvenue au Bureau : un agent vous contacte cette semaine.")
    orga.get_by_role("button", name="Publier la décision").click()
    orga.get_by_text("Décision publiée").wait_for()

    other = page_as("malik", f"{bureau}projets/{project.pk}/")
    other.get_by_text("Bienvenue au Bureau :").first.wait_for()
    other.get_by_role("button", name="Soutenir").click()
    other.get_by_text("Votre soutien est enregistré").wait_for()
    other.get_by_label("Votre commentaire").fill("J'ai des graines à partager !")
    other.get_by_role("button", name="Publier", exact=True).click()
    other.get_by_text("Votre commentaire est publié").wait_for()

    page.goto(f"{base}/notifications/")
    page.get_by_role("link", name="Nouveau commentaire sur « Un potager sur le toit du gymnase »").wait_for()
    assert "À l'étude" in page.inner_text("main")
    project.refresh_from_db()
    assert project.supports_count == 1 and project.comments_count == 1
