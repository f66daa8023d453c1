"""The admin's home per role (cms.admin_home): each staff role sees its own panel, with the counts
of its own mairie only, each line a link to where the work is done; no panel for anyone without
the role, the mairie or the permission. And the page explorer starts at the staff member's mairie."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from cms.admin_home import panels_for
from hackathon.models import Complaint, Draw, Letter
from tests.conftest import HOST19, HOST20, client_as
from tests.factories import UserFactory, agent, editor, organiser, resident
from tests.factories.bricolages import bricolage, many_feedback
from tests.factories.bureau import ProjectFactory
from tests.factories.commandements import AmendmentFactory, make_charter
from tests.factories.hackathon import ComplaintFactory, draw_of, issue_with_complaints
from tests.factories.occupai import call_page, index_page, proposal
from tests.factories.perf import reports

# How many of each kind the data fixture makes: the 19e gets two, the 20e one.
HOW_MANY = {"paris19": 2, "paris20": 1}


@pytest.fixture
def data(site_ctx):
    made = {}
    for slug, n in HOW_MANY.items():
        mairie, home = site_ctx.mairies[slug], site_ctx.homes[slug]
        author = resident(mairie, username=f"auteur-{slug}")
        soon = timezone.now() + dt.timedelta(days=2)
        call = call_page(index_page(home), phase="submission", slug=f"appel-{slug}")
        type(call).objects.filter(pk=call.pk).update(submission_closes_at=soon)
        for i in range(n):
            proposal(call, title=f"Proposée {slug} {i}", author=author, status="submitted")
        proposal(call, title=f"Acceptée {slug}", author=author, status="accepted")  # not waiting
        projects = [ProjectFactory(mairie=mairie, author=author, title=f"Projet {slug} {i}", status="submitted")
                    for i in range(n)]
        reports(projects, [author])
        charter = make_charter(mairie, slug=f"charte-{slug}")
        for i in range(n):
            AmendmentFactory(charter=charter, mairie=mairie, author=author, number=3 + i)
        charter.save_revision()  # a draft waiting to be published
        issue = issue_with_complaints(mairie, 1, title=f"Sujet {slug}")
        for _ in range(n):
            ComplaintFactory(mairie=mairie, issue=None, summary_approved_at=None)
        draw_of(mairie, [issue], month=dt.date(2026, 11, 1), drawn=False)
        made[slug] = {"charter": charter}
    return made


def _panels(user):
    return {panel["key"]: {line["key"]: line for line in panel["lines"]} for panel in panels_for(user)}


def _counts(user):
    return {key: {k: line["value"] for k, line in lines.items()} for key, lines in _panels(user).items()}


def test_each_role_sees_its_own_panel_only(site_ctx, data):
    mairie = site_ctx.mairies["paris19"]
    assert set(_panels(editor(mairie, username="ed"))) == {"editors"}
    assert set(_panels(organiser(mairie, username="org"))) == {"organisers"}
    assert set(_panels(agent(mairie, username="ag"))) == {"agents"}
    assert _panels(resident(mairie, username="hab")) == {}


def test_organisers_count_their_own_mairie_only(site_ctx, data):
    for slug, n in HOW_MANY.items():
        counts = _counts(organiser(site_ctx.mairies[slug], username=f"org-{slug}"))["organisers"]
        assert counts["occupai:proposals-submitted"] == n, slug
        assert counts["bureau:projects-submitted"] == n, slug
        assert counts["participation:reports-open"] == n, slug
        assert counts["occupai:calls-closing"] == 1, slug
        draw = Draw.objects.get(mairie=site_ctx.mairies[slug])
        assert counts["hackathon:next-draw"]["pk"] == draw.pk, slug
        assert counts["hackathon:outcomes-to-update"] == 0, slug


def test_editors_and_agents_count_their_own_mairie_only(site_ctx, data):
    for slug, n in HOW_MANY.items():
        mairie = site_ctx.mairies[slug]
        counts = _counts(editor(mairie, username=f"ed-{slug}"))["editors"]
        assert counts["commandements:amendments-open"] == n, slug
        assert counts["commandements:charter-draft"] == (1, data[slug]["charter"].pk), slug
        assert counts["cms:pages-in-moderation"] == 0, slug
        counts = _counts(agent(mairie, username=f"ag-{slug}"))["agents"]
        assert counts["hackathon:complaints-ungrouped"] == n, slug
        assert counts["hackathon:summaries-to-approve"] == n, slug
        assert counts["hackathon:letters-to-send"] == 0, slug


def test_the_dashboard_shows_the_panel_with_its_counts_and_links(site_ctx, data):
    """The 20e organiser reaching the admin through the 19e's hostname still sees the 20e's counts."""
    page = client_as(organiser(site_ctx.mairies["paris20"], username="org20"), host=HOST19).get("/admin/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-mairie-panel="organisers"' in html and 'data-mairie-panel="editors"' not in html
    assert "1 proposition Occupai à valider ou refuser" in html
    assert "/admin/occupai_proposals/?status=submitted" in html
    assert "1 signalement en attente de modération" in html
    assert f"http://{HOST20}/moderation/" in html  # moderation happens on the mairie's own site
    assert "Tirage au sort de novembre 2026 : liste publiée, en attente du tirage" in html
    assert not re.search(r"\b2 propositions Occupai", html)


def test_links_lead_to_listings_the_role_may_open(site_ctx, data):
    user = organiser(site_ctx.mairies["paris19"], username="org-links")
    client = client_as(user)
    for line in _panels(user)["organisers"].values():
        if line["url"].startswith("/admin/"):
            assert client.get(line["url"]).status_code == 200, line
    user = editor(site_ctx.mairies["paris19"], username="ed-links")
    client = client_as(user)
    for line in _panels(user)["editors"].values():
        assert client.get(line["url"]).status_code == 200, line


def test_no_panel_without_role_mairie_or_admin(site_ctx, data, mairie19):
    no_mairie = UserFactory(mairie=None, roles=["Organisateurs"], username="sans-mairie")
    assert panels_for(no_mairie) == []
    assert client_as(no_mairie).get("/admin/").status_code == 200  # the dashboard, with no panel of ours
    assert 'data-mairie-panel="' not in client_as(no_mairie).get("/admin/").content.decode()
    resident_client = client_as(resident(mairie19, username="curieuse"))
    assert "/compte/connexion/" in resident_client.get("/admin/")["Location"]


def test_each_line_follows_its_permission_and_no_panel_is_left_empty(site_ctx, data, mairie19):
    """Permissions decide each line: editors stripped of the amendments' view permission lose that
    line and keep the others; an account that holds no role any more (inactive) has no panel at
    all rather than an empty one."""
    from django.contrib.auth.models import Group, Permission

    user = editor(mairie19, username="editeur-sans-amendements")
    Group.objects.get(name="Éditeurs").permissions.remove(
        Permission.objects.get(content_type__app_label="commandements", codename="view_amendment"))
    user = type(user).objects.get(pk=user.pk)  # forget the cached permissions
    lines = _panels(user)["editors"]
    assert "commandements:amendments-open" not in lines and "commandements:charter-draft" in lines
    user.is_active = False
    user.save()
    assert panels_for(user) == []


def test_pages_waiting_in_a_workflow_are_counted_for_their_mairie(site_ctx, data):
    from wagtail.models import Workflow

    workflow = Workflow.objects.filter(active=True).first()
    assert workflow is not None  # Wagtail's « Moderators approval », on the tree's root
    page = data["paris19"]["charter"]
    author = editor(site_ctx.mairies["paris19"], username="auteur-page")
    page.save_revision(user=author)
    workflow.start(page, author)
    assert _counts(editor(site_ctx.mairies["paris19"], username="ed-wf19"))["editors"]["cms:pages-in-moderation"] == 1
    assert _counts(editor(site_ctx.mairies["paris20"], username="ed-wf20"))["editors"]["cms:pages-in-moderation"] == 0


def test_counts_are_kept_briefly_and_renewed_by_the_mairies_events(site_ctx, data, mairie19, settings):
    """With the page cache on, a count is read from the cache; a moderation act in the mairie (a new
    audit entry renews its version, cms.cache.renew_on_create) shows at once."""
    from participation.models import Report
    from tests.factories.perf import audit_entries

    settings.CACHES = {**settings.CACHES, "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                                    "LOCATION": "admin-home-pages"}}
    user = organiser(mairie19, username="org-cache")
    assert _counts(user)["organisers"]["participation:reports-open"] == 2
    Report.objects.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
    assert _counts(user)["organisers"]["participation:reports-open"] == 2  # from the cache
    from participation.bureau.models import Project

    audit_entries(Project.objects.filter(mairie=mairie19).first(), user, 1)
    assert _counts(user)["organisers"]["participation:reports-open"] == 0


def test_feedback_on_an_agents_own_bricolages(site_ctx, mairie19, mairie20):
    author = agent(mairie19, username="bricoleuse")
    others = [agent(mairie20, username=f"collegue{i}") for i in range(2)]
    tool = bricolage(author)
    many_feedback(tool, others)
    line = _panels(author)["agents"]["bricolages:feedback-on-mine"]
    assert line["value"] == (2, tool.pk)
    assert line["url"] == f"/bricolages/{tool.pk}/#retours"
    assert _panels(others[0])["agents"]["bricolages:feedback-on-mine"]["value"] == (0, None)


def test_letters_waiting_are_counted_for_the_agents_mairie(site_ctx, data, mairie19):
    complaint = Complaint.objects.filter(mairie=mairie19).first()
    Letter.objects.create(mairie=mairie19, complaint=complaint, kind="draw", event_key="x", subject="s", body="b")
    assert _counts(agent(mairie19, username="ag-letters"))["agents"]["hackathon:letters-to-send"] == 1


# --- the page explorer ------------------------------------------------------------------------


def test_the_explorer_opens_on_the_editors_own_mairie(site_ctx):
    for slug in ("paris19", "paris20"):
        client = client_as(editor(site_ctx.mairies[slug], username=f"explorer-{slug}"))
        response = client.get("/admin/pages/")
        assert response.status_code == 302
        assert response["Location"] == f"/admin/pages/{site_ctx.homes[slug].pk}/", slug


def test_the_superuser_keeps_the_tree_root(site_ctx):
    admin = UserFactory(username="racine", is_superuser=True, is_staff=True, mairie=None)
    response = client_as(admin).get("/admin/pages/")
    assert response.status_code == 200  # the root's listing itself, both mairies under it
    html = response.content.decode()
    assert f"/admin/pages/{site_ctx.homes['paris19'].pk}/" in html and f"/admin/pages/{site_ctx.homes['paris20'].pk}/" in html


def test_an_organisers_explorer_opens_inside_their_mairie(site_ctx):
    index = index_page(site_ctx.homes["paris19"])
    index_page(site_ctx.homes["paris20"])
    response = client_as(organiser(site_ctx.mairies["paris19"], username="explorer-org")).get("/admin/pages/")
    assert response["Location"] == f"/admin/pages/{index.pk}/"


# --- menus and the staff guide ------------------------------------------------------------------


def _menu(user):
    html = client_as(user).get("/admin/").content.decode()
    return set(re.findall(r'"name": "([^"]+)"', html))


def test_the_menus_show_each_role_what_it_uses(site_ctx):
    mairie = site_ctx.mairies["paris19"]
    editor_menu = _menu(editor(mairie, username="menu-ed"))
    assert {"explorer", "donnees", "amendements", "reports", "guide-equipes"} <= editor_menu
    assert not editor_menu & {"page-types-usage", "site-history", "editor-guide", "moderation", "courriers"}
    organiser_menu = _menu(organiser(mairie, username="menu-org"))
    assert {"bureau-decisions", "moderation", "propositions-occupai", "tirages-au-sort", "guide-equipes"} <= organiser_menu
    assert not organiser_menu & {"amendements", "editor-guide", "settings"}
    agent_menu = _menu(agent(mairie, username="menu-ag"))
    assert {"donnees", "courriers", "guide-equipes"} <= agent_menu
    assert not agent_menu & {"explorer", "propositions-occupai", "moderation", "editor-guide", "settings"}


def test_the_staff_guide_is_in_the_admin_for_staff_only(site_ctx, mairie19):
    response = client_as(agent(mairie19, username="lectrice")).get("/admin/guide-equipes/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in html and "Guide des équipes" in html
    assert "<h2>Agent</h2>" in html and "<h2>Organisateur·rice</h2>" in html
    assert "<script>" not in html.split('class="staff-guide')[1].split("</article>")[0]
    denied = client_as(resident(mairie19, username="pas-staff")).get("/admin/guide-equipes/")
    assert denied.status_code == 302 and "/compte/connexion/" in denied["Location"]


def test_the_admin_home_links_to_the_staff_guide_not_to_wagtails_generic_one(site_ctx, mairie19):
    html = client_as(agent(mairie19, username="lectrice")).get("/admin/").content.decode()
    assert 'href="/admin/guide-equipes/"' in html and "editor guide" not in html.lower()
    assert "guide.wagtail.org" not in html


@pytest.mark.parametrize("report", ["site-history", "page-types-usage"])
def test_the_reports_that_read_the_whole_tree_answer_superusers_only(site_ctx, mairie19, report):
    """Out of the menu is not enough: typed by hand, their addresses (and their results' fragments) refuse,
    the way Wagtail refuses an admin action (a redirect to the dashboard with "no permission")."""
    for suffix in ("", "results/"):
        url = f"/admin/reports/{report}/{suffix}"
        refused = client_as(editor(mairie19, username=f"ed-{report}-{suffix[:1]}")).get(url)
        assert refused.status_code == 302 and refused["Location"] == "/admin/"
        assert client_as(UserFactory(username=f"su-{report}-{suffix[:1]}", is_superuser=True, is_staff=True)
                         ).get(url).status_code == 200
        not_staff = client_as(resident(mairie19, username=f"r-{report}-{suffix[:1]}")).get(url)
        assert not_staff.status_code == 302 and "/compte/connexion/" in not_staff["Location"]


def test_the_staff_guide_shows_its_screenshots_from_static_and_no_other_image(site_ctx, mairie19):
    from django.contrib.staticfiles import finders

    from cms.admin_help import render_guide

    html = client_as(editor(mairie19, username="lectrice-img")).get("/admin/guide-equipes/").content.decode()
    sources = re.findall(r'<img src="([^"]+)" alt="([^"]*)"', html)
    names = {src.rsplit("/", 1)[1] for src, _alt in sources}
    assert {"accueil-editeur.png", "relecture-soumettre.png", "relecture-approuver.png"} <= names
    for src, alt in sources:
        assert src.startswith("/static/guide-equipes/") and alt  # every screenshot has its French alt text
        assert finders.find(src.removeprefix("/static/"))  # and is a static file (collectstatic copies it)
    # Any other image (elsewhere, missing, remote) shows as its alt text: no broken or outside image.
    other = render_guide("# T\n\n![Une capture absente](images/guide-equipes/absente.png) "
                         "![Ailleurs](https://exemple.org/x.png) ![Plus haut](../../cms/models.png)")
    assert "<img" not in other and "Une capture absente" in other and "Ailleurs" in other
