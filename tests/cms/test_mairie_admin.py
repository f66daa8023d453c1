"""« Mairies » and « Utilisateurs » in the Wagtail admin (cms.mairie_admin, cms.staff)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from wagtail.models import Page, Site

from cms import roles
from cms.models import Mairie
from participation.commandements.models import CharterPage
from participation.models import Quartier
from tests.conftest import client_as
from tests.factories import UserFactory, editor, resident

FORM = {"name": "Mairie du 18e arrondissement", "short_name": "18e", "slug": "paris18", "arrondissement": "18",
        "hostname": "paris18.localhost", "port": "80", "address": "1 place Jules-Joffrin", "contact_email": "",
        "phone": "01 23 45 67 18", "opening_hours": "Lundi : 9 h – 17 h", "quartiers": "Montmartre\nLa Chapelle\n"}


@pytest.fixture
def superuser(site_ctx):
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


def _refused(response):
    """Wagtail refuses an admin view with a redirect to the dashboard (a 403 to XMLHttpRequest)."""
    return response.status_code == 403 or (response.status_code == 302
                                           and response["Location"] == reverse("wagtailadmin_home"))


def test_a_superuser_creates_a_mairie_whose_sections_answer(superuser):
    client = client_as(superuser)
    assert client.get(reverse("mairies:add")).status_code == 200
    response = client.post(reverse("mairies:add"), FORM)
    assert response.status_code == 302, response.content.decode()[:2000]
    mairie = Mairie.objects.get(slug="paris18")
    assert mairie.site.hostname == "paris18.localhost" and mairie.opening_hours == "Lundi : 9 h – 17 h"
    assert set(Quartier.objects.filter(mairie=mairie).values_list("name", flat=True)) == {"Montmartre", "La Chapelle"}
    public = Client(HTTP_HOST="paris18.localhost")
    for path in ("/", "/19-commandements/", "/occupai/", "/bureau/", "/service-lab/"):
        assert public.get(path).status_code == 200, path
    assert "Mairie du 18e arrondissement" in client.get(reverse("mairies:index")).content.decode()


def test_a_taken_hostname_is_refused_on_the_form_and_nothing_is_created(superuser):
    pages, sites = Page.objects.count(), Site.objects.count()
    response = client_as(superuser).post(reverse("mairies:add"), {**FORM, "hostname": "paris20.localhost"})
    assert response.status_code == 200
    assert "« paris20.localhost » est déjà celle du site" in str(response.context["form"].errors["hostname"])
    assert not Mairie.objects.filter(slug="paris18").exists()
    assert (Page.objects.count(), Site.objects.count()) == (pages, sites)


def test_a_superuser_edits_contact_hostname_and_quartiers(superuser, mairie20):
    client = client_as(superuser)
    url = reverse("mairies:edit", args=[mairie20.pk])
    form = client.get(url).context["form"]
    assert form.initial["hostname"] == "paris20.localhost"
    response = client.post(url, {"name": mairie20.name, "short_name": "20e", "hostname": "mairie20.localhost",
                                 "port": "80", "address": mairie20.address, "contact_email": "ecrire@mairie20.localhost",
                                 "phone": "", "opening_hours": "", "quartiers": "Belleville\nCharonne"})
    assert response.status_code == 302
    mairie20.refresh_from_db()
    assert mairie20.site.hostname == "mairie20.localhost" and mairie20.contact_email == "ecrire@mairie20.localhost"
    assert set(Quartier.objects.filter(mairie=mairie20).values_list("name", flat=True)) == {"Belleville", "Charonne"}
    assert CharterPage.objects.filter(mairie=mairie20).exists()  # saving set up what it lacked


@pytest.mark.parametrize("who", ["editor", "organiser", "agent", "resident"])
def test_only_superusers_reach_mairies(site_ctx, mairie19, who):
    user = site_ctx.users[{"editor": "editeur", "organiser": "organisateur", "agent": "agent",
                           "resident": "habitant"}[who]]
    client = client_as(user)
    for response in (client.get(reverse("mairies:index")), client.get(reverse("mairies:add")),
                     client.get(reverse("mairies:edit", args=[mairie19.pk])),
                     client.post(reverse("mairies:add"), FORM)):
        assert _refused(response) or response.status_code == 302 and reverse("login") in response["Location"]
    assert not Mairie.objects.filter(slug="paris18").exists()


def test_nobody_deletes_a_mairie_in_the_admin(superuser, mairie20):
    response = client_as(superuser).post(reverse("mairies:delete", args=[mairie20.pk]))
    assert _refused(response)
    assert Mairie.objects.filter(pk=mairie20.pk).exists()


def _user_form(user, **changes):
    data = {"username": user.username, "email": user.email, "first_name": "Inès", "last_name": "Martin",
            "display_name": user.display_name, "mairie": user.mairie_id or "", "password1": "", "password2": "",
            "is_active": "on", "groups": [g.pk for g in user.groups.all()]}
    data.update(changes)
    return data


def test_the_user_form_sets_the_home_mairie_and_the_mairie_groups_follow(superuser, mairie19, mairie20):
    lucie = editor(mairie19, username="lucie")
    client = client_as(superuser)
    form = client.get(reverse("wagtailusers_users:edit", args=[lucie.pk])).context["form"]
    offered = set(form.fields["groups"].queryset.values_list("name", flat=True))
    assert set(roles.ALL_ROLES) <= offered and not any("·" in name for name in offered)
    response = client.post(reverse("wagtailusers_users:edit", args=[lucie.pk]),
                           _user_form(lucie, mairie=mairie20.pk, display_name="Lucie, éditrice du 20e",
                                      groups=[Group.objects.get(name=roles.EDITORS).pk]))
    assert response.status_code == 302, response.context["form"].errors
    lucie.refresh_from_db()
    assert lucie.mairie == mairie20 and lucie.display_name == "Lucie, éditrice du 20e"
    assert set(lucie.groups.values_list("name", flat=True)) == {roles.EDITORS, "Éditeurs · paris20"}


def test_a_new_user_gets_a_mairie_and_roles(superuser, mairie20):
    response = client_as(superuser).post(reverse("wagtailusers_users:add"), {
        "username": "marc", "email": "marc@example.org", "first_name": "Marc", "last_name": "Durand",
        "display_name": "Marc, organisateur", "mairie": mairie20.pk, "password1": "Un-mot-de-passe-2026!",
        "password2": "Un-mot-de-passe-2026!", "groups": [Group.objects.get(name=roles.ORGANISERS).pk]})
    assert response.status_code == 302, response.context["form"].errors
    marc = mairie20.users.get(username="marc")
    assert set(marc.groups.values_list("name", flat=True)) == {roles.ORGANISERS, "Organisateurs · paris20"}


def test_a_user_manager_who_is_not_a_superuser_stays_in_their_own_mairie(mairie19, mairie20):
    manager = editor(mairie19, username="chef19")
    manager.user_permissions.add(*Permission.objects.filter(content_type__app_label="cms",
                                                            codename__in=["add_user", "change_user"]))
    own, other = resident(mairie19, username="awa19"), resident(mairie20, username="jeanne20")
    client = client_as(manager)
    listing = client.get(reverse("wagtailusers_users:index")).content.decode()
    assert "awa19" in listing and "jeanne20" not in listing
    assert client.get(reverse("wagtailusers_users:edit", args=[other.pk])).status_code == 404
    form = client.get(reverse("wagtailusers_users:edit", args=[own.pk])).context["form"]
    assert list(form.fields["mairie"].queryset) == [mairie19] and "is_superuser" not in form.fields
    response = client.post(reverse("wagtailusers_users:edit", args=[own.pk]), _user_form(own, mairie=mairie20.pk))
    assert response.status_code == 200 and "mairie" in response.context["form"].errors
    own.refresh_from_db()
    assert own.mairie == mairie19
