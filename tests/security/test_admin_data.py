"""The participation data in the Wagtail admin (cms.admin_scoping.MairieDataViewSet): read-only
listings with filters, search, inspect and CSV/XLSX export, for the roles that work with each kind of
data, each mairie's staff seeing and exporting their own only; personal columns only in the
complaints listing."""

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from hackathon.models import Complaint
from participation.bureau.models import Status
from tests.conftest import HOST19, client_as
from tests.factories import agent, editor, organiser, resident
from tests.factories.bureau import ProjectFactory
from tests.factories.commandements import AmendmentFactory, make_charter
from tests.factories.hackathon import draw_of, issue_with_complaints
from tests.factories.occupai import call_page, index_page, proposal
from tests.factories.perf import audit_entries, reports

LISTINGS = {  # url prefix -> the roles that read it
    "occupai_proposals": {"organiser"},
    "bureau_projects": {"organiser"},
    "commandements_amendments": {"editor"},
    "participation_audit": {"organiser"},
    "participation_reports": {"organiser"},
    "hackathon_complaints": {"agent", "organiser"},
    "hackathon_draws": {"organiser"},
    "hackathon_outcomes": {"organiser"},
    "accueil_ambassadors": {"organiser"},
    "bricolages_exploration_days": {"organiser"},
    "bricolages_exploration_applications": {"organiser"},
}


@pytest.fixture
def data(site_ctx):
    """One object of each kind in each mairie, named after its mairie."""
    made = {}
    for slug, mairie in site_ctx.mairies.items():
        home = site_ctx.homes[slug]
        author = resident(mairie, username=f"auteur-{slug}")
        call = call_page(index_page(home), phase="voting", slug=f"appel-{slug}", title=f"Appel {slug}")
        made[slug] = {
            "proposal": proposal(call, title=f"Proposition {slug}", author=author),
            "draft": proposal(call, title=f"Brouillon {slug}", author=author, status="draft"),
            "project": ProjectFactory(mairie=mairie, author=author, title=f"Projet {slug}"),
            "draft_project": ProjectFactory(mairie=mairie, author=author, title=f"Projet brouillon {slug}",
                                            status=Status.DRAFT),
        }
        issue = issue_with_complaints(mairie, 1, title=f"Sujet {slug}")
        made[slug]["complaint"] = Complaint.objects.get(issue=issue)
        made[slug]["draw"] = draw_of(mairie, [issue], month=dt.date(2026, 11, 1))
        audit_entries(made[slug]["project"], author, 1)
        reports([made[slug]["project"]], [author])
        charter = make_charter(mairie, slug=f"charte-{slug}")
        made[slug]["amendment"] = AmendmentFactory(charter=charter, mairie=mairie, author=author, number=3,
                                                   proposed_title=f"Amendement {slug}")
    return made


def _staff(site_ctx, role, slug="paris19"):
    return {"organiser": organiser, "editor": editor, "agent": agent}[role](
        site_ctx.mairies[slug], username=f"{role}-data-{slug}")


@pytest.mark.parametrize("listing", sorted(LISTINGS))
def test_each_listing_answers_its_roles_only(site_ctx, listing):
    for role in ("organiser", "editor", "agent"):
        response = client_as(_staff(site_ctx, role)).get(f"/admin/{listing}/")
        expected = 200 if role in LISTINGS[listing] else 302  # Wagtail sends a refusal back to the dashboard
        assert response.status_code == expected, (listing, role, response.status_code)
    resident_response = client_as(resident(site_ctx.mairies["paris19"], username="curieux")).get(f"/admin/{listing}/")
    assert resident_response.status_code == 302 and "/compte/connexion/" in resident_response["Location"]


def test_the_menu_shows_a_role_its_listings_only(site_ctx):
    page = client_as(_staff(site_ctx, "agent")).get("/admin/").content.decode()
    assert "/admin/hackathon_complaints/" in page and "/admin/occupai_proposals/" not in page
    page = client_as(_staff(site_ctx, "organiser")).get("/admin/").content.decode()
    assert "/admin/occupai_proposals/" in page and "/admin/commandements_amendments/" not in page


def test_listings_exports_and_objects_are_the_staff_members_own_mairie_only(site_ctx, data):
    client = client_as(_staff(site_ctx, "organiser"))
    for listing, key, text in [("occupai_proposals", "proposal", "Proposition"),
                               ("bureau_projects", "project", "Projet")]:
        page = client.get(f"/admin/{listing}/").content.decode()
        assert f"{text} paris19" in page and f"{text} paris20" not in page
        assert "rouillon paris19" not in page  # a resident's draft is theirs alone
        assert client.get(f"/admin/{listing}/inspect/{data['paris19'][key].pk}/").status_code == 200
        assert client.get(f"/admin/{listing}/inspect/{data['paris20'][key].pk}/").status_code == 404
        assert client.get(f"/admin/{listing}/inspect/{data['paris19']['draft' if key == 'proposal' else 'draft_project'].pk}/").status_code == 404
        exported = client.get(f"/admin/{listing}/?export=csv")
        assert exported.status_code == 200
        rows = list(csv.DictReader(io.StringIO(b"".join(exported.streaming_content).decode())))
        assert [row["Titre"] for row in rows] == [f"{text} paris19"]
        # Editing and deleting are no doors of these listings (no such URL): changes go through the services.
        assert client.get(f"/admin/{listing}/edit/{data['paris19'][key].pk}/").status_code == 404
        assert client.post(f"/admin/{listing}/delete/{data['paris19'][key].pk}/").status_code == 404
    assert type(data["paris19"]["proposal"]).objects.filter(pk=data["paris19"]["proposal"].pk).exists()

    listed = client.get("/admin/participation_reports/?export=csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(listed.streaming_content).decode())))
    assert [row["Objet"] for row in rows] == [str(data["paris19"]["project"].pk)]
    audit = list(csv.DictReader(io.StringIO(b"".join(
        client.get("/admin/participation_audit/?export=csv").streaming_content).decode())))
    assert {row["Objet"] for row in audit} == {str(data["paris19"]["project"].pk)}
    draws = list(csv.DictReader(io.StringIO(b"".join(
        client.get("/admin/hackathon_draws/?export=csv").streaming_content).decode())))
    assert [row["Sujet tiré"] for row in draws] == ["Sujet paris19"]
    assert client.get(f"/admin/hackathon_draws/inspect/{data['paris20']['draw'].pk}/").status_code == 404


def test_the_editor_lists_and_exports_the_amendments_of_their_own_charter(site_ctx, data):
    client = client_as(_staff(site_ctx, "editor"))
    page = client.get("/admin/commandements_amendments/").content.decode()
    assert "Amendement paris19" in page and "Amendement paris20" not in page
    workbook = load_workbook(io.BytesIO(b"".join(
        client.get("/admin/commandements_amendments/?export=xlsx").streaming_content)))
    titles = [row[5] for row in workbook.active.iter_rows(min_row=2, values_only=True)]
    assert titles == ["Amendement paris19"]


def test_personal_columns_are_in_the_complaints_listing_only(site_ctx, data):
    client = client_as(_staff(site_ctx, "agent"))
    rows = list(csv.DictReader(io.StringIO(b"".join(
        client.get("/admin/hackathon_complaints/?export=csv").streaming_content).decode())))
    mine = Complaint.objects.get(pk=data["paris19"]["complaint"].pk)
    assert [row["E-mail"] for row in rows] == [mine.personal.contact_email]
    assert client.get(f"/admin/hackathon_complaints/inspect/{data['paris20']['complaint'].pk}/").status_code == 404
    organiser_client = client_as(_staff(site_ctx, "organiser"))
    for listing in ("occupai_proposals", "bureau_projects", "participation_audit", "participation_reports"):
        exported = b"".join(organiser_client.get(f"/admin/{listing}/?export=csv").streaming_content).decode()
        assert "@" not in exported, listing  # no email, no contact of anybody


def test_the_20e_staff_see_the_20e_only(site_ctx, data):
    client = client_as(_staff(site_ctx, "organiser", "paris20"), host=HOST19)
    page = client.get("/admin/occupai_proposals/").content.decode()
    assert "Proposition paris20" in page and "Proposition paris19" not in page


def test_the_organisers_list_and_export_their_mairies_ambassadors_without_contacts_or_requests(site_ctx):
    from accueil.ambassadeurs import services as ambassadors

    made = {}
    for slug, mairie in site_ctx.mairies.items():
        person = resident(mairie, username=f"amb-{slug}", email=f"amb-{slug}@example.org")
        made[slug] = ambassadors.ambassador_apply(user=person, mairie=mairie, public_name=f"Ambassadrice {slug}",
                                                  languages="français", help_with="Lire un courrier.")
    helped = resident(site_ctx.mairies["paris19"], username="voisine-admin")
    staff = _staff(site_ctx, "organiser")
    client = client_as(staff)
    page = client.get("/admin/accueil_ambassadors/").content.decode()
    assert "Ambassadrice paris19" in page and "Ambassadrice paris20" not in page
    assert client.get(f"/admin/accueil_ambassadors/inspect/{made['paris19'].pk}/").status_code == 200
    assert client.get(f"/admin/accueil_ambassadors/inspect/{made['paris20'].pk}/").status_code == 404
    ambassadors.ambassador_decide(ambassador=made["paris19"], user=staff, accept=True)
    ambassadors.help_request_create(ambassador=made["paris19"], user=helped, subject="Secret de voisine",
                                    message="Un message privé.")
    exported = b"".join(client.get("/admin/accueil_ambassadors/?export=csv").streaming_content).decode()
    assert "Ambassadrice paris19" in exported and "@" not in exported and "Secret de voisine" not in exported
    assert "Secret de voisine" not in client.get(f"/admin/accueil_ambassadors/inspect/{made['paris19'].pk}/").content.decode()
