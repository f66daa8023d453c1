"""RGPD: a resident downloads all their data as JSON and deletes their account; deletion
anonymises personal data and keeps counts and the integrity of past votes."""

import json

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from cms import privacy
from cms.models import User
from participation import services as engine
from participation.models import Follow, Notification, Report, Support
from tests.conftest import client_as
from tests.factories import PASSWORD, resident
from tests.factories.bureau import ProjectFactory, bureau_index


@pytest.fixture
def activity(mairie19, resident19, organiser19):
    """resident19 authored a project, supports another, comments, follows, reports, has notifications."""
    bureau_index(mairie19)
    own = ProjectFactory(mairie=mairie19, author=resident19, title="Un jardin sur le toit")
    other = ProjectFactory(mairie=mairie19, author=organiser19, title="Des bancs à l'ombre")
    engine.follow_add(user=resident19, target=own)
    engine.support_add(user=resident19, target=other)
    comment = engine.comment_post(user=resident19, target=other, text="Je peux aider à poser les bancs.")
    neighbour = resident(mairie19, username="voisine", email="voisine@example.org")
    engine.comment_post(user=neighbour, target=own, text="Bonne idée !")  # notifies resident19 (follower)
    engine.report_add(user=resident19, target=other, reason="off_topic", note="Mon voisin Paul Martin s'en plaint")
    Token.objects.create(user=resident19)
    return {"own": own, "other": other, "comment": comment, "neighbour": neighbour}


def download(user):
    response = client_as(user).get(reverse("privacy-export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="mes-donnees-')
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    return json.loads(response.content)


def test_the_export_holds_every_kind_of_personal_data(activity, resident19):
    data = download(resident19)
    assert data["format"] == privacy.EXPORT_FORMAT
    assert data["account"]["username"] == "resident19"
    assert data["account"]["email"] == resident19.email
    assert data["account"]["mairie"] == "Mairie du 19e arrondissement"
    assert data["account"]["api_token_created"]
    assert [s["ref"] for s in data["supports"]] == [activity["other"].target_ref]
    assert data["supports"][0]["title"] == "Des bancs à l'ombre"
    assert {f["ref"] for f in data["follows"]} == {activity["own"].target_ref, activity["other"].target_ref}
    assert [c["text"] for c in data["comments"]] == ["Je peux aider à poser les bancs."]
    assert [r["reason"] for r in data["reports"]] == ["off_topic"]
    assert any("Nouveau commentaire" in n["title"] for n in data["notifications"])
    assert [c["title"] for c in data["contributions"]] == ["Un jardin sur le toit"]


def test_the_export_holds_nobody_else_s_data(activity, resident19):
    text = json.dumps(download(resident19), ensure_ascii=False)
    assert activity["neighbour"].email not in text
    theirs = download(activity["neighbour"])
    assert theirs["supports"] == [] and theirs["reports"] == []
    assert [c["text"] for c in theirs["comments"]] == ["Bonne idée !"]
    assert "resident19" not in json.dumps(theirs, ensure_ascii=False)


def test_apps_add_their_data_through_the_registry(resident19, site_ctx):
    privacy.register_exporter("demo-app", lambda user: {"inscriptions": [f"atelier de {user.username}"]})
    try:
        assert download(resident19)["demo-app"] == {"inscriptions": ["atelier de resident19"]}
    finally:
        privacy._exporters.pop("demo-app")


def test_the_export_needs_a_login(client19):
    response = client19.get(reverse("privacy-export"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_account_page_links_to_the_export_the_deletion_and_the_privacy_page(resident19):
    html = client_as(resident19).get(reverse("account")).content.decode()
    assert reverse("privacy-export") in html and reverse("privacy-delete") in html
    assert reverse("privacy-policy") in html


def test_deletion_needs_the_password(activity, resident19):
    client = client_as(resident19)
    page = client.get(reverse("privacy-delete"))
    assert page.status_code == 200
    assert "définitive" in page.content.decode()
    response = client.post(reverse("privacy-delete"), {"password": "pas-le-bon"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Mot de passe incorrect" in html and 'role="alert"' in html and 'aria-invalid="true"' in html
    resident19.refresh_from_db()
    assert resident19.is_active and resident19.username == "resident19"


def test_deletion_anonymises_the_account_and_keeps_counts_and_votes(activity, resident19):
    other = activity["other"]
    other.refresh_from_db()
    supports_before, comments_before = other.supports_count, other.comments_count
    client = client_as(resident19)
    response = client.post(reverse("privacy-delete"), {"password": PASSWORD}, follow=True)
    assert response.status_code == 200
    assert "Votre compte est supprimé" in response.content.decode()
    user = User.objects.get(pk=resident19.pk)
    assert user.username == f"compte-supprime-{user.pk}"
    assert user.email.endswith(".invalid") and "resident19" not in user.email
    assert (user.display_name, user.first_name, user.last_name) == ("", "", "")
    assert not user.is_active and not user.has_usable_password() and not user.groups.exists()
    assert privacy.is_deleted(user)
    # Votes and counts stay exactly as they were.
    other.refresh_from_db()
    assert (other.supports_count, other.comments_count) == (supports_before, comments_before)
    assert Support.objects.filter(user=user, object_id=other.pk).count() == 1
    # What identified the person is gone.
    assert not Follow.objects.filter(user=user).exists()
    assert not Notification.objects.filter(user=user).exists()
    assert not Token.objects.filter(user=user).exists()
    assert Report.objects.get(user=user).note == ""
    activity["comment"].refresh_from_db()
    assert activity["comment"].user_name == privacy.DELETED_COMMENT_NAME and activity["comment"].user_email == ""
    # Logged out, and the old password no longer opens anything.
    assert client.get(reverse("account")).status_code == 302
    again = client19_login(PASSWORD)
    assert again.status_code == 400 and "incorrect" in again.content.decode()


def client19_login(password):
    from django.test import Client

    return Client(HTTP_HOST="paris19.localhost").post(reverse("login"), {"login": "resident19",
                                                                         "password": password})


def test_the_email_can_sign_up_again_after_deletion(resident19, mairie19, client19):
    email = resident19.email
    privacy.account_delete(user=resident19)
    response = client19.post(reverse("signup"), {"username": "resident19", "email": email, "mairie": mairie19.pk,
                                                 "display_name": "", "password1": "canal-ourcq-2026!",
                                                 "password2": "canal-ourcq-2026!"})
    assert response.status_code == 302 and response.url == reverse("account_email_verification_sent")
    assert User.objects.filter(email=email, is_active=True).count() == 1


def test_apps_erase_their_data_through_the_registry(resident19):
    erased = []
    privacy.register_eraser("demo-app", lambda user: erased.append(user.username))
    try:
        privacy.account_delete(user=resident19)
    finally:
        privacy._erasers.pop("demo-app")
    assert erased == ["resident19"]  # apps run first, while the account still has its name


def test_a_failing_eraser_leaves_the_account_untouched(resident19, activity):
    def broken(user):
        raise RuntimeError("disk full")

    privacy.register_eraser("broken-app", broken)
    try:
        with pytest.raises(RuntimeError):
            privacy.account_delete(user=resident19)
    finally:
        privacy._erasers.pop("broken-app")
    resident19.refresh_from_db()
    assert resident19.is_active and resident19.username == "resident19"
    assert Follow.objects.filter(user=resident19).exists()


def test_an_administrator_account_is_not_deleted_from_the_account_page(mairie19):
    admin = User.objects.create_superuser("chef", "chef@example.org", PASSWORD, mairie=mairie19)
    response = client_as(admin).post(reverse("privacy-delete"), {"password": PASSWORD}, follow=True)
    assert "ne peut pas être supprimé" in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active


def test_the_privacy_page_says_what_is_kept_and_for_how_long(client19):
    html = client19.get(reverse("privacy-policy")).content.decode()
    for words in ("Ce que nous gardons", "Combien de temps", "supprimer", "télécharger"):
        assert words in html


def test_a_resident_s_complaints_are_exported_whole_and_erased_with_the_account(resident19, mairie19):
    from hackathon import services as lab
    from hackathon.models import Complaint, ComplaintPersonalData

    complaint = lab.complaint_submit(user=resident19, mairie=mairie19, subject="Éclairage rue de Crimée",
                                     full_text="Le lampadaire devant le 12 est éteint depuis un mois.",
                                     postal_address="12 rue de Crimée")
    data = download(resident19)["service_lab"]
    assert data["complaints"][0]["full_text"].startswith("Le lampadaire devant le 12")
    assert data["complaints"][0]["postal_address"] == "12 rue de Crimée"
    response = client_as(resident19).post(reverse("privacy-delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert Complaint.objects.filter(pk=complaint.pk, personal_data_purged_at__isnull=False).exists()
    assert not ComplaintPersonalData.objects.filter(complaint=complaint).exists()
