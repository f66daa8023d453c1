"""Query budgets of the Service lab's pages and API: as many queries with 100 issues, complaints,
draws (or entries of one draw), sessions, registrations, letters or comments as with 5 (see
tests/perf/budgets.py), for each visitor who can see the page."""

import pytest
from django.utils import timezone

from hackathon.models import Complaint, RecurringIssue, Registration
from participation.models import Quartier
from tests.conftest import api_as, client_as
from tests.factories import hackathon as lab
from tests.factories import perf as many

from .budgets import API_BUDGET, PAGE_BUDGET, assert_all_flat, assert_flat


@pytest.fixture
def quartier19(mairie19):
    return Quartier.objects.create(mairie=mairie19, name="Villette", slug="villette")


@pytest.fixture
def users(resident19, agent19, organiser19):
    return {"resident": resident19, "agent": agent19, "organiser": organiser19}


@pytest.fixture
def people(mairie19):
    return lab.many_people(mairie19, 100)


def _issues(mairie, n, start=0, quartier=None, **kwargs):
    issues = lab.many_issues(mairie, n, start=start, quartier=quartier, **kwargs)
    lab.many_tags(issues, ["quartier", f"thème-{start % 7}"])
    return issues


def _client(who, client19, users):
    return client19 if who == "anonymous" else client_as(users[who])


def _api(who, api19, users):
    return api19 if who == "anonymous" else api_as(users[who])


def _me_too(issues, user):
    for issue in issues:
        many.supports(issue, [user])


@pytest.mark.parametrize("who", ["anonymous", "resident", "organiser"])
def test_the_service_lab_home(who, client19, mairie19, users):
    issues = _issues(mairie19, 5)
    lab.many_sessions(lab.many_draws(mairie19, issues, 5))

    def grow():
        more = _issues(mairie19, 95, start=5, complaints=9)
        lab.many_sessions(lab.many_draws(mairie19, more, 95, start=5))

    first, second = assert_flat(_client(who, client19, users), "/service-lab/", grow, PAGE_BUDGET)
    assert "Sujet n° 004" in first.content.decode() and "Sujet n° 010" in second.content.decode()
    assert second.content.decode().count("Hackathon n°") == 3


@pytest.mark.parametrize("who", ["anonymous", "resident"])
def test_the_issue_list_its_filters_and_pages(who, client19, mairie19, quartier19, users):
    _me_too(_issues(mairie19, 5, quartier=quartier19), users["resident"])

    def grow():
        _me_too(_issues(mairie19, 95, start=5, quartier=quartier19), users["resident"])

    urls = ["/service-lab/sujets/", "/service-lab/sujets/?tri=titre&page=5",
            "/service-lab/sujets/?statut=open&quartier=villette&theme=quartier"]
    client = _client(who, client19, users)
    (first, second), (_last, last), _filtered = assert_all_flat([(client, url, PAGE_BUDGET) for url in urls], grow)
    assert "Sujet n° 004" in first.content.decode() and "Page 1 sur 5" in second.content.decode()
    assert "Sujet n° 099" in last.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "resident", "agent"])
def test_an_issue_with_many_complaints_supports_and_comments(who, client19, mairie19, quartier19, users, people):
    issue = _issues(mairie19, 1, quartier=quartier19, complaints=0)[0]
    lab.many_complaints(mairie19, 5, issue=issue)
    many.supports(issue, people[:5])
    many.comments(issue, people[:5], 5)
    many.audit_entries(issue, users["organiser"], 5)
    lab.many_sessions(lab.many_draws(mairie19, [issue], 1))

    def grow():
        lab.many_complaints(mairie19, 95, issue=issue, start=5)
        many.supports(issue, [*people[5:99], users["resident"]])
        RecurringIssue.objects.filter(pk=issue.pk).update(supports_count=100)
        many.comments(issue, people, 95, start=5)
        many.audit_entries(issue, users["organiser"], 95)

    _first, second = assert_flat(_client(who, client19, users), f"/service-lab/sujets/{issue.pk}/", grow,
                                 PAGE_BUDGET)
    page = second.content.decode()
    assert "100 courriers" in page and "100 habitant·es" in page and "Commentaire n° 99" in page


@pytest.mark.parametrize("who", ["anonymous", "organiser"])
def test_the_draw_list_page_and_api(who, client19, api19, mairie19, users):
    issues = _issues(mairie19, 5)
    lab.many_draws(mairie19, issues, 5)

    def grow():
        lab.many_draws(mairie19, issues, 95, start=5)

    (first, second), (_api_first, api_second) = assert_all_flat(
        [(_client(who, client19, users), "/service-lab/tirages/", PAGE_BUDGET),
         (_api(who, api19, users), "/api/hackathon/draws/?page_size=100", API_BUDGET)], grow)
    assert first.content.decode().count("#verifier") == 5 and second.content.decode().count("#verifier") == 100
    assert len(api_second.json()["results"]) == 100


@pytest.mark.parametrize("who", ["anonymous", "organiser"])
def test_a_draw_with_many_entries_its_api_and_its_verification(who, client19, api19, mairie19, users):
    issues = _issues(mairie19, 100)
    draw = lab.draw_of(mairie19, issues[:5], timezone.localdate().replace(day=1))
    lab.many_sessions([draw])
    api = _api(who, api19, users)

    (first, second), (_detail, detail), (_verify, verify) = assert_all_flat(
        [(_client(who, client19, users), f"/service-lab/tirages/{draw.pk}/", PAGE_BUDGET),
         (api, f"/api/hackathon/draws/{draw.pk}/", API_BUDGET),
         (api, f"/api/hackathon/draws/{draw.pk}/verify/", API_BUDGET)],
        lambda: lab.draw_record_replace(draw, issues))
    assert "Sujet n° 004" in first.content.decode() and "Sujet n° 099" in second.content.decode()
    assert 'class="verification ok"' in second.content.decode()
    assert len(detail.json()["record"]["issues"]) == 100
    assert verify.json()["matches"] and verify.json()["total_weight"] == 300


@pytest.mark.parametrize("who", ["anonymous", "resident"])
def test_the_session_list_page_and_api(who, client19, api19, mairie19, users, people):
    issues = _issues(mairie19, 5)
    sessions = lab.many_sessions(lab.many_draws(mairie19, issues, 5))
    lab.many_registrations(sessions[0], people[:5])
    lab.many_registrations(sessions[1], [users["resident"]], status=Registration.Status.WAITING)

    def grow():
        more = lab.many_sessions(lab.many_draws(mairie19, issues, 95, start=5))
        for session in more[:3]:
            lab.many_registrations(session, people)
        lab.many_registrations(more[0], [users["resident"]])
        for session in more[1:3]:
            lab.many_registrations(session, [users["resident"]], status=Registration.Status.WAITING)

    (first, second), (_api_first, api_second) = assert_all_flat(
        [(_client(who, client19, users), "/service-lab/hackathons/", PAGE_BUDGET),
         (_api(who, api19, users), "/api/hackathon/sessions/?page_size=100", API_BUDGET)], grow)
    assert first.content.decode().count("Décision n°") == 5 and second.content.decode().count("Décision n°") == 100
    results = api_second.json()["results"]
    assert len(results) == 100 and sum(s["registrations"]["confirmed"] for s in results) == 5 + 3 * 100 + 1
    mine = [s["my_registration"] for s in results if s["my_registration"]]
    waiting, confirmed = {"status": "waiting", "position": 1}, {"status": "confirmed", "position": None}
    assert mine == ([waiting, confirmed, waiting, waiting] if who == "resident" else [])


@pytest.mark.parametrize("who", ["anonymous", "resident", "organiser"])
def test_a_session_with_many_registrations(who, client19, api19, mairie19, users, people):
    issues = _issues(mairie19, 1)
    [session] = lab.many_sessions(lab.many_draws(mairie19, issues, 1))
    many.audit_entries(issues[0], users["organiser"], 5)
    lab.many_registrations(session, people[:5])
    lab.many_registrations(session, [users["resident"]], status=Registration.Status.WAITING)

    def grow():
        lab.many_registrations(session, people[5:50])
        lab.many_registrations(session, people[50:], status=Registration.Status.WAITING)
        many.audit_entries(issues[0], users["organiser"], 95)

    (first, second), (_api_first, api_second) = assert_all_flat(
        [(_client(who, client19, users), f"/service-lab/hackathons/{session.pk}/", PAGE_BUDGET),
         (_api(who, api19, users), f"/api/hackathon/sessions/{session.pk}/", API_BUDGET)], grow)
    assert "50 inscrit·es sur 50 places, 51 en liste d'attente" in second.content.decode()
    assert api_second.json()["registrations"] == {"confirmed": 50, "waiting": 51, "free": 0}
    last = api_as(people[99]).get(f"/api/hackathon/sessions/{session.pk}/").json()["my_registration"]
    assert last == {"status": "waiting", "position": 51}
    if who == "organiser":
        assert second.content.decode().count("Liste d&#x27;attente</li>") == 51
    if who == "resident":
        assert "position 1" in second.content.decode()
        assert api_second.json()["my_registration"] == {"status": "waiting", "position": 1}


@pytest.mark.parametrize("who", ["agent", "organiser"])
def test_the_agents_complaint_list_page_and_api(who, mairie19, users, people):
    issue = _issues(mairie19, 1, complaints=0)[0]
    lab.many_complaints(mairie19, 3, issue=issue, author=people[0])
    lab.many_complaints(mairie19, 2, start=3)
    lab.many_tags(list(Complaint.objects.all()), ["justificatif"])

    def grow():
        lab.many_complaints(mairie19, 45, issue=issue, start=5, author=people[1])
        made = lab.many_complaints(mairie19, 50, start=50, author=people[2])
        lab.many_tags(made, ["justificatif", "attente"])

    (first, second), (_filtered, _filtered_after), (_api_first, api_second), _api_grouped = assert_all_flat(
        [(client_as(users[who]), "/service-lab/agents/courriers/", PAGE_BUDGET),
         (client_as(users[who]), f"/service-lab/agents/courriers/?regroupe=oui&sujet={issue.pk}&q=objet",
          PAGE_BUDGET),
         (api_as(users[who]), "/api/hackathon/complaints/?page_size=100", API_BUDGET),
         (api_as(users[who]), f"/api/hackathon/complaints/?issue={issue.pk}&grouped=true&page_size=100",
          API_BUDGET)], grow)
    assert "2 courriers à regrouper" in first.content.decode() and "Page 1 sur 5" in second.content.decode()
    results = api_second.json()["results"]
    assert len(results) == 100 and sum(r["contact"]["account"] == "voisin-lab2" for r in results) == 50


@pytest.mark.parametrize("who", ["agent", "organiser"])
def test_a_complaint_with_its_letters_and_suggestions(who, mairie19, users, people):
    issues = _issues(mairie19, 5, complaints=0)
    for issue in issues:
        lab.many_complaints(mairie19, 1, issue=issue)
    [complaint] = lab.many_complaints(mairie19, 1, start=500, author=people[0])
    lab.many_tags([complaint], ["justificatif", "attente"])
    lab.many_letters([complaint], 5)

    def grow():
        for issue in _issues(mairie19, 95, start=5, complaints=0):
            lab.many_complaints(mairie19, 1, issue=issue)
        lab.many_letters([complaint], 45, start=5)
        lab.many_letters([complaint], 50, start=50, sent_by=users["agent"])

    api = api_as(users[who])
    (_first, second), (_api, detail), (_few, suggestions) = assert_all_flat(
        [(client_as(users[who]), f"/service-lab/agents/courriers/{complaint.pk}/", PAGE_BUDGET),
         (api, f"/api/hackathon/complaints/{complaint.pk}/", API_BUDGET),
         (api, f"/api/hackathon/complaints/{complaint.pk}/suggestions/", API_BUDGET)], grow)
    page = second.content.decode()
    assert page.count("Lettre n° ") == 100 and "Sujet n° 099" in page and "Rattacher ici" in page
    assert detail.json()["contact"]["account"] == "voisin-lab0" and len(suggestions.json()) == 5


@pytest.mark.parametrize("who", ["agent", "organiser"])
def test_the_letters_to_print(who, mairie19, users):
    complaints = lab.many_complaints(mairie19, 100)
    lab.many_letters(complaints[:5])
    lab.many_letters(complaints[5:10], sent_by=users["agent"])

    def grow():
        lab.many_letters(complaints[10:55])
        lab.many_letters(complaints[55:], sent_by=users["organiser"])

    _first, second = assert_flat(client_as(users[who]), "/service-lab/agents/lettres/", grow, PAGE_BUDGET)
    page = second.content.decode()
    assert page.count("PDF à imprimer") == 50 and page.count("envoyée le") == 50 and "Madame Privée 54" in page


def test_the_organisers_dashboard(client19, mairie19, users):
    issues = _issues(mairie19, 5)
    lab.many_sessions(lab.many_draws(mairie19, issues, 5))

    def grow():
        more = _issues(mairie19, 95, start=5)
        lab.many_sessions(lab.many_draws(mairie19, more, 95, start=5))

    first, second = assert_flat(client_as(users["organiser"]), "/service-lab/organisation/", grow, PAGE_BUDGET)
    assert "5 sujets éligibles" in first.content.decode() and "100 sujets éligibles" in second.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "resident", "agent"])
def test_the_issues_api_list_and_detail(who, api19, mairie19, quartier19, users, people):
    issues = _issues(mairie19, 5, quartier=quartier19)
    issue = issues[0]
    lab.many_complaints(mairie19, 5, issue=issue)
    many.audit_entries(issue, users["organiser"], 5)

    def grow():
        _issues(mairie19, 95, start=5, quartier=quartier19)
        lab.many_complaints(mairie19, 95, issue=issue, start=5)
        many.supports(issue, people)
        many.audit_entries(issue, users["organiser"], 95)

    api = _api(who, api19, users)
    (first, second), _filtered, (_detail, detail) = assert_all_flat(
        [(api, "/api/hackathon/issues/?page_size=100", API_BUDGET),
         (api, "/api/hackathon/issues/?status=open&quartier=villette&tag=quartier&page_size=100", API_BUDGET),
         (api, f"/api/hackathon/issues/{issue.pk}/", API_BUDGET)], grow)
    assert first.json()["count"] == 5 and len(second.json()["results"]) == 100
    assert sorted(second.json()["results"][0]["tags"]) == ["quartier", "thème-0"]
    body = detail.json()
    assert body["recurrence"] == 200 and len(body["summaries"]) == 50 and len(body["timeline"]) == 100


@pytest.mark.parametrize("who", ["anonymous", "organiser"])
def test_the_outcomes_api(who, api19, mairie19, users):
    issues = _issues(mairie19, 5)
    lab.many_sessions(lab.many_draws(mairie19, issues, 5))

    def grow():
        lab.many_sessions(lab.many_draws(mairie19, issues, 95, start=5))

    first, second = assert_flat(_api(who, api19, users), "/api/hackathon/outcomes/?page_size=100", grow, API_BUDGET)
    assert first.json()["count"] == 5 and len(second.json()["results"]) == 100
    outcome = second.json()["results"][-1]
    assert_flat(_api(who, api19, users), f"/api/hackathon/outcomes/{outcome['id']}/", lambda: None, API_BUDGET)
