"""Privacy by construction: with the demo loaded, no public page, public API response or search
document contains a complaint's letter text, subject or contact."""

import html

import pytest

from cms.demo import seed_all
from hackathon import search as hackathon_search
from hackathon.models import ComplaintPersonalData, Draw, HackathonSession, RecurringIssue
from search import registry
from tests.conftest import client_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(site_ctx):
    from hackathon import demo as hackathon_demo
    from participation import demo as participation_demo

    participation_demo.seed(site_ctx)
    hackathon_demo.seed(site_ctx)
    return site_ctx


def _markers():
    markers = {"@contact-prive.example"}
    for personal in ComplaintPersonalData.objects.all():
        markers.update(filter(None, [personal.contact_email, personal.contact_phone, personal.subject,
                                     personal.full_text[:60]]))
        if not personal.author_id:
            markers.add(personal.contact_name)
        markers.update(line for line in personal.postal_address.splitlines() if "rue" in line or "avenue" in line)
    assert len(markers) > 100  # the demo's 40 complaints are all there
    return markers


def _public_urls():
    urls = ["/", "/service-lab/", "/service-lab/sujets/", "/service-lab/sujets/?tri=titre", "/service-lab/tirages/",
            "/service-lab/hackathons/", "/api/", "/api/hackathon/issues/", "/api/hackathon/draws/",
            "/api/hackathon/sessions/", "/api/hackathon/outcomes/", "/api/hackathon/issues/?page_size=100"]
    for issue in RecurringIssue.objects.all():
        urls += [issue.get_absolute_url(), f"/api/hackathon/issues/{issue.pk}/"]
    for draw in Draw.objects.all():
        urls += [draw.get_absolute_url(), f"/service-lab/tirages/{draw.pk}/liste.json",
                 f"/service-lab/tirages/{draw.pk}/verifier.py", f"/api/hackathon/draws/{draw.pk}/",
                 f"/api/hackathon/draws/{draw.pk}/verify/"]
    for session in HackathonSession.objects.all():
        urls += [session.get_absolute_url(), f"/api/hackathon/sessions/{session.pk}/"]
    return urls


def _assert_clean(text, markers, where):
    text = html.unescape(text)
    leaked = [m for m in markers if m in text]
    assert not leaked, f"{where} shows personal data: {leaked[:5]}"


def test_public_pages_and_api_show_no_personal_data(demo, client19):
    markers = _markers()
    resident = demo.users["habitant"]
    clients = {"anonymous": client19, "resident": client_as(resident), "resident20": client_as(
        demo.users["habitant20"])}
    checked = 0
    for who, client in clients.items():
        for url in _public_urls():
            response = client.get(url)
            assert response.status_code == 200, (who, url, response.status_code)
            _assert_clean(response.content.decode(), markers, f"{url} as {who}")
            checked += 1
    assert checked > 60


def test_search_documents_carry_no_personal_data(demo):
    markers = _markers()
    for adapter in hackathon_search.ADAPTERS:
        registry.register(adapter)
    documents = 0
    for adapter in registry.adapters().values():
        if not adapter.type.startswith("hackathon."):
            continue
        for obj in adapter.queryset():
            document = adapter.document(obj)
            if document is None:
                continue
            documents += 1
            text = " ".join(str(v) for v in vars(document).values())
            _assert_clean(text, markers, document.id)
            assert document.audience == "public"
    assert documents >= 8 + 3 + 3


def test_complaints_are_never_a_search_type():
    for adapter in hackathon_search.ADAPTERS:
        registry.register(adapter)
    assert {a.type for a in registry.adapters().values() if a.type.startswith("hackathon.")} == {
        "hackathon.issue", "hackathon.draw", "hackathon.session"}


def test_demo_is_idempotent_and_plausible(demo):
    from hackathon import demo as hackathon_demo
    from hackathon.models import Complaint, Outcome

    counts = (Complaint.objects.count(), RecurringIssue.objects.count(), Draw.objects.count())
    hackathon_demo.seed(demo)
    assert (Complaint.objects.count(), RecurringIssue.objects.count(), Draw.objects.count()) == counts == (40, 8, 3)
    assert sorted(Outcome.objects.values_list("status", flat=True)) == ["implemented", "in_progress"]
    from hackathon.services import draw_verify

    assert all(draw_verify(draw)["matches"] for draw in Draw.objects.all())


def test_seed_all_includes_the_service_lab(site_ctx):
    seed_all(site_ctx)
    assert RecurringIssue.objects.filter(mairie=site_ctx.mairies["paris19"]).count() == 8
