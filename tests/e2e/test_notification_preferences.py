"""In the browser: a resident chooses their notification emails on the account page, and anyone
holding an email unsubscribes in one click from its link or its List-Unsubscribe header, with no
session (issue 18)."""

import re
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.core import mail

from participation import preferences, services
from participation.notification_kinds import Delivery, Kind
from tests.e2e.conftest import login
from tests.factories.bureau import ProjectFactory


def test_a_resident_chooses_their_emails_on_the_account_page(e2e_ctx, new_page):
    page = new_page()
    login(page, e2e_ctx.url, "habitant", settings.DEMO_PASSWORD)
    page.wait_for_url("**/compte/")
    draw = page.get_by_role("group", name="Résultat du tirage au sort")
    draw.get_by_label("Jamais (sur le site seulement)").check()
    page.get_by_role("button", name="Enregistrer mes choix").click()
    page.get_by_text("Vos choix de notifications sont enregistrés.").wait_for()
    assert page.get_by_role("group", name="Résultat du tirage au sort").get_by_label(
        "Jamais (sur le site seulement)").is_checked()
    assert preferences.preferences_for(e2e_ctx.users["habitant"])[Kind.DRAW] == Delivery.NEVER


def test_one_click_unsubscribe_from_an_email_without_a_session(e2e_ctx, new_page):
    resident = e2e_ctx.users["habitant"]
    project = ProjectFactory(mairie=e2e_ctx.mairies["paris19"], author=resident, title="Des bancs rue de Crimée")
    mail.outbox.clear()
    services.notify_users(users=[resident], target=project, verb="status", title="Votre projet avance",
                          url=project.get_absolute_url())
    (message,) = mail.outbox
    link = re.match(r"<(\S+)>$", message.extra_headers["List-Unsubscribe"]).group(1)
    assert link in message.body

    page = new_page()  # no session: the link is the authority
    page.goto(link)
    page.get_by_role("heading", name="Se désabonner des e-mails").wait_for()
    assert "Décision sur ma proposition ou mon projet" in page.inner_text("main")
    assert preferences.preferences_for(resident)[Kind.DECISION] == Delivery.IMMEDIATE  # GET changes nothing
    page.get_by_role("button", name="Ne plus recevoir ces e-mails").click()
    page.get_by_text("C'est fait").wait_for()
    assert preferences.preferences_for(resident)[Kind.DECISION] == Delivery.NEVER

    # What a mail client does with the headers (RFC 8058): a bare POST, no cookie, no CSRF token.
    services.notification_preferences_update(user=resident, changes={Kind.DECISION: Delivery.IMMEDIATE})
    assert _mail_client_post(link) == 200
    assert preferences.preferences_for(resident)[Kind.DECISION] == Delivery.NEVER
    assert _mail_client_post(link[:-3] + "xx/") == 400


def _mail_client_post(link):
    """POST `List-Unsubscribe=One-Click` as a mail client would, to the loopback server with the link's Host."""
    parts = urlsplit(link)
    request = urllib.request.Request(f"http://127.0.0.1:{parts.port}{parts.path}", method="POST",
                                     data=b"List-Unsubscribe=One-Click",
                                     headers={"Host": parts.netloc,
                                              "Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (the test's own server)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
