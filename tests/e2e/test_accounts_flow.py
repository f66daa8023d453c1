"""Accounts in a real browser (django-allauth): sign-up, the confirmation email read from the test outbox,
login by email, a new confirmation link, an email change, and a staff member's login with a second factor
(TOTP computed with pyotp) reaching the Wagtail admin, refused without it."""

import copy
import re

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core import mail

from cms.models import User
from cms.settings.base import franceconnect_origin
from tests.e2e.test_accessibility import audit, watch
from tests.factories import PASSWORD, agent, resident

CONFIRM = r"https?://\S+/compte/e-mail/confirmer/[-:\w]+/"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def fill_login(page, login, password):
    page.get_by_label("Nom d'utilisateur ou adresse e-mail").fill(login)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_role("button", name="Se connecter").click()


def test_resident_signs_up_confirms_and_logs_in_by_email(e2e_ctx, new_page):
    page = new_page()
    page.goto(f"{e2e_ctx.url}/")
    page.get_by_role("link", name="Créer un compte").click()
    page.get_by_label("Nom d'utilisateur", exact=True).fill("nadia")
    page.get_by_label("Nom affiché (facultatif)").fill("Nadia du canal de l'Ourcq")
    page.get_by_label("Adresse e-mail").fill("nadia@example.org")
    page.get_by_label("Mot de passe", exact=True).fill("un-long-mot-de-passe-2026")
    page.get_by_label("Mot de passe (confirmation)").fill("un-long-mot-de-passe-2026")
    page.get_by_role("button", name="Créer mon compte").click()
    page.get_by_role("heading", name="Vérifiez votre adresse e-mail").wait_for()

    assert len(mail.outbox) == 1
    page.goto(re.search(CONFIRM, mail.outbox[0].body).group(0))
    page.get_by_role("button", name="Confirmer").click()
    account_nav = page.get_by_role("navigation", name="Mon compte")
    account_nav.get_by_role("link", name="Nadia du canal de l'Ourcq").wait_for()
    assert User.objects.get(username="nadia").email_confirmed

    page.get_by_role("button", name="Se déconnecter").click()
    page.get_by_role("link", name="Se connecter").click()
    fill_login(page, "nadia@example.org", "un-long-mot-de-passe-2026")
    account_nav.get_by_role("link", name="Nadia du canal de l'Ourcq").click()
    page.get_by_role("heading", name="Bonjour Nadia du canal de l'Ourcq").wait_for()
    assert "confirmée" in page.inner_text("main")


def test_an_unconfirmed_resident_gets_a_new_link_then_changes_their_email(e2e_ctx, new_page):
    resident(e2e_ctx.mairies["paris19"], username="ines", email="ines@example.org", email_confirmed=False)
    page = new_page()
    page.goto(f"{e2e_ctx.url}/compte/connexion/")
    fill_login(page, "ines", PASSWORD)
    page.get_by_role("heading", name="Vérifiez votre adresse e-mail").wait_for()
    page.goto(re.search(CONFIRM, mail.outbox[-1].body).group(0))
    page.get_by_role("button", name="Confirmer").click()
    page.get_by_role("heading", name=re.compile("^Bonjour")).wait_for()

    page.get_by_role("link", name="Changer mon adresse e-mail").click()
    page.get_by_label("Changer pour").fill("ines.nouvelle@example.org")
    page.get_by_role("button", name="Changer d'e-mail").click()
    assert mail.outbox[-1].to == ["ines.nouvelle@example.org"]
    assert User.objects.get(username="ines").email == "ines@example.org"  # until the new one is confirmed
    page.goto(re.search(CONFIRM, mail.outbox[-1].body).group(0))
    page.get_by_role("button", name="Confirmer").click()
    page.goto(f"{e2e_ctx.url}/compte/")
    assert "ines.nouvelle@example.org" in page.inner_text("main")


@pytest.fixture
def second_factor_on(settings):
    settings.MFA_REQUIRED_FOR_STAFF = True


def test_staff_logs_in_with_totp_and_reaches_the_admin(e2e_ctx, new_page, second_factor_on):
    staff = agent(e2e_ctx.mairies["paris19"], username="sofiane")
    TOTP.activate(staff, SECRET)
    page = new_page()
    problems = watch(page)
    page.goto(f"{e2e_ctx.url}/admin/")
    fill_login(page, "sofiane", PASSWORD)
    assert audit(page) == []  # the second factor's page (axe-core), reached only in the middle of a login
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Connexion").click()
    page.get_by_role("alert").wait_for()
    assert "/compte/double-authentification/" in page.url  # the password alone opens nothing
    page.get_by_label("Code").fill(pyotp.TOTP(SECRET).now())
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(re.compile(r".*/admin/$"))
    assert page.get_by_role("main").is_visible()
    assert problems == []


def test_staff_without_a_second_factor_is_sent_to_set_one_up(e2e_ctx, new_page, second_factor_on):
    agent(e2e_ctx.mairies["paris19"], username="lucie")
    page = new_page()
    page.goto(f"{e2e_ctx.url}/compte/connexion/")
    fill_login(page, "lucie", PASSWORD)
    page.goto(f"{e2e_ctx.url}/admin/")
    assert "/compte/" in page.url and "/admin/" not in page.url
    assert "double authentification" in page.inner_text("body")
    if "confirmer-mon-identite" in page.url:  # allauth asks for the password before a security change
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Confirmer").click()
    page.get_by_role("heading", name=re.compile("application d'authentification", re.I)).wait_for()
    assert audit(page) == []  # the set-up page, with its QR code and secret


def test_a_resident_logs_in_with_franceconnect_and_chooses_their_mairie(e2e_ctx, new_page, settings, oidc_server):
    settings.SOCIALACCOUNT_PROVIDERS = {"franceconnect": {"APPS": [{
        "client_id": oidc_server.client_id, "secret": oidc_server.client_secret,
        "settings": {"server_url": oidc_server.issuer, "token_auth_method": "client_secret_post"}}]}}
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"].append(franceconnect_origin(oidc_server.issuer))  # as the settings do
    settings.CONTENT_SECURITY_POLICY = policy
    oidc_server.set_next_login(sub="fc-amadou", email="amadou@example.org", given_name="Amadou", family_name="Diallo")
    page = new_page()
    page.goto(f"{e2e_ctx.url}/compte/connexion/")
    page.get_by_role("link", name="S'identifier avec FranceConnect").click()
    page.get_by_role("button", name="Continuer").click()  # a POST: no login starts from a bare link
    assert audit(page) == []  # the form a first FranceConnect login fills
    page.get_by_label("Nom d'utilisateur", exact=True).fill("amadou")
    page.get_by_label("Ma mairie").select_option(label="Mairie du 20e arrondissement")
    page.get_by_role("button", name=re.compile("inscri|Création", re.I)).click()
    page.get_by_role("navigation", name="Mon compte").get_by_role("link", name="Amadou Diallo").wait_for()
    user = User.objects.get(username="amadou")
    assert (user.mairie.slug, user.email_confirmed) == ("paris20", True)
