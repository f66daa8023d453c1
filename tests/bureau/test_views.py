from participation.bureau.models import Project, Status
from tests.conftest import client_as
from tests.factories.bureau import ProjectFactory, bureau_index


def test_index_lists_filters_and_paginates(client19, mairie19):
    index = bureau_index(mairie19)
    for i in range(14):
        ProjectFactory(mairie=mairie19, title=f"Projet {i:02d}")
    html = client19.get(index.url).content.decode()
    assert "14 projets" in html and "Page 1 sur 2" in html
    assert client19.get(index.url, {"page": "999"}).status_code == 200
    assert client19.get(index.url, {"page": "abc", "tri": "<script>", "statut": "x"}).status_code == 200


def test_project_page_shows_timeline_comments_and_support(client19, mairie19, resident19):
    index = bureau_index(mairie19)
    project = ProjectFactory(mairie=mairie19, title="Composteur")
    html = client_as(resident19).get(f"{index.url}projets/{project.pk}/").content.decode()
    assert "Composteur" in html and "Soutenir" in html and "Discussion" in html


def test_drafts_are_visible_to_their_author_only(client19, mairie19, resident19):
    index = bureau_index(mairie19)
    draft = ProjectFactory(mairie=mairie19, author=resident19, status=Status.DRAFT, published_at=None)
    assert client19.get(f"{index.url}projets/{draft.pk}/").status_code == 404
    assert client_as(resident19).get(f"{index.url}projets/{draft.pk}/").status_code == 200


def test_submit_form_creates_a_draft_and_shows_errors(mairie19, resident19):
    index = bureau_index(mairie19)
    client = client_as(resident19)
    bad = client.post(f"{index.url}proposer/", {"title": "", "summary": "", "description": "", "role": "resident"})
    assert bad.status_code == 400 and 'aria-invalid="true"' in bad.content.decode()
    ok = client.post(f"{index.url}proposer/", {"title": "Un banc", "summary": "Pour souffler.", "role": "resident",
                                               "description": "Un banc à l'ombre.", "tags": "banc, ombre"})
    assert ok.status_code == 302
    project = Project.objects.get()
    assert project.status == Status.DRAFT and set(project.tags.names()) == {"banc", "ombre"}


def test_anonymous_is_sent_to_login_to_submit(client19, mairie19):
    index = bureau_index(mairie19)
    response = client19.get(f"{index.url}proposer/")
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]


def test_organiser_decides_from_the_page(mairie19, organiser19, resident19):
    index = bureau_index(mairie19)
    project = ProjectFactory(mairie=mairie19, author=resident19, status=Status.SUBMITTED, published_at=None)
    client = client_as(organiser19)
    assert client.get(f"{index.url}a-relire/").status_code == 200
    client.post(f"{index.url}projets/{project.pk}/decision/", {"status": "under_review", "rationale": "Bienvenue"})
    project.refresh_from_db()
    assert project.status == Status.UNDER_REVIEW
    assert client_as(resident19).get(f"{index.url}a-relire/").status_code == 403


def test_wagtail_admin_dashboard_transitions_through_the_service(mairie19, organiser19, agent19):
    project = ProjectFactory(mairie=mairie19, status=Status.SUBMITTED, published_at=None)
    client = client_as(organiser19)
    assert client.get("/admin/bureau/").status_code == 200
    client.post("/admin/bureau/", {"project": project.pk, "status": "under_review", "rationale": "Accepté"})
    project.refresh_from_db()
    assert project.status == Status.UNDER_REVIEW
    refused = client_as(agent19).get("/admin/bureau/")  # Wagtail turns PermissionDenied into a redirect
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    client_as(agent19).post("/admin/bureau/", {"project": project.pk, "status": "incubated", "rationale": "x"})
    project.refresh_from_db()
    assert project.status == Status.UNDER_REVIEW
