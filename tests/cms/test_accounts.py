import re

import pytest
from django.core import mail
from django.urls import reverse

from cms.models import User


def signup_data(**overrides):
    data = {"username": "lina", "display_name": "Lina", "email": "lina@example.org", "password1": "canal-ourcq-2026!",
            "password2": "canal-ourcq-2026!"}
    data.update(overrides)
    return data


def test_signup_creates_a_resident_of_the_chosen_mairie_and_sends_a_confirmation(client19, mairie19, on_commit):
    with on_commit(execute=True):
        response = client19.post(reverse("signup"), signup_data(mairie=mairie19.pk))
    assert response.status_code == 200
    user = User.objects.get(username="lina")
    assert user.mairie == mairie19
    assert not user.email_confirmed
    assert user.groups.filter(name="Habitants").exists()
    assert len(mail.outbox) == 1
    assert "confirmer" in mail.outbox[0].body


def test_confirmation_link_confirms_and_logs_in(client19, mairie19, on_commit):
    with on_commit(execute=True):
        client19.post(reverse("signup"), signup_data(mairie=mairie19.pk))
    link = re.search(r"/compte/confirmer/\S+/", mail.outbox[0].body).group(0)
    response = client19.get(link, follow=True)
    assert response.status_code == 200
    assert User.objects.get(username="lina").email_confirmed
    assert response.context["user"].username == "lina"


def test_tampered_confirmation_link_is_refused_with_400(client19, mairie19, on_commit):
    with on_commit(execute=True):
        client19.post(reverse("signup"), signup_data(mairie=mairie19.pk))
    link = re.search(r"/compte/confirmer/\S+/", mail.outbox[0].body).group(0)
    response = client19.get(link[:-3] + "xx/")
    assert response.status_code == 400
    assert "pas valide" in response.content.decode()
    assert not User.objects.get(username="lina").email_confirmed


def test_email_already_in_use_is_refused_and_nothing_is_saved(client19, mairie19, resident19):
    response = client19.post(reverse("signup"), signup_data(mairie=mairie19.pk, email=resident19.email.upper()))
    assert response.status_code == 400
    assert "existe déjà" in response.content.decode()
    assert not User.objects.filter(username="lina").exists()
    assert mail.outbox == []


@pytest.mark.parametrize("password", ["12345678901", "court", "lina-lina"])
def test_weak_password_is_refused(client19, mairie19, password):
    response = client19.post(reverse("signup"), signup_data(mairie=mairie19.pk, password1=password, password2=password))
    assert response.status_code == 400
    assert not User.objects.filter(username="lina").exists()
    assert 'aria-invalid="true"' in response.content.decode()


def test_mismatched_passwords_are_refused(client19, mairie19):
    response = client19.post(reverse("signup"), signup_data(mairie=mairie19.pk, password2="autre-chose-2026!"))
    assert response.status_code == 400
    assert "ne correspondent pas" in response.content.decode()


def test_login_and_logout(client19, resident19):
    from tests.factories import PASSWORD

    response = client19.post(reverse("login"), {"username": "resident19", "password": PASSWORD})
    assert response.status_code == 302
    assert client19.get(reverse("account")).status_code == 200
    client19.post(reverse("logout"))
    assert client19.get(reverse("account")).status_code == 302


def test_wrong_password_shows_a_clear_message(client19, resident19):
    response = client19.post(reverse("login"), {"username": "resident19", "password": "faux"})
    assert response.status_code == 200
    assert "incorrect" in response.content.decode()


def test_password_reset_sends_a_working_link(client19, resident19):
    response = client19.post(reverse("password_reset"), {"email": resident19.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/compte/mot-de-passe/nouveau/\S+/)", mail.outbox[0].body).group(1)
    response = client19.get(link, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client19.post(form_url, {"new_password1": "nouveau-secret-2026!", "new_password2": "nouveau-secret-2026!"})
    assert response.status_code == 302
    resident19.refresh_from_db()
    assert resident19.check_password("nouveau-secret-2026!")


def test_post_without_csrf_token_is_refused_with_a_message(mairie19):
    from django.test import Client

    client = Client(enforce_csrf_checks=True, HTTP_HOST="paris19.localhost")
    response = client.post(reverse("signup"), signup_data(mairie=mairie19.pk))
    assert response.status_code == 403
    assert "expiré" in response.content.decode()
    assert not User.objects.filter(username="lina").exists()
