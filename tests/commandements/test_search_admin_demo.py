"""Search documents, permissions, the reports snippet in the admin, and the demo content."""

from django.core.management import call_command

from participation.commandements import permissions, selectors
from participation.commandements.models import Amendment, CharterPage, CommitmentReport
from search.registry import adapters
from tests.conftest import client_as
from tests.factories import editor
from tests.factories.commandements import AmendmentFactory, make_charter

# --- search --------------------------------------------------------------------------------------


def test_the_charter_and_its_commandements_are_public_documents(charter19):
    charter_doc = adapters()["commandements.charter"].document(charter19)
    assert (charter_doc.mairie, charter_doc.audience, charter_doc.url) == ("paris19", "public", "/19-commandements/")
    assert "12. Titre 12." in charter_doc.body
    commandement = charter19.commandement(12)
    doc = adapters()["commandements.commandement"].document(commandement)
    assert doc.url == "/19-commandements/commandement/12/"
    assert "La mairie s'engage, n° 12." in doc.body


def test_drafts_are_not_searchable(mairie20):
    draft = make_charter(mairie20, publish=False)
    assert adapters()["commandements.charter"].document(draft) is None
    assert adapters()["commandements.commandement"].document(draft.commandements.first()) is None


def test_amendment_documents_carry_no_author_and_skip_hidden_or_withdrawn(charter19, resident19):
    adapter = adapters()["commandements.amendment"]
    amendment = AmendmentFactory(charter=charter19, author=resident19, rationale="Plus simple à lire.")
    doc = adapter.document(amendment)
    assert doc.audience == "public" and doc.url == amendment.get_absolute_url()
    assert "Plus simple à lire." in doc.body
    assert resident19.public_name not in f"{doc.title} {doc.body}"
    assert adapter.document(AmendmentFactory(charter=charter19, is_hidden=True)) is None
    assert adapter.document(AmendmentFactory(charter=charter19, status="withdrawn")) is None


def test_the_index_follows_the_charter_online_and_offline(mairie19, on_commit):
    from search.models import SearchEntry

    with on_commit(execute=True):
        charter = make_charter(mairie19)
    commandement = charter.commandement(4)
    doc_ids = {f"commandements.charter:{charter.pk}", f"commandements.commandement:{commandement.pk}"}
    assert doc_ids <= set(SearchEntry.objects.values_list("doc_id", flat=True))
    with on_commit(execute=True):
        charter.unpublish()
    assert not doc_ids & set(SearchEntry.objects.values_list("doc_id", flat=True))


# --- permissions ---------------------------------------------------------------------------------


def test_permissions(charter19, resident19, agent19, editor19, organiser19, resident20):
    assert permissions.user_can_propose_amendment(resident19, charter19)
    assert permissions.user_can_propose_amendment(agent19, charter19)
    assert not permissions.user_can_propose_amendment(resident20, charter19)
    amendment = AmendmentFactory(charter=charter19, author=resident19)
    assert permissions.user_can_withdraw_amendment(resident19, amendment)
    assert not permissions.user_can_withdraw_amendment(agent19, amendment)
    assert permissions.user_can_decide_amendment(editor19, amendment)
    assert not permissions.user_can_decide_amendment(organiser19, amendment)
    assert not permissions.user_can_decide_amendment(editor(resident20.mairie), amendment)
    amendment.status = Amendment.Status.ADOPTED
    assert not permissions.user_can_withdraw_amendment(resident19, amendment)


def test_hidden_amendments_are_visible_to_the_mairies_editors_only(charter19, resident19, editor19):
    amendment = AmendmentFactory(charter=charter19, author=resident19, is_hidden=True)
    assert not selectors.amendment_is_visible(resident19, amendment)
    assert selectors.amendment_is_visible(editor19, amendment)


# --- the reports snippet -------------------------------------------------------------------------


def test_editors_manage_only_their_mairies_reports(charter19, charter20, editor19, mairie20):
    ours = CommitmentReport.objects.create(charter=charter19, number=2, text="Un café offert.")
    theirs = CommitmentReport.objects.create(charter=charter20, number=2, text="Rapport du 20e.")
    client = client_as(editor19)
    listing = client.get("/admin/snippets/commandements/commitmentreport/")
    assert listing.status_code == 200
    assert "Un café offert." in listing.content.decode()
    assert "Rapport du 20e." not in listing.content.decode()
    assert client.get(f"/admin/snippets/commandements/commitmentreport/edit/{ours.pk}/").status_code == 200
    assert client.get(f"/admin/snippets/commandements/commitmentreport/edit/{theirs.pk}/").status_code == 404
    assert client.post(f"/admin/snippets/commandements/commitmentreport/delete/{theirs.pk}/").status_code == 404
    assert CommitmentReport.objects.filter(pk=theirs.pk).exists()


def test_an_editor_adds_a_report_through_the_admin(charter19, editor19, client19):
    client = client_as(editor19)
    response = client.post("/admin/snippets/commandements/commitmentreport/add/", {
        "charter": charter19.pk, "number": 7, "date": "2026-03-02", "text": "Ouvert le samedi matin."})
    assert response.status_code == 302
    report = CommitmentReport.objects.get()
    assert report.created_by == editor19
    assert "Ouvert le samedi matin." in client19.get("/19-commandements/commandement/7/").content.decode()


def test_a_report_on_a_missing_commandement_is_refused(charter19, editor19):
    response = client_as(editor19).post("/admin/snippets/commandements/commitmentreport/add/", {
        "charter": charter19.pk, "number": 25, "date": "2026-03-02", "text": "Rien."})
    assert response.status_code == 200
    assert not CommitmentReport.objects.exists()


# --- demo ----------------------------------------------------------------------------------------


def test_the_demo_publishes_the_19e_charter_with_a_living_consultation(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    charter = CharterPage.objects.live().get(mairie__slug="paris19")
    assert charter.commandements.count() == 19
    assert len({c.title for c in charter.commandements.all()}) == 19
    assert charter.consultation_is_open
    assert selectors.current_version(charter).number == 2
    assert selectors.contributions_counts(charter) == {3: 1}
    assert Amendment.objects.filter(charter=charter, status="open").count() >= 3
    assert Amendment.objects.filter(charter=charter, status="rejected").exclude(decision_reason="").exists()
    assert charter.supports_count == 2
    assert CommitmentReport.objects.filter(charter=charter).count() == 4
    charter20 = CharterPage.objects.get(mairie__slug="paris20")  # the first draft every mairie starts from
    assert charter20.live and charter20.commandements.count() == 19 and charter20.consultation_state() == "none"
    counts = (Amendment.objects.count(), CharterPage.objects.count(), CommitmentReport.objects.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Amendment.objects.count(), CharterPage.objects.count(), CommitmentReport.objects.count()) == counts
