"""The Wagtail admin's page actions and mairie snippets, for every role of both mairies.

Editors edit their own mairie's pages only, organisers its Occupai calls only (cms.mairie_groups),
and a mairie's snippets (spaces,
quartiers, commitment reports) are reached by their own mairie's staff only (cms.admin_scoping):
another mairie's object answers 403 (pages: Wagtail's permission check) or 404 (snippets: not
found in the user's scope), whatever the action.

Wagtail answers a refused admin action with a redirect to the dashboard and the message "Sorry,
you do not have permission" (a 403 only to XMLHttpRequest): the table writes that redirect 403,
and a redirect to the login page (anonymous visitors, residents without admin access) 302. Each request runs in a rolled-back savepoint, so
a lock or a delete that goes through changes nothing for the next one.
"""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse
from wagtail.models import Page

from occupai import setup as occupai_setup
from occupai.models import CallPage, Space
from participation.commandements.models import CharterPage, CommitmentReport
from participation.models import Quartier
from tests.factories.demo import seed_demo

ROLES = ("anon", "r19", "agent19", "ed19", "orga19", "r20", "agent20", "ed20", "orga20")
USERS = {"r19": "habitant", "agent19": "agent", "ed19": "editeur", "orga19": "organisateur",
         "r20": "habitant20", "agent20": "agent20", "ed20": "editeur20", "orga20": "organisateur20"}

# {p} is a page of the mairie named in the first column (its "À propos" page), {home} its home page.
PAGES = """
# mairie action                                      method anon  r19   ag19  ed19  or19  r20   ag20  ed20  or20
19 pages/{p}/edit/                                    GET    302   302   403   200   403   302   403   403   403
20 pages/{p}/edit/                                    GET    302   302   403   403   403   302   403   200   403
19 pages/{p}/edit/                                    POST   302   302   403   400   403   302   403   403   403
20 pages/{p}/edit/                                    POST   302   302   403   403   403   302   403   400   403
19 pages/{p}/lock/                                    POST   302   302   403   302   403   302   403   403   403
20 pages/{p}/lock/                                    POST   302   302   403   403   403   302   403   302   403
19 pages/{p}/unlock/                                  POST   302   302   403   302   403   302   403   403   403
20 pages/{p}/unlock/                                  POST   302   302   403   403   403   302   403   302   403
19 pages/{p}/move/                                    GET    302   302   403   200   403   302   403   403   403
20 pages/{p}/move/                                    GET    302   302   403   403   403   302   403   200   403
19 pages/{p}/copy/                                    GET    302   302   403   200   403   302   403   403   403
20 pages/{p}/copy/                                    GET    302   302   403   403   403   302   403   200   403
19 pages/{p}/delete/                                  GET    302   302   403   200   403   302   403   403   403
20 pages/{p}/delete/                                  GET    302   302   403   403   403   302   403   200   403
19 pages/{p}/unpublish/                               GET    302   302   403   200   403   302   403   403   403
20 pages/{p}/unpublish/                               GET    302   302   403   403   403   302   403   200   403
19 pages/{p}/unpublish/                               POST   302   302   403   302   403   302   403   403   403
20 pages/{p}/unpublish/                               POST   302   302   403   403   403   302   403   302   403
19 pages/{home}/add_subpage/                          GET    302   302   403   200   403   302   403   403   403
20 pages/{home}/add_subpage/                          GET    302   302   403   403   403   302   403   200   403
19 pages/add/cms/standardpage/{home}/                 GET    302   302   403   200   403   302   403   403   403
20 pages/add/cms/standardpage/{home}/                 GET    302   302   403   403   403   302   403   200   403
19 pages/{p}/history/                                 GET    302   302   403   200   403   302   403   403   403
20 pages/{p}/history/                                 GET    302   302   403   403   403   302   403   200   403
19 pages/{p}/privacy/                                 GET    302   302   403   200   403   302   403   403   403
20 pages/{p}/privacy/                                 GET    302   302   403   403   403   302   403   200   403
"""

# {occ} is the mairie's Occupai index, {call} a call under it (the 19e's demo « été »): its organisers
# add and edit calls there, and nowhere else; the index itself stays the editors' to unpublish.
OCCUPAI = """
# mairie action                                      method anon  r19   ag19  ed19  or19  r20   ag20  ed20  or20
19 pages/add/occupai/callpage/{occ}/                  GET    302   302   403   200   200   302   403   403   403
20 pages/add/occupai/callpage/{occ}/                  GET    302   302   403   403   403   302   403   200   200
19 pages/{call}/edit/                                 GET    302   302   403   200   200   302   403   403   403
19 pages/{call}/edit/                                 POST   302   302   403   200   200   302   403   403   403
19 pages/{call}/unpublish/                            GET    302   302   403   200   200   302   403   403   403
19 pages/{occ}/edit/                                  GET    302   302   403   200   200   302   403   403   403
19 pages/{occ}/unpublish/                             GET    302   302   403   200   403   302   403   403   403
20 pages/{occ}/unpublish/                             GET    302   302   403   403   403   302   403   200   403
19 pages/{occ}/privacy/                               GET    302   302   403   200   403   302   403   403   403
19 pages/{occ}/move/                                  GET    302   302   403   200   403   302   403   403   403
"""

# {space}, {quartier}, {report}: an object of the mairie named in the first column.
SNIPPETS = """
# mairie action                                      method anon  r19   ag19  ed19  or19  r20   ag20  ed20  or20
19 snippets/occupai/space/                            GET    302   302   403   403   200   302   403   403   200
19 snippets/occupai/space/edit/{space}/               GET    302   302   403   403   200   302   404   404   404
20 snippets/occupai/space/edit/{space}/               GET    302   302   404   404   404   302   403   403   200
19 snippets/occupai/space/edit/{space}/               POST   302   302   403   403   200   302   404   404   404
19 snippets/occupai/space/delete/{space}/             GET    302   302   403   403   200   302   404   404   404
20 snippets/occupai/space/delete/{space}/             GET    302   302   404   404   404   302   403   403   200
19 snippets/occupai/space/history/{space}/            GET    302   302   403   403   200   302   404   404   404
20 snippets/occupai/space/history/{space}/            GET    302   302   404   404   404   302   403   403   200
19 snippets/occupai/space/usage/{space}/              GET    302   302   403   403   200   302   404   404   404
20 snippets/occupai/space/usage/{space}/              GET    302   302   404   404   404   302   403   403   200
19 snippets/occupai/space/copy/{space}/               GET    302   302   403   403   200   302   403   403   403
19 snippets/participation/quartier/edit/{quartier}/   GET    302   302   403   403   403   302   404   404   404
19 snippets/commandements/commitmentreport/edit/{report}/ GET    302   302   403   200   403   302   404   404   404
20 snippets/commandements/commitmentreport/edit/{report}/ GET    302   302   404   404   404   302   403   200   403
19 snippets/commandements/commitmentreport/history/{report}/ GET    302   302   403   200   403   302   404   404   404
20 snippets/commandements/commitmentreport/history/{report}/ GET    302   302   404   404   404   302   403   200   403
19 snippets/commandements/commitmentreport/usage/{report}/ GET    302   302   403   200   403   302   404   404   404
20 snippets/commandements/commitmentreport/usage/{report}/ GET    302   302   404   404   404   302   403   200   403
"""


def parse(table):
    rows = []
    for line in table.strip().splitlines():
        if line.startswith("#"):
            continue
        mairie, action, method, *codes = line.split()
        rows.append((mairie, action, method, dict(zip(ROLES, map(int, codes), strict=True))))
    return rows


@pytest.fixture
def demo(db):
    ctx = seed_demo(only=("participation", "occupai", "commandements"))  # the apps with mairie snippets
    objects = {}
    for slug, key in (("paris19", "19"), ("paris20", "20")):
        mairie, home = ctx.mairies[slug], ctx.homes[slug]
        space = Space.objects.filter(mairie=mairie).first() or Space.objects.create(
            mairie=mairie, name=f"Parvis {key}", capacity=50)
        charter = CharterPage.objects.filter(mairie=mairie).first()
        if charter is None:
            charter = home.add_child(instance=CharterPage(title=f"Charte {key}", slug=f"charte-{key}", mairie=mairie))
        report = CommitmentReport.objects.filter(charter=charter).first() or CommitmentReport.objects.create(
            charter=charter, number=1, date="2026-11-01", text="Compte rendu")
        occupai = occupai_setup.set_up(mairie, home)
        call = CallPage.objects.child_of(occupai).first()
        objects[key] = {"p": home.get_children().get(slug="a-propos").pk, "home": home.pk, "space": space.pk,
                        "quartier": Quartier.objects.filter(mairie=mairie).first().pk, "report": report.pk,
                        "occ": occupai.pk, "call": call.pk if call else None}
    return ctx, objects


def observe(ctx, objects, table):
    clients = {"anon": Client(HTTP_HOST="paris19.localhost", raise_request_exception=False)}
    for role, username in USERS.items():
        clients[role] = Client(HTTP_HOST="paris19.localhost", raise_request_exception=False)
        clients[role].force_login(ctx.users[username])
    wrong = []
    for mairie, action, method, expected in parse(table):
        url = "/admin/" + action.format(**objects[mairie])
        for role in ROLES:
            cache.clear()
            savepoint = transaction.savepoint()
            try:
                response = clients[role].generic(method, url)
            finally:
                transaction.savepoint_rollback(savepoint)
            status = response.status_code
            if status == 302 and response["Location"] == reverse("wagtailadmin_home"):
                status = 403  # Wagtail's refusal: back to the dashboard with its message
            if status != expected[role]:
                wrong.append(f"{mairie} {method} {url} as {role}: {status}, expected {expected[role]}")
    return wrong


def test_editors_reach_their_own_mairie_pages_only(demo):
    assert observe(*demo, PAGES) == []


def test_organisers_run_their_own_mairie_calls_only(demo):
    assert observe(*demo, OCCUPAI) == []


def test_mairie_snippets_answer_their_own_staff_only(demo):
    assert observe(*demo, SNIPPETS) == []


def test_a_19e_editor_cannot_lock_a_20e_page(demo):
    ctx, objects = demo
    client = Client(HTTP_HOST="paris19.localhost")
    client.force_login(ctx.users["editeur"])
    client.post(f"/admin/pages/{objects['20']['p']}/lock/")
    assert not Page.objects.get(pk=objects["20"]["p"]).locked


def test_each_editor_is_in_their_own_mairie_group_only_and_follows_a_move(demo):
    ctx, _objects = demo
    editor = ctx.users["editeur"]
    assert set(editor.groups.values_list("name", flat=True)) == {"Éditeurs", "Éditeurs · paris19"}
    editor.mairie = ctx.mairies["paris20"]
    editor.save()
    assert set(editor.groups.values_list("name", flat=True)) == {"Éditeurs", "Éditeurs · paris20"}
    editor.groups.remove(editor.groups.get(name="Éditeurs"))
    assert not editor.groups.exists()


def test_a_new_mairie_comes_with_its_editors_group_on_its_own_tree(demo):
    from wagtail.models import GroupPagePermission

    ctx, _objects = demo
    perms = GroupPagePermission.objects.filter(group__name="Éditeurs · paris20")
    assert {p.page_id for p in perms} == {ctx.homes["paris20"].pk}
    assert not GroupPagePermission.objects.filter(group__name="Éditeurs").exists()
    assert settings.WAGTAIL_SITE_NAME  # the admin answers as a whole
