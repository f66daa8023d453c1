import pytest

from participation.bureau.models import Project, Status
from participation.models import AuditEntry, Quartier
from tests.conftest import HOST20, api_as
from tests.factories import resident
from tests.factories.bureau import ProjectFactory

URL = "/api/bureau/projects/"
NEW = {"title": "Une boîte à livres au square", "summary": "Échanger des livres entre voisins.",
       "description": "Une cabane à livres en bois, entretenue par l'association du square."}


def test_list_shows_public_projects_of_this_mairie_only(api19, mairie19, mairie20):
    ProjectFactory(mairie=mairie19, title="Visible ici")
    ProjectFactory(mairie=mairie19, title="Brouillon", status=Status.DRAFT, published_at=None)
    ProjectFactory(mairie=mairie19, title="Masqué", is_hidden=True)
    ProjectFactory(mairie=mairie20, title="Dans le 20e")
    titles = [p["title"] for p in api19.get(URL).json()["results"]]
    assert titles == ["Visible ici"]


def test_filters_and_ordering(api19, mairie19):
    villette = Quartier.objects.create(mairie=mairie19, name="Villette", slug="villette")
    a = ProjectFactory(mairie=mairie19, title="Jardin partagé", quartier=villette, supports_count=5)
    a.tags.set(["jardin"])
    ProjectFactory(mairie=mairie19, title="Cours de vélo", status=Status.INCUBATED, supports_count=9)
    assert [p["title"] for p in api19.get(URL, {"quartier": "villette"}).json()["results"]] == ["Jardin partagé"]
    assert [p["title"] for p in api19.get(URL, {"tag": "jardin"}).json()["results"]] == ["Jardin partagé"]
    assert [p["title"] for p in api19.get(URL, {"status": "incubated"}).json()["results"]] == ["Cours de vélo"]
    assert [p["title"] for p in api19.get(URL, {"q": "vélo"}).json()["results"]] == ["Cours de vélo"]
    ordered = [p["title"] for p in api19.get(URL, {"ordering": "soutiens"}).json()["results"]]
    assert ordered == ["Cours de vélo", "Jardin partagé"]


def test_create_needs_login_then_makes_a_draft(api19, resident19):
    assert api19.post(URL, NEW, format="json").status_code in (401, 403)
    response = api_as(resident19).post(URL, {**NEW, "tags": ["livres"], "submit": True}, format="json")
    assert response.status_code == 201, response.json()
    project = Project.objects.get()
    assert project.status == Status.SUBMITTED and project.author == resident19


def test_create_with_submit_answers_the_status_it_really_has(resident19):
    response = api_as(resident19).post(URL, {**NEW, "submit": True}, format="json")
    assert response.status_code == 201, response.json()
    project = Project.objects.get()
    assert response.json()["status"] == project.status == Status.SUBMITTED
    assert api_as(resident19).get(f"{URL}{project.pk}/").json()["status"] == response.json()["status"]


@pytest.mark.parametrize("payload,field", [
    ({**NEW, "title": ""}, "title"), ({**NEW, "title": "x" * 500}, "title"),
    ({**NEW, "quartier": "atlantide"}, "quartier"), ({**NEW, "needs": ["licorne"]}, "needs"),
])
def test_bad_input_gets_400_with_field_errors(resident19, payload, field):
    response = api_as(resident19).post(URL, payload, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Project.objects.exists()


def test_vote_and_withdraw(resident19, mairie19):
    project = ProjectFactory(mairie=mairie19)
    client = api_as(resident19)
    first = client.post(f"{URL}{project.pk}/vote/")
    assert first.status_code == 201 and first.json()["supports_count"] == 1
    second = client.post(f"{URL}{project.pk}/vote/")
    assert second.status_code == 409 and "déjà" in second.json()["detail"]
    assert client.delete(f"{URL}{project.pk}/vote/").json()["supports_count"] == 0


def test_vote_from_another_mairie_is_403_and_unknown_project_404(resident20, mairie19):
    project = ProjectFactory(mairie=mairie19)
    assert api_as(resident20).post(f"{URL}{project.pk}/vote/").status_code == 403
    assert api_as(resident20, host=HOST20).post(f"{URL}{project.pk}/vote/").status_code == 404
    assert api_as(resident20).post(f"{URL}999999/vote/").status_code == 404


def test_vote_on_a_declined_project_is_400(resident19, mairie19):
    project = ProjectFactory(mairie=mairie19, status=Status.DECLINED)
    response = api_as(resident19).post(f"{URL}{project.pk}/vote/")
    assert response.status_code == 400 and response.json()["detail"]


def test_transition_by_organiser_and_refusals(organiser19, resident19, mairie19):
    project = ProjectFactory(mairie=mairie19, status=Status.SUBMITTED, published_at=None)
    payload = {"status": "under_review", "rationale": "Projet accepté."}
    # Authorisation before lookup and validation: a resident's role is refused whatever the project.
    assert api_as(resident19).post(f"{URL}{project.pk}/transition/", payload, format="json").status_code == 403
    response = api_as(organiser19).post(f"{URL}{project.pk}/transition/", payload, format="json")
    assert response.status_code == 200 and response.json()["status"] == "under_review"
    bad = api_as(organiser19).post(f"{URL}{project.pk}/transition/", {"status": "submitted", "rationale": "x"},
                                   format="json")
    assert bad.status_code == 409
    non_organiser = api_as(resident(mairie19)).post(f"{URL}{project.pk}/transition/",
                                                    {"status": "incubated", "rationale": "x"}, format="json")
    assert non_organiser.status_code == 403
    assert AuditEntry.objects.filter(action="transition").count() == 1


def test_author_edits_with_patch_until_supported(resident19, mairie19):
    project = ProjectFactory(mairie=mairie19, author=resident19)
    client = api_as(resident19)
    assert client.patch(f"{URL}{project.pk}/", {"title": "Nouveau titre"}, format="json").status_code == 200
    api_as(resident(mairie19)).post(f"{URL}{project.pk}/vote/")
    assert client.patch(f"{URL}{project.pk}/", {"title": "Trop tard"}, format="json").status_code == 409
    other = api_as(resident(mairie19)).patch(f"{URL}{project.pk}/", {"title": "Pas à moi"}, format="json")
    assert other.status_code == 403


def test_similar_endpoint(api19, mairie19):
    ProjectFactory(mairie=mairie19, title="Boîte à livres rue de Flandre", summary="Échanger des livres.")
    found = api19.get(f"{URL}similar/", {"title": "Une boîte à livres"}).json()
    assert [p["title"] for p in found] == ["Boîte à livres rue de Flandre"]
    assert api19.get(f"{URL}similar/").status_code == 400
