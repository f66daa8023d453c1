"""Open data (cms.opendata and the apps' datasets): every export parses, holds its declared columns
and the demo's figures, no personal data, only the rows of the mairie that answers; the page lists
every dataset with working links and its charts hold the CSV's numbers."""

import csv
import io
import json
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from cms import opendata
from tests.factories.demo import seed_demo

KEYS = ["charte-versions", "occupai-resultats", "bureau-projets", "bureau-decisions", "tirages-au-sort",
        "courriers-par-sujet"]
MARK20 = "Jardin partagé rue des Pyrénées (20e)"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo of the apps that publish data, seeded once for the module (rolled back at its end), with
    the summer call's results published (its real supports then count) and a little of the 20e."""
    from occupai.models import CallPage
    from participation.bureau.models import Status
    from participation.bureau.services import project_transition
    from tests.factories.bureau import ProjectFactory
    from tests.factories.hackathon import issue_with_complaints

    with django_db_blocker.unblock(), transaction.atomic():
        ctx = seed_demo(only=("participation", "occupai", "bureau", "commandements", "hackathon"))
        now = timezone.now()
        CallPage.objects.filter(slug="ete").update(voting_closes_at=now - timedelta(days=2),
                                                    results_at=now - timedelta(days=1))
        m20, users = ctx.mairies["paris20"], ctx.users
        project = ProjectFactory(mairie=m20, author=users["habitant20"], title=MARK20, status=Status.SUBMITTED,
                                 published_at=None)
        project_transition(actor=users["organisateur20"], project=project, to_status=Status.UNDER_REVIEW,
                           rationale="Bienvenue au Bureau du 20e.")
        issue_with_complaints(m20, 2, title=f"Sujet {MARK20}")
        yield ctx
        transaction.set_rollback(True)


@pytest.fixture
def ctx(demo, db):
    return demo


def _csv(client, key):
    response = client.get(f"/donnees-ouvertes/{key}.csv")
    assert response.status_code == 200, key
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 with its BOM
    reader = csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""))
    header, *rows = list(reader)
    return header, [dict(zip(header, row, strict=True)) for row in rows]


def _json(client, key):
    response = client.get(f"/donnees-ouvertes/{key}.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return json.loads(response.content)


@pytest.mark.parametrize("key", KEYS)
def test_each_dataset_parses_in_csv_and_json_with_its_declared_columns(ctx, client19, key):
    declared = opendata.dataset(key).column_names
    response = client19.get(f"/donnees-ouvertes/{key}.csv")
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="paris19-{key}-{today}.csv"'
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    header, rows = _csv(client19, key)
    assert header == declared
    data = _json(client19, key)
    assert data["licence"]["id"] == "etalab-2.0" and "etalab.gouv.fr" in data["licence"]["url"]
    assert data["source"]["mairie"] == "paris19" and data["source"]["url"].endswith("/donnees-ouvertes/")
    assert data["generated_at"] and data["dataset"]["row_count"] == len(rows) > 0
    assert [c["name"] for c in data["columns"]] == declared
    assert all(list(row) == declared for row in data["rows"])
    # The same rows in both: the CSV writes the JSON's values as text, None as "".
    as_text = [{k: "" if v is None else str(v) for k, v in row.items()} for row in data["rows"]]
    assert as_text == rows


def test_a_closed_call_exports_the_engine_support_counts_its_selection_and_programme(ctx, client19):
    from occupai.models import CallPage, Proposal
    from participation.models import Support

    _header, rows = _csv(client19, "occupai-resultats")
    closed = {c.pk: c for c in CallPage.objects.filter(slug__in=["ete", "printemps"])}
    assert {int(r["call_id"]) for r in rows} == set(closed)
    public = Proposal.objects.filter(call__in=closed.values(), status__in=Proposal.PUBLIC_STATUSES, is_hidden=False)
    assert sorted(int(r["proposal_id"]) for r in rows) == sorted(public.values_list("pk", flat=True))
    ct = ContentType.objects.get_for_model(Proposal)
    for row in rows:
        assert int(row["supports"]) == Support.objects.filter(content_type=ct, object_id=row["proposal_id"]).count()
    assert sum(int(r["supports"]) for r in rows) > 0  # the summer call's demo votes
    for proposal in public.select_related("event__space"):
        row = next(r for r in rows if int(r["proposal_id"]) == proposal.pk)
        assert row["status"] == proposal.status
        if proposal.status == Proposal.Status.SELECTED:
            assert row["event_space"] == proposal.event.space.name
            assert row["event_starts_at"] == timezone.localtime(proposal.event.starts_at).isoformat()
        else:
            assert row["event_space"] == row["event_starts_at"] == ""
    assert any(r["status"] == "not_selected" and r["decision_reason"] for r in rows)


def test_bureau_decisions_carry_their_public_reasons_and_draws_their_verifiable_record(ctx, client19):
    from hackathon import drawing
    from hackathon.models import Draw
    from participation.bureau.models import Project

    _header, decisions = _csv(client19, "bureau-decisions")
    declined = Project.objects.get(mairie=ctx.mairies["paris19"], status="declined")
    row = next(r for r in decisions if int(r["project_id"]) == declined.pk and r["to_status"] == "declined")
    assert "service des canaux" in row["reason"] and row["from_status"] == "under_review"
    assert not any(r["to_status"] == "" for r in decisions)
    _header, draws = _csv(client19, "tirages-au-sort")
    assert len(draws) == Draw.objects.filter(mairie=ctx.mairies["paris19"]).count()
    for row in draws:
        assert drawing.hash_of_bytes(row["record"].encode("utf-8")) == row["list_hash"]
        if row["status"] == "drawn":  # anyone recomputes the winner from the export alone
            again = drawing.recompute(row["record"].encode("utf-8"), row["entropy_value"])
            assert (again["seed"], str(again["winner_id"]), str(again["r"])) == (
                row["seed"], row["winner_issue_id"], row["r"])


def test_charter_versions_are_the_published_wordings(ctx, client19):
    from participation.commandements.models import CommandementWording

    _header, rows = _csv(client19, "charte-versions")
    assert len(rows) == CommandementWording.objects.filter(charter__mairie=ctx.mairies["paris19"]).count()
    assert {int(r["number"]) for r in rows} == set(range(1, 20))


def _every_export(client):
    page = client.get("/donnees-ouvertes/").content.decode()
    # The page's own content: its footer gives the mairie's public contact (an institutional e-mail).
    bodies = [page[page.index("<main"):page.index("</main>")], client.get("/api/opendata/").content.decode()]
    for key in KEYS:
        bodies.append(client.get(f"/donnees-ouvertes/{key}.csv").content.decode("utf-8-sig"))
        bodies.append(json.dumps(_json(client, key), ensure_ascii=False))
    return "\n".join(bodies)


def test_no_personal_data_in_any_export(ctx, client19):
    from cms.models import User
    from hackathon.models import Complaint, ComplaintPersonalData
    from occupai.models import Proposal
    from participation.bureau.models import Project

    text = _every_export(client19)
    assert Project.objects.filter(author_anonymous=True).exists()
    needles = {"@", "contact-prive"}
    for user in User.objects.all():
        needles |= {user.email, user.public_name, f"{user.first_name} {user.last_name}".strip()}
    for personal in ComplaintPersonalData.objects.all():
        needles |= {personal.subject, personal.full_text, personal.contact_name, personal.contact_email,
                    personal.contact_phone, personal.postal_address}
    needles |= set(Complaint.objects.values_list("public_summary", flat=True))
    # Residents who propose are never named (an association's public name is, on purpose).
    needles |= set(Proposal.objects.filter(proposer_type="resident").exclude(proposer_name="")
                   .values_list("proposer_name", flat=True))
    found = sorted(n for n in needles - {""} if n in text)
    assert found == [], found


def test_the_20e_sees_only_its_own_rows(ctx, client19, client20):
    text19, text20 = _every_export(client19), _every_export(client20)
    assert MARK20 in text20 and MARK20 not in text19
    for key in KEYS:
        _header, rows = _csv(client20, key)
        assert all("paris19" not in value for row in rows for value in row.values()), key
    _header, projects = _csv(client20, "bureau-projets")
    assert [r["title"] for r in projects] == [MARK20]
    _header, decisions = _csv(client20, "bureau-decisions")
    assert [(r["project_title"], r["to_status"]) for r in decisions] == [(MARK20, "under_review")]
    assert _csv(client20, "occupai-resultats")[1] == []  # no call on the 20e's demo
    for title in ("Chorale des Buttes", "Un composteur partagé", "Passage sombre derrière le marché"):
        assert title in text19 and title not in text20


def test_an_unknown_dataset_is_404_and_files_are_read_only(ctx, client19):
    assert client19.get("/donnees-ouvertes/inconnu.csv").status_code == 404
    assert client19.get("/donnees-ouvertes/inconnu.json").status_code == 404
    assert client19.get("/donnees-ouvertes/bureau-projets.xml").status_code == 404
    assert client19.post("/donnees-ouvertes/bureau-projets.csv").status_code == 405


def test_files_are_cacheable_and_revalidate_with_their_etag(ctx, client19):
    first = client19.get("/donnees-ouvertes/bureau-projets.json")
    assert "public" in first["Cache-Control"] and first["ETag"].startswith('W/"')
    again = client19.get("/donnees-ouvertes/bureau-projets.json", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    other = client19.get("/donnees-ouvertes/bureau-decisions.json", HTTP_IF_NONE_MATCH=first["ETag"])
    assert other.status_code == 200


def test_the_page_lists_every_dataset_with_its_licence_count_and_working_links(ctx, client19):
    response = client19.get("/donnees-ouvertes/")
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    for key in KEYS:
        section = page.find("section", attrs={"aria-labelledby": key})
        assert section is not None, key
        facts = dict(zip([dt.get_text(strip=True) for dt in section.find_all("dt")],
                         [dd.get_text(strip=True) for dd in section.find_all("dd")], strict=True))
        assert facts["Licence"] == "Licence Ouverte 2.0 (Etalab)"
        assert int(facts["Lignes"]) == len(_csv(client19, key)[1])
        links = [a["href"] for a in section.select(".opendata-files a")]
        assert [link.rsplit("/", 1)[1] for link in links] == [f"{key}.csv", f"{key}.json"]
        assert all(client19.get(link).status_code == 200 for link in links)


def _chart_table(page, chart_id):
    figure = page.find("figure", attrs={"aria-labelledby": f"{chart_id}-caption"})
    svg = figure.find("svg")
    assert svg["role"] == "img" and svg["aria-labelledby"] == f"{chart_id}-title {chart_id}-desc"
    table = figure.find("table")
    assert table.find("caption") and all(th.get("scope") for th in table.find_all("th"))
    columns = [th.get_text(strip=True) for th in table.thead.find_all("th")][1:]
    return {(tr.th.get_text(strip=True), column): int(td.get_text(strip=True))
            for tr in table.tbody.find_all("tr") for column, td in zip(columns, tr.find_all("td"), strict=True)}


def test_the_charts_tables_hold_the_csv_numbers(ctx, client19):
    page = BeautifulSoup(client19.get("/donnees-ouvertes/").content, "html.parser")
    _header, results = _csv(client19, "occupai-resultats")
    for call_id in {r["call_id"] for r in results}:
        cells = _chart_table(page, f"occupai-call-{call_id}")
        expected = {(f"{r['proposal_title']} ({r['status_label']})", "Soutiens"): int(r["supports"])
                    for r in results if r["call_id"] == call_id}
        assert cells == expected
    _header, projects = _csv(client19, "bureau-projets")
    cells = _chart_table(page, "bureau-pipeline")
    for (quartier, status), count in cells.items():
        assert count == sum(1 for p in projects if (p["quartier"] or "Sans quartier") == quartier
                            and p["status_label"] == status)
    assert sum(cells.values()) == len(projects)
    _header, complaints = _csv(client19, "courriers-par-sujet")
    cells = _chart_table(page, "service-lab-complaints")
    assert {k: v for k, v in cells.items() if v} == {(r["issue_title"], r["month"]): int(r["complaints"])
                                                    for r in complaints}


def test_the_api_root_and_catalogue_list_the_datasets(ctx, api19):
    root = api19.get("/api/").json()
    assert root["endpoints"]["opendata"].endswith("/api/opendata/")
    catalogue = api19.get("/api/opendata/").json()
    assert catalogue["licence"]["id"] == "etalab-2.0"
    assert [d["key"] for d in catalogue["datasets"]] == KEYS
    for entry in catalogue["datasets"]:
        assert entry["csv"].endswith(f"/donnees-ouvertes/{entry['key']}.csv")
        assert entry["row_count"] == len(_csv(api19, entry["key"])[1])


def test_a_closed_call_page_links_to_its_chart(ctx, client19):
    from occupai.models import CallPage

    call = CallPage.objects.get(slug="printemps")
    link = f"/donnees-ouvertes/#occupai-call-{call.pk}"
    assert link in client19.get("/occupai/printemps/").content.decode()
    page = BeautifulSoup(client19.get("/donnees-ouvertes/").content, "html.parser")
    assert page.find("figure", id=f"occupai-call-{call.pk}") is not None
