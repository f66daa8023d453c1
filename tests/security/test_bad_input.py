"""Bad input never gives a 500 and nothing is half-saved.

Ids too large for the database (query strings, bodies, forms) get a 400 in French (every
integer of the API is also walked by test_big_integers.py); Wagtail's API refuses the parameters
it would pass on unchecked. Titles are one line: a title with CR/LF is refused with a 400 (it
would become an email subject Django refuses), and a notification stored before that rule still
gets its email, on one line."""

import io

import pytest
from django.core import mail
from django.core.management import call_command

from hackathon.models import Complaint, RecurringIssue
from occupai.models import Proposal
from participation.bureau.models import Project, Status
from participation.models import Notification
from tests.conftest import api_as, client_as
from tests.factories import occupai as occupai_factories
from tests.factories.bureau import ProjectFactory, bureau_index

HUGE = str(10**23)
TOO_BIG_BY_ONE = str(2**63)
CRLF_TITLE = "Jardin partagé\r\nBcc: tout-le-monde@example.org"


@pytest.fixture
def call19(site_ctx, mairie19):
    index = occupai_factories.index_page(site_ctx.homes["paris19"])
    space = occupai_factories.space(mairie19, name="Salle des fêtes", capacity=300)
    return occupai_factories.call_page(index, phase="submission", spaces=[space], title="Appel ouvert")


@pytest.fixture
def project19(mairie19, resident19):
    bureau_index(mairie19)
    return ProjectFactory(mairie=mairie19, author=resident19, status=Status.INCUBATED)


@pytest.mark.parametrize("url", [
    f"/api/occupai/proposals/?call={HUGE}", f"/api/occupai/proposals/?call={TOO_BIG_BY_ONE}",
    f"/api/occupai/events/?call={HUGE}", "/api/occupai/proposals/?call=%C2%B2",  # "²" is a digit to str.isdigit
    f"/api/hackathon/complaints/?issue={HUGE}", "/api/hackathon/complaints/?issue=abc",
])
def test_an_id_filter_too_large_or_not_a_number_is_a_400_in_french(agent19, url):
    response = api_as(agent19).get(url)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid" and "Identifiant invalide" in body["detail"]
    assert len(body["errors"]) == 1


def test_an_id_filter_within_range_still_filters(agent19, call19):
    response = api_as(agent19).get(f"/api/occupai/events/?call={call19.pk}")
    assert response.status_code == 200


@pytest.mark.parametrize("body", ['{"ids": [1e30]}', f'{{"ids": [{10**30}]}}', f'{{"ids": [{2**63}]}}'])
def test_notifications_read_with_a_huge_id_is_a_400(resident19, body):
    response = api_as(resident19).post("/api/participation/notifications/read/", body,
                                       content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["errors"]["ids"] and "ErrorDetail" not in response.content.decode()


@pytest.mark.parametrize("parent", [10**30, 2**63])
def test_a_reply_to_a_huge_parent_is_refused_by_the_api_and_the_form(project19, resident19, parent):
    target = f"bureau.project:{project19.pk}"
    response = api_as(resident19).post("/api/participation/comments/",
                                       {"target": target, "text": "Bonne idée", "parent": parent}, format="json")
    assert response.status_code == 400 and "parent" in response.json()["errors"]
    page = client_as(resident19).post("/participer/commenter/", {"target": target, "text": "Bonne idée",
                                                                 "parent": str(parent), "next": "/"}, follow=True)
    assert page.status_code == 200
    assert "Identifiant invalide" in page.content.decode()
    assert project19.__class__.objects.get(pk=project19.pk).comments_count == 0


def test_a_target_with_a_huge_id_is_not_found(project19, resident19):
    response = api_as(resident19).get(f"/api/participation/comments/?target=bureau.project:{HUGE}")
    assert response.status_code == 404


@pytest.mark.parametrize("url", ["/api/v2/pages/?search=mairie&search_operator=xx",
                                 "/api/v2/pages/?search_operator=%00", f"/api/v2/pages/?offset={HUGE}",
                                 f"/api/v2/documents/?offset={HUGE}"])
def test_wagtail_api_parameters_it_does_not_check_are_a_400(site_ctx, api19, url):
    response = api19.get(url)
    assert response.status_code == 400, response.content
    assert response.json()["message"]


def test_wagtail_api_search_operators_still_work(site_ctx, api19):
    assert api19.get("/api/v2/pages/?search=mairie&search_operator=and").status_code == 200


# --- titles are one line ----------------------------------------------------------------------


def test_a_bureau_project_title_with_a_line_break_is_a_400(resident19, mairie19):
    response = api_as(resident19).post("/api/bureau/projects/", {
        "title": CRLF_TITLE, "summary": "Un jardin.", "description": "Un jardin partagé au square."}, format="json")
    assert response.status_code == 400 and "title" in response.json()["errors"]
    assert not Project.objects.exists()


def test_editing_a_bureau_project_title_with_a_line_break_is_a_400(resident19, mairie19):
    bureau_index(mairie19)
    project = ProjectFactory(mairie=mairie19, author=resident19, status=Status.DRAFT, title="Avant")
    response = api_as(resident19).patch(f"/api/bureau/projects/{project.pk}/", {"title": "Après\nBcc: x"},
                                        format="json")
    assert response.status_code == 400 and "title" in response.json()["errors"]
    project.refresh_from_db()
    assert project.title == "Avant"


def test_an_occupai_proposal_title_with_a_line_break_is_a_400(resident19, call19):
    start, end = occupai_factories.event_slot(call19, day=1)
    response = api_as(resident19).post("/api/occupai/proposals/", {
        "call": call19.pk, "title": "Repas\rde quartier", "description": "Chacun apporte un plat.", "kind": "meal",
        "proposer_type": "resident", "expected_audience": 50,
        "slots": [{"starts_at": start.isoformat(), "ends_at": end.isoformat()}]}, format="json")
    assert response.status_code == 400 and "title" in response.json()["errors"]
    assert not Proposal.objects.exists()


def test_complaint_subjects_and_issue_titles_with_a_line_break_are_a_400(resident19, agent19):
    response = api_as(resident19).post("/api/hackathon/complaints/", {
        "subject": "Attente\r\nBcc: x", "full_text": "Trop d'attente au guichet."}, format="json")
    assert response.status_code == 400 and "subject" in response.json()["errors"]
    assert not Complaint.objects.exists()
    response = api_as(agent19).post("/api/hackathon/issues/", {"title": "Attente\nau guichet"}, format="json")
    assert response.status_code == 400 and "title" in response.json()["errors"]
    assert not RecurringIssue.objects.exists()


def test_a_bricolage_title_with_a_line_break_is_a_400(agent19, settings, tmp_path):
    settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT = tmp_path / "media", tmp_path / "private"
    from bricolages.models import BricolagePage

    response = api_as(agent19).post("/api/bricolages/", {
        "title": "Affiche\r\ndes horaires", "summary": "Une affiche lisible.", "problem": "Trop petit.",
        "steps": [{"text": "Imprimer en A3."}]}, format="json")
    assert response.status_code == 400 and "title" in response.json()["errors"]
    assert not BricolagePage.objects.exists()


def test_an_amendment_title_is_stored_on_one_line(resident19, mairie19):
    from participation.commandements import services
    from tests.factories.commandements import make_charter

    charter = make_charter(mairie19)
    amendment = services.amendment_submit(user=resident19, charter=charter, number=2, kind="replacement",
                                          proposed_title="Écouter\r\nBcc: x", proposed_mairie_commitment="La mairie.",
                                          proposed_resident_commitment="Vous.", rationale="Plus court.")
    assert amendment.proposed_title == "Écouter Bcc: x"


def test_a_notification_stored_with_a_line_break_in_its_title_is_emailed_on_one_line(project19, resident19):
    Notification.objects.create(user=resident19, target=project19, verb="status",
                                title="« Jardin\r\npartagé » : incubé", message="La mairie accompagne le projet.")
    out = io.StringIO()
    call_command("send_pending_notifications", stdout=out)
    assert "1 sent" in out.getvalue()
    (email,) = mail.outbox
    assert email.subject == "« Jardin partagé » : incubé"
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_a_sub_page_id_beyond_any_row_is_a_404_on_every_route_table(site_ctx, mairie19, organiser19):
    """Route tables take ids with <int:…>, which match any length of digits: an id past 2^63 - 1 is
    a 404 for every route of every table (cms.subpages), not the database's overflow (a 500)."""
    from django.urls.resolvers import RoutePattern

    from occupai.models import CallPage
    from participation.bureau.models import BureauIndexPage
    from participation.commandements.models import CharterPage
    from tests.factories import occupai as f
    from tests.factories.bureau import bureau_index
    from tests.factories.commandements import make_charter

    pages = [f.call_page(f.index_page(site_ctx.homes["paris19"])), bureau_index(mairie19), make_charter(mairie19)]
    assert {type(page) for page in pages} == {CallPage, BureauIndexPage, CharterPage}
    client = client_as(organiser19)
    huge = 10**20
    checked = 0
    for page in pages:
        for route in type(page).get_subpage_urls():
            params = [name for name, converter in route.pattern.converters.items()
                      if type(converter).__name__ == "IntConverter"] if isinstance(route.pattern, RoutePattern) else []
            if not params:
                continue
            kwargs = {name: huge for name in params}
            kwargs.update({name: "retirer" for name in route.pattern.converters if name not in params})
            url = page.url + page.reverse_subpage(route.name, kwargs=kwargs).lstrip("/")
            for method in (client.get, client.post):
                assert method(url).status_code == 404, url
            checked += 1
    assert checked >= 8


def test_a_path_id_beyond_any_row_is_a_404_on_every_url(site_ctx, organiser19):
    """The same for every <int:…> of the URLconf (cms.validation.ids_in_range, applied in cms/urls.py):
    the Service lab, the Bricolages, the engine's doors..."""
    import re

    from django.urls import URLResolver, get_resolver

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    routes = [r for r in walk(get_resolver().url_patterns) if "<int:" in r and not r.startswith(("admin/", "^"))]
    assert len(routes) >= 20
    client = client_as(organiser19)
    for route in routes:
        url = "/" + re.sub(r"<[^>]+>", "x", re.sub(r"<int:\w+>", str(10**20), route))
        for method in (client.get, client.post):
            assert method(url).status_code == 404, f"{method.__name__} {url}"
