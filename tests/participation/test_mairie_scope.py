"""The engine's shared endpoints (timeline, comments, follows, reports) answer on a mairie's host
only for that mairie's targets: a 19e target named on the 20e host is a 404, in the API and the
HTML doors alike. Bricolages belong to no Site and stay reachable by agents on any host."""

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


def _host_and_user(where, resident20, neighbour19):
    return (HOST19, neighbour19) if where == "own" else (HOST20, resident20)


# --- API ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("where,expected", [("own", 200), ("other", 404)])
def test_api_timeline_answers_only_on_the_target_s_mairie(project19, resident20, neighbour19, where, expected):
    host, user = _host_and_user(where, resident20, neighbour19)
    response = api_as(user, host).get("/api/participation/timeline/", {"target": project19.target_ref})
    assert response.status_code == expected
    if expected == 404:
        assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("where,expected", [("own", 200), ("other", 404)])
def test_api_timeline_for_anonymous_visitors_too(project19, api19, api20, where, expected):
    client = api19 if where == "own" else api20
    assert client.get("/api/participation/timeline/", {"target": project19.target_ref}).status_code == expected


@pytest.mark.parametrize("where,expected", [("own", 200), ("other", 404)])
def test_api_comment_list_answers_only_on_the_target_s_mairie(project19, api19, api20, where, expected):
    client = api19 if where == "own" else api20
    assert client.get("/api/participation/comments/", {"target": project19.target_ref}).status_code == expected


@pytest.mark.parametrize("where,expected", [("own", 201), ("other", 404)])
def test_api_comment_post_answers_only_on_the_target_s_mairie(project19, resident20, neighbour19, where,
                                                              expected):
    host, user = _host_and_user(where, resident20, neighbour19)
    response = api_as(user, host).post("/api/participation/comments/",
                                       {"target": project19.target_ref, "text": "Je participe !"}, format="json")
    assert response.status_code == expected
    assert len(selectors.comments_for(project19)) == (1 if expected == 201 else 0)


@pytest.mark.parametrize("where,expected", [("own", 201), ("other", 404)])
def test_api_follow_answers_only_on_the_target_s_mairie(project19, resident20, neighbour19, where, expected):
    host, user = _host_and_user(where, resident20, neighbour19)
    client = api_as(user, host)
    response = client.post("/api/participation/follows/", {"target": project19.target_ref}, format="json")
    assert response.status_code == expected
    assert Follow.objects.filter(user=user).exists() == (expected == 201)
    delete = client.delete(f"/api/participation/follows/?target={project19.target_ref}")
    assert delete.status_code == (200 if expected == 201 else 404)


@pytest.mark.parametrize("where,expected", [("own", 201), ("other", 404)])
def test_api_report_answers_only_on_the_target_s_mairie(project19, resident20, neighbour19, where, expected):
    host, user = _host_and_user(where, resident20, neighbour19)
    response = api_as(user, host).post("/api/participation/reports/",
                                       {"target": project19.target_ref, "reason": "spam"}, format="json")
    assert response.status_code == expected
    assert Report.objects.filter(user=user).exists() == (expected == 201)


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


@pytest.mark.parametrize("where,expected", [("own", 302), ("other", 404)])
def test_html_comment_answers_only_on_the_target_s_mairie(project19, resident20, neighbour19, where, expected):
    host, user = _host_and_user(where, resident20, neighbour19)
    response = client_as(user, host).post("/participer/commenter/",
                                          {"target": project19.target_ref, "text": "Bravo", "next": "/"})
    assert response.status_code == expected
    assert len(selectors.comments_for(project19)) == (1 if expected == 302 else 0)


@pytest.mark.parametrize("where,expected", [("own", 302), ("other", 404)])
def test_html_follow_answers_only_on_the_target_s_mairie(project19, resident20, neighbour19, where, expected):
    host, user = _host_and_user(where, resident20, neighbour19)
    client = client_as(user, host)
    assert client.post("/participer/suivre/", {"target": project19.target_ref}).status_code == expected
    assert Follow.objects.filter(user=user).exists() == (expected == 302)
    assert client.post("/participer/ne-plus-suivre/", {"target": project19.target_ref}).status_code == expected


@pytest.mark.parametrize("where,get_status,post_status", [("own", 200, 302), ("other", 404, 404)])
def test_html_report_answers_only_on_the_target_s_mairie(project19, resident20, neighbour19, where, get_status,
                                                         post_status):
    host, user = _host_and_user(where, resident20, neighbour19)
    client = client_as(user, host)
    assert client.get("/participer/signaler/", {"target": project19.target_ref}).status_code == get_status
    response = client.post("/participer/signaler/", {"target": project19.target_ref, "reason": "spam"})
    assert response.status_code == post_status
    assert Report.objects.filter(user=user).exists() == (post_status == 302)


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
