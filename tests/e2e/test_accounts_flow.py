import re

from django.core import mail


def test_resident_signs_up_confirms_logs_in_and_sees_their_name(e2e_ctx, new_page):
    page = new_page()
    page.goto(f"{e2e_ctx.url}/")
    page.get_by_role("link", name="Créer un compte").click()
    page.get_by_label("Nom d'utilisateur").fill("nadia")
    page.get_by_label("Nom affiché (facultatif)").fill("Nadia du canal de l'Ourcq")
    page.get_by_label("Adresse e-mail").fill("nadia@example.org")
    page.get_by_label("Mot de passe", exact=True).fill("un-long-mot-de-passe-2026")
    page.get_by_label("Confirmez le mot de passe").fill("un-long-mot-de-passe-2026")
    page.get_by_role("button", name="Créer mon compte").click()
    page.get_by_role("heading", name="Vérifiez votre boîte e-mail").wait_for()

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/compte/confirmer/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    page.get_by_text("Votre adresse e-mail est confirmée").wait_for()

    # Log out, then log in again with the password.
    page.get_by_role("button", name="Se déconnecter").click()
    page.get_by_role("link", name="Se connecter").click()
    page.get_by_label("Nom d'utilisateur").fill("nadia")
    page.get_by_label("Mot de passe").fill("un-long-mot-de-passe-2026")
    page.get_by_role("button", name="Se connecter").click()
    account_nav = page.get_by_role("navigation", name="Mon compte")
    account_nav.get_by_role("link", name="Nadia du canal de l'Ourcq").click()
    page.get_by_role("heading", name="Bonjour Nadia du canal de l'Ourcq").wait_for()
    assert "confirmée" in page.inner_text("main")
