"""The engine's shared endpoints (timeline, comments, follows, reports) answer on a mairie's host
only for that mairie's targets: a 19e target named on the 20e host is a 404, in the API and the
HTML doors alike. Bricolages belong to no Site and stay reachable by agents on any host."""

import dataclasses

import pytest

from participation import selectors
from participation.models import Follow, Report
from tests.conftest import HOST19, HOST20, api_as, client_as
from tests.factories import resident
from tests.factories.bricolages import bricolage
from tests.factories.bureau import ProjectFactory, bureau_index


@pytest.fixture
def project19(mairie19, resident19):
    bureau_index(mairie19)
    return ProjectFactory(mairie=mairie19, author=resident19, title="Un jardin partagé rue de Crimée")


@pytest.fixture
def neighbour19(mairie19):
    return resident(mairie19, username="voisin19")


@dataclasses.dataclass
class Visitor:
    user: object
    host: str
    own: bool  # on the target's mairie; else on the 20e's host, where the 19e's target does not exist

    def expect(self, status):
        return status if self.own else 404

    def api(self):
        return api_as(self.user, self.host)

    def html(self):
        return client_as(self.user, self.host)


@pytest.fixture(params=["own", "other"])
def visitor(request, resident20, neighbour19):
    """A resident on their own mairie's host: a neighbour in the 19e ("own"), or a resident of the 20e ("other")."""
    return Visitor(neighbour19, HOST19, own=True) if request.param == "own" else Visitor(resident20, HOST20, own=False)


# --- API ----------------------------------------------------------------------------------------


def test_api_timeline_answers_only_on_the_target_s_mairie(project19, visitor):
    response = visitor.api().get("/api/participation/timeline/", {"target": project19.target_ref})
    assert response.status_code == visitor.expect(200)
    if not visitor.own:
        assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("where,expected", [("own", 200), ("other", 404)])
def test_api_timeline_for_anonymous_visitors_too(project19, api19, api20, where, expected):
    client = api19 if where == "own" else api20
    assert client.get("/api/participation/timeline/", {"target": project19.target_ref}).status_code == expected


@pytest.mark.parametrize("where,expected", [("own", 200), ("other", 404)])
def test_api_comment_list_answers_only_on_the_target_s_mairie(project19, api19, api20, where, expected):
    client = api19 if where == "own" else api20
    assert client.get("/api/participation/comments/", {"target": project19.target_ref}).status_code == expected


def test_api_comment_post_answers_only_on_the_target_s_mairie(project19, visitor):
    response = visitor.api().post("/api/participation/comments/",
                                  {"target": project19.target_ref, "text": "Je participe !"}, format="json")
    assert response.status_code == visitor.expect(201)
    assert len(selectors.comments_for(project19)) == (1 if visitor.own else 0)


def test_api_follow_answers_only_on_the_target_s_mairie(project19, visitor):
    client = visitor.api()
    response = client.post("/api/participation/follows/", {"target": project19.target_ref}, format="json")
    assert response.status_code == visitor.expect(201)
    assert Follow.objects.filter(user=visitor.user).exists() == visitor.own
    delete = client.delete(f"/api/participation/follows/?target={project19.target_ref}")
    assert delete.status_code == visitor.expect(200)


def test_api_report_answers_only_on_the_target_s_mairie(project19, visitor):
    response = visitor.api().post("/api/participation/reports/",
                                  {"target": project19.target_ref, "reason": "spam"}, format="json")
    assert response.status_code == visitor.expect(201)
    assert Report.objects.filter(user=visitor.user).exists() == visitor.own


def test_api_report_of_a_comment_on_another_mairie_s_target_is_a_404(project19, resident19, resident20, neighbour19):
    from participation import services

    comment = services.comment_post(user=neighbour19, target=project19, text="Premier !")
    ref = f"django_comments_xtd.xtdcomment:{comment.pk}"
    response = api_as(resident20, HOST20).post("/api/participation/reports/", {"target": ref, "reason": "spam"},
                                               format="json")
    assert response.status_code == 404
    assert api_as(resident19, HOST19).post("/api/participation/reports/", {"target": ref, "reason": "spam"},
                                           format="json").status_code == 201


# --- HTML doors ---------------------------------------------------------------------------------


def test_html_comment_answers_only_on_the_target_s_mairie(project19, visitor):
    response = visitor.html().post("/participer/commenter/",
                                   {"target": project19.target_ref, "text": "Bravo", "next": "/"})
    assert response.status_code == visitor.expect(302)
    assert len(selectors.comments_for(project19)) == (1 if visitor.own else 0)


def test_html_follow_answers_only_on_the_target_s_mairie(project19, visitor):
    client = visitor.html()
    assert client.post("/participer/suivre/", {"target": project19.target_ref}).status_code == visitor.expect(302)
    assert Follow.objects.filter(user=visitor.user).exists() == visitor.own
    response = client.post("/participer/ne-plus-suivre/", {"target": project19.target_ref})
    assert response.status_code == visitor.expect(302)


def test_html_report_answers_only_on_the_target_s_mairie(project19, visitor):
    client = visitor.html()
    assert client.get("/participer/signaler/", {"target": project19.target_ref}).status_code == visitor.expect(200)
    response = client.post("/participer/signaler/", {"target": project19.target_ref, "reason": "spam"})
    assert response.status_code == visitor.expect(302)
    assert Report.objects.filter(user=visitor.user).exists() == visitor.own


# --- Bricolages: shared by every mairie, for agents ---------------------------------------------


def test_agents_of_another_mairie_still_use_the_shared_endpoints_on_bricolages(agent19, agent20):
    page = bricolage(agent19, title="Tableur de file d'attente")
    ref = f"bricolages.bricolagepage:{page.pk}"
    api = api_as(agent20, HOST20)
    assert api.get("/api/participation/timeline/", {"target": ref}).status_code == 200
    assert api.get("/api/participation/comments/", {"target": ref}).status_code == 200
    assert api.post("/api/participation/comments/", {"target": ref, "text": "Adopté chez nous."},
                    format="json").status_code == 201
    assert api.post("/api/participation/follows/", {"target": ref}, format="json").status_code == 201
    assert api.post("/api/participation/reports/", {"target": ref, "reason": "off_topic"},
                    format="json").status_code == 201
    html = client_as(agent20, HOST20)
    assert html.get("/participer/signaler/", {"target": ref}).status_code == 200
    assert html.post("/participer/commenter/", {"target": ref, "text": "Merci !"}).status_code == 302
    assert len(selectors.comments_for(page)) == 2
