"""Accounts through django-allauth, as a newcomer meets them: sign-up with the home mairie, the confirmation
link, login by username or email, logout by POST, password reset, email change; and the refusals."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from cms.models import User
from tests.factories import PASSWORD, resident

CONFIRM_LINK = r"https?://[^/\s]+(/compte/e-mail/confirmer/[-:\w]+/)"


def signup_data(**overrides):
    data = {"username": "lina", "display_name": "Lina", "email": "lina@example.org", "password1": "canal-ourcq-2026!",
            "password2": "canal-ourcq-2026!"}
    data.update(overrides)
    return data


def confirmation_link(message):
    return re.search(CONFIRM_LINK, message.body).group(1)


def test_signup_page_offers_the_mairie_of_the_site(client19, mairie19):
    response = client19.get(reverse("signup"))
    assert response.status_code == 200
    assert response.context["form"]["mairie"].value() == mairie19.pk
    assert 'name="display_name"' in response.content.decode()


def test_signup_creates_a_resident_of_the_chosen_mairie_and_sends_a_confirmation(client19, mairie19):
    response = client19.post(reverse("signup"), signup_data(mairie=mairie19.pk))
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get(username="lina")
    assert (user.mairie, user.display_name, user.email_confirmed) == (mairie19, "Lina", False)
    assert user.groups.filter(name="Habitants").exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lina@example.org"]
    assert mairie19.name in mail.outbox[0].body  # in the mairie's name, not django.contrib.sites'
    assert "example.com" not in mail.outbox[0].body
    assert confirmation_link(mail.outbox[0]).startswith("/compte/e-mail/confirmer/")
    assert "paris19.localhost" in mail.outbox[0].body


def test_confirmation_link_confirms_by_post_and_logs_in(client19, mairie19):
    client19.post(reverse("signup"), signup_data(mairie=mairie19.pk))
    link = confirmation_link(mail.outbox[0])
    page = client19.get(link)
    assert page.status_code == 200 and 'method="post"' in page.content.decode()  # a GET changes nothing
    assert not User.objects.get(username="lina").email_confirmed
    response = client19.post(link, follow=True)
    assert response.status_code == 200
    assert User.objects.get(username="lina").email_confirmed
    assert response.context["user"].username == "lina"


def test_tampered_confirmation_link_says_so_and_confirms_nothing(client19, mairie19):
    client19.post(reverse("signup"), signup_data(mairie=mairie19.pk))
    link = confirmation_link(mail.outbox[0])
    tampered = link[:-4] + "xyz/"
    assert "expiré ou n'est pas valide" in client19.get(tampered).content.decode()
    response = client19.post(tampered)
    assert response.status_code in (302, 404)
    assert not User.objects.get(username="lina").email_confirmed


def test_a_used_confirmation_link_is_not_a_way_in(mairie19):
    first = Client(HTTP_HOST="paris19.localhost")
    first.post(reverse("signup"), signup_data(mairie=mairie19.pk))
    link = confirmation_link(mail.outbox[0])
    first.post(link)
    stranger = Client(HTTP_HOST="paris19.localhost")
    stranger.post(link)
    assert stranger.get(reverse("account")).status_code == 302  # still anonymous: to the login page


def test_signup_with_an_email_in_use_looks_the_same_and_tells_only_the_owner(client19, mairie19, resident19):
    response = client19.post(reverse("signup"), signup_data(mairie=mairie19.pk, email=resident19.email.upper()))
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")  # as for a new address
    assert not User.objects.filter(username="lina").exists()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [resident19.email.lower()]
    assert "/compte/e-mail/confirmer/" not in mail.outbox[0].body  # a warning, not a second account's link
    assert reverse("password_reset") in mail.outbox[0].body


@pytest.mark.parametrize("password", ["12345678901", "court", "lina-lina"])
def test_weak_password_is_refused_with_400(client19, mairie19, password):
    response = client19.post(reverse("signup"), signup_data(mairie=mairie19.pk, password1=password, password2=password))
    assert response.status_code == 400
    assert not User.objects.filter(username="lina").exists()
    assert 'aria-invalid="true"' in response.content.decode()


def test_mismatched_passwords_are_refused(client19, mairie19):
    response = client19.post(reverse("signup"), signup_data(mairie=mairie19.pk, password2="autre-chose-2026!"))
    assert response.status_code == 400
    assert response.context["form"].errors["password2"]
    assert not User.objects.filter(username="lina").exists()


def test_a_taken_username_is_refused(client19, mairie19, resident19):
    response = client19.post(reverse("signup"), signup_data(mairie=mairie19.pk, username="Resident19"))
    assert response.status_code == 400
    assert response.context["form"].errors["username"]


@pytest.mark.parametrize("login", ["resident19", "RESIDENT19@example.org"])
def test_login_by_username_or_email_and_logout_by_post(client19, resident19, login):
    if "@" in login:
        login = resident19.email.upper()
    response = client19.post(reverse("login"), {"login": login, "password": PASSWORD})
    assert response.status_code == 302
    assert client19.get(reverse("account")).status_code == 200
    assert client19.get(reverse("logout")).status_code == 200  # a GET only asks
    assert client19.get(reverse("account")).status_code == 200
    client19.post(reverse("logout"))
    assert client19.get(reverse("account")).status_code == 302


def test_wrong_password_is_a_400_with_a_clear_message(client19, resident19):
    response = client19.post(reverse("login"), {"login": "resident19", "password": "faux"})
    assert response.status_code == 400
    assert "sont incorrects" in response.content.decode()


def test_an_unconfirmed_account_gets_a_new_link_when_it_logs_in(client19, mairie19):
    resident(mairie19, username="nouvelle", email="nouvelle@example.org", email_confirmed=False)
    response = client19.post(reverse("login"), {"login": "nouvelle", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("account_email_verification_sent")
    assert client19.get(reverse("account")).status_code == 302  # not logged in
    assert confirmation_link(mail.outbox[-1])
    client19.post(confirmation_link(mail.outbox[-1]))
    assert User.objects.get(username="nouvelle").email_confirmed


def test_existing_accounts_keep_their_confirmed_state(mairie19):
    confirmed = resident(mairie19, username="ancienne", email_confirmed=True)
    pending = resident(mairie19, username="recente", email_confirmed=False)
    assert EmailAddress.objects.get(user=confirmed).verified
    assert EmailAddress.objects.get(user=pending).verified is False


def test_password_reset_sends_a_working_link_that_works_once(client19, resident19):
    response = client19.post(reverse("password_reset"), {"email": resident19.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/compte/mot-de-passe/nouveau/\S+/)", mail.outbox[0].body).group(1)
    response = client19.get(link, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client19.post(form_url, {"password1": "nouveau-secret-2026!", "password2": "nouveau-secret-2026!"})
    assert response.status_code == 302
    resident19.refresh_from_db()
    assert resident19.check_password("nouveau-secret-2026!")
    again = Client(HTTP_HOST="paris19.localhost").get(link, follow=True)
    assert "n'est pas valide" in again.content.decode() or "invalide" in again.content.decode()


def test_password_reset_does_not_tell_whether_an_account_exists(client19, resident19):
    known = client19.post(reverse("password_reset"), {"email": resident19.email})
    unknown = client19.post(reverse("password_reset"), {"email": "personne@example.org"})
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)


def test_email_change_takes_effect_once_the_new_address_is_confirmed(client19, resident19):
    client19.force_login(resident19)
    response = client19.post(reverse("account_email"), {"action_add": "", "email": "nouvelle-adresse@example.org"})
    assert response.status_code == 302
    resident19.refresh_from_db()
    assert resident19.email != "nouvelle-adresse@example.org"  # not before it is confirmed
    assert mail.outbox[-1].to == ["nouvelle-adresse@example.org"]
    client19.post(confirmation_link(mail.outbox[-1]))
    resident19.refresh_from_db()
    assert (resident19.email, resident19.email_confirmed) == ("nouvelle-adresse@example.org", True)
    assert list(EmailAddress.objects.filter(user=resident19).values_list("email", flat=True)) == [
        "nouvelle-adresse@example.org"]


def test_email_change_to_another_accounts_address_changes_nothing(client19, resident19, mairie19):
    other = resident(mairie19, username="voisine", email="voisine@example.org")
    client19.force_login(resident19)
    client19.post(reverse("account_email"), {"action_add": "", "email": other.email})
    resident19.refresh_from_db()
    assert resident19.email != other.email
    assert not EmailAddress.objects.filter(user=resident19, email=other.email, verified=True).exists()


def test_post_without_csrf_token_is_refused_with_a_message(mairie19):
    client = Client(enforce_csrf_checks=True, HTTP_HOST="paris19.localhost")
    response = client.post(reverse("signup"), signup_data(mairie=mairie19.pk))
    assert response.status_code == 403
    assert "expiré" in response.content.decode()
    assert not User.objects.filter(username="lina").exists()


def test_an_expired_confirmation_link_confirms_nothing(client19, mairie19):
    import time_machine
    from django.utils import timezone

    client19.post(reverse("signup"), signup_data(mairie=mairie19.pk))
    link = confirmation_link(mail.outbox[0])
    with time_machine.travel(timezone.now() + timezone.timedelta(days=4), tick=False):
        assert "expiré ou n'est pas valide" in client19.get(link).content.decode()
        client19.post(link)
    assert not User.objects.get(username="lina").email_confirmed


def test_login_never_redirects_to_another_site(client19, resident19):
    response = client19.post(f"{reverse('login')}?next=https://evil.example/", {"login": "resident19",
                                                                              "password": PASSWORD})
    assert response.status_code == 302 and "evil.example" not in response.url


@pytest.mark.parametrize("login", ["x" * 100_000, "é" * 5000, "resident19\x00", "' OR 1=1 --"])
def test_odd_logins_are_refused_without_a_500(client19, resident19, login):
    response = client19.post(reverse("login"), {"login": login, "password": PASSWORD})
    assert response.status_code == 400
    assert "_auth_user_id" not in client19.session
