"""Accessibility in a real browser: axe-core (shipped by axe-playwright-python, no CDN) on every
page type of the demo content, logged out and logged in; any serious or critical violation
fails. The same visits check that the strict Content-Security-Policy blocks nothing (no inline
script or style anywhere) and that no script error occurs. Forms announce their errors
(role="alert") after an invalid submit.

To add an app's page types, append PageType rows to PAGES: `url` receives the test's data
(`data.base`, `data.bureau`, `data.project`... add what your pages need in `a11y_data`).
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.conf import settings

from cms.demo import _seeders
from tests.e2e.conftest import login, seed_e2e_ctx, seeded_once

BLOCKING = {"serious", "critical"}


def _unsubscribe_token():
    from cms.models import User
    from participation.preferences import make_unsubscribe_token

    return make_unsubscribe_token(User.objects.get(username="habitant"), ["followed"])


def _open_bricolage(*, past):
    """The demo's coming (or past) Open Bricolage edition."""
    from django.utils import timezone

    from bricolages.models import OpenBricolageEdition

    today = timezone.localdate()
    editions = OpenBricolageEdition.objects.filter(date__lt=today) if past else OpenBricolageEdition.objects.filter(
        date__gte=today)
    return editions.order_by("pk").first().get_absolute_url()


@dataclass(frozen=True)
class PageType:
    name: str
    url: Callable  # url(data) -> path on the 19e
    who: tuple = (None, "habitant", "organisateur")  # None = logged out; demo usernames otherwise


PAGES = [
    PageType("accueil", lambda d: "/"),
    PageType("page standard", lambda d: "/a-propos/"),
    PageType("déclaration d'accessibilité", lambda d: "/accessibilite/", who=(None,)),
    PageType("mentions légales", lambda d: "/mentions-legales/", who=(None,)),
    PageType("données personnelles", lambda d: "/donnees-personnelles/", who=(None, "habitant")),
    PageType("inscription", lambda d: "/compte/inscription/", who=(None,)),
    PageType("connexion", lambda d: "/compte/connexion/", who=(None,)),
    PageType("mot de passe oublié", lambda d: "/compte/mot-de-passe/oubli/", who=(None,)),
    PageType("page introuvable", lambda d: "/cette-page-n-existe-pas/", who=(None, "habitant")),
    PageType("mon compte", lambda d: "/compte/", who=("habitant", "organisateur")),
    PageType("vérifiez votre e-mail", lambda d: "/compte/e-mail/lien-envoye/", who=(None,)),
    PageType("changer d'adresse e-mail", lambda d: "/compte/e-mail/", who=("habitant",)),
    PageType("double authentification", lambda d: "/compte/double-authentification/", who=("habitant",)),
    PageType("supprimer mon compte", lambda d: "/compte/supprimer/", who=("habitant",)),
    PageType("notifications", lambda d: "/notifications/", who=("habitant",)),
    PageType("se désabonner", lambda d: f"/notifications/desabonnement/{_unsubscribe_token()}/", who=(None,)),
    PageType("signaler", lambda d: f"/participer/signaler/?target={d.project.target_ref}", who=("habitant",)),
    PageType("modération", lambda d: "/moderation/", who=("organisateur",)),
    PageType("bureau : accueil", lambda d: d.bureau),
    PageType("bureau : projet", lambda d: f"{d.bureau}projets/{d.project.pk}/", who=(None, "habitant", "organisateur")),
    PageType("bureau : proposer", lambda d: f"{d.bureau}proposer/", who=("habitant",)),
    PageType("bureau : à relire", lambda d: f"{d.bureau}a-relire/", who=("organisateur",)),
    # The apps' demo content (seeded by a11y_data).
    PageType("occupai : accueil", lambda d: "/occupai/"),
    PageType("occupai : appel", lambda d: "/occupai/ete/"),
    PageType("occupai : proposition", lambda d: f"/occupai/ete/propositions/{d.proposal.pk}/"),
    PageType("occupai : programme", lambda d: "/occupai/printemps/programme/"),
    PageType("occupai : agenda", lambda d: "/occupai/agenda/", who=(None,)),
    PageType("occupai : organisation", lambda d: "/occupai/ete/organisation/", who=("organisateur",)),
    PageType("charte", lambda d: "/19-commandements/"),
    PageType("charte : commandement", lambda d: "/19-commandements/commandement/1/"),
    PageType("charte : amender", lambda d: "/19-commandements/commandement/1/amender/", who=("habitant",)),
    PageType("charte : affiche", lambda d: "/19-commandements/affiche/", who=(None,)),
    PageType("charte : écran", lambda d: "/19-commandements/ecran/", who=(None,)),
    PageType("service lab : accueil", lambda d: "/service-lab/"),
    PageType("service lab : sujets", lambda d: "/service-lab/sujets/"),
    PageType("service lab : sujet", lambda d: f"/service-lab/sujets/{d.issue.pk}/"),
    PageType("service lab : tirages", lambda d: "/service-lab/tirages/", who=(None,)),
    PageType("service lab : tirage", lambda d: f"/service-lab/tirages/{d.draw.pk}/"),
    PageType("service lab : hackathons", lambda d: "/service-lab/hackathons/", who=(None,)),
    PageType("service lab : écrire", lambda d: "/service-lab/ecrire/", who=("habitant",)),
    PageType("service lab : courriers", lambda d: "/service-lab/agents/courriers/", who=("organisateur",)),
    PageType("service lab : organisation", lambda d: "/service-lab/organisation/", who=("organisateur",)),
    PageType("bricolages : liste", lambda d: "/bricolages/", who=("organisateur",)),
    PageType("bricolages : fiche", lambda d: f"/bricolages/{d.bricolage.pk}/", who=("organisateur",)),
    PageType("bricolages : historique", lambda d: f"/bricolages/{d.bricolage.pk}/historique/", who=("organisateur",)),
    PageType("explorations : accueil", lambda d: "/bricolages/explorations/", who=("organisateur",)),
    PageType("explorations : proposer", lambda d: "/bricolages/explorations/proposer/", who=("organisateur",)),
    PageType("explorations : journée", lambda d: f"/bricolages/explorations/journees/{d.exploration.day_id}/",
             who=("organisateur",)),
    PageType("explorations : exploration", lambda d: f"/bricolages/explorations/{d.exploration.pk}/",
             who=("organisateur",)),
    PageType("explorations : synthèse", lambda d: f"/bricolages/explorations/syntheses/{d.exploration_summary.pk}/",
             who=("organisateur",)),
    PageType("explorations : calendrier", lambda d: "/bricolages/explorations/calendrier/", who=("organisateur",)),
    PageType("open bricolage : éditions", lambda d: "/open-bricolage/"),
    PageType("open bricolage : édition", lambda d: _open_bricolage(past=False)),
    PageType("open bricolage : édition passée", lambda d: _open_bricolage(past=True), who=(None, "organisateur")),
    PageType("open bricolage : annoncer", lambda d: "/open-bricolage/nouvelle/", who=("organisateur",)),
    PageType("open bricolage : atelier", lambda d: _open_bricolage(past=False) + "ateliers/nouveau/",
             who=("organisateur",)),
    PageType("file d'attente : prendre un ticket", lambda d: "/accueil/", who=(None,)),
    PageType("file d'attente : borne", lambda d: "/accueil/borne/", who=(None,)),
    PageType("file d'attente : écran du hall", lambda d: "/accueil/ecran/", who=(None,)),
    PageType("file d'attente : ticket", lambda d: f"/accueil/ticket/{d.ticket.token}/", who=(None,)),
    PageType("file d'attente : guichets", lambda d: "/accueil/guichets/", who=("organisateur",)),
    PageType("file d'attente : guichet", lambda d: f"/accueil/guichets/{d.counter.pk}/", who=("organisateur",)),
    PageType("coworking : espaces", lambda d: "/accueil/coworking/", who=(None,)),
    PageType("coworking : espace", lambda d: f"/accueil/coworking/{d.coworking.pk}/", who=(None, "organisateur")),
    PageType("coworking : mes réservations", lambda d: "/accueil/coworking/mes-reservations/", who=("organisateur",)),
    PageType("coworking : invitations", lambda d: "/accueil/coworking/invitations/", who=("organisateur",)),
    PageType("coworking : invitation", lambda d: f"/accueil/coworking/invitation/{d.invitation.key}/", who=(None,)),
    PageType("changer mon mot de passe", lambda d: "/compte/mot-de-passe/changer/", who=("habitant",)),
    PageType("service lab : mes courriers", lambda d: "/service-lab/mes-courriers/", who=("habitant",)),
    PageType("ambassadeurs : liste", lambda d: "/accueil/ambassadeurs/", who=(None,)),
    PageType("ambassadeurs : profil", lambda d: f"/accueil/ambassadeurs/{d.help_request.ambassador_id}/",
             who=(None, "habitant")),
    PageType("ambassadeurs : candidater", lambda d: "/accueil/ambassadeurs/candidater/", who=("habitant",)),
    PageType("ambassadeurs : candidatures", lambda d: "/accueil/ambassadeurs/candidatures/", who=("organisateur",)),
    PageType("ambassadeurs : mes demandes", lambda d: "/accueil/ambassadeurs/demandes/", who=("habitant",)),
    PageType("ambassadeurs : demande", lambda d: f"/accueil/ambassadeurs/demandes/{d.help_request.pk}/",
             who=("habitant",)),
    PageType("guide : accueil", lambda d: "/guide/"),
    PageType("guide : situation (livret)", lambda d: "/guide/avoir-un-enfant/"),
    PageType("guide : démarche", lambda d: "/guide/avoir-un-enfant/inscription-creche/"),
    PageType("carnets : mes carnets", lambda d: "/carnets/", who=("habitant",)),
    PageType("carnets : carnet", lambda d: f"/carnets/{d.carnet.pk}/", who=("habitant",)),
    PageType("carnets : fiche de liaison", lambda d: f"/carnets/{d.carnet.pk}/imprimer/", who=("habitant",)),
    PageType("carnets : partagés avec mes services", lambda d: "/carnets/services/", who=("organisateur",)),
    PageType("carnets : guichet", lambda d: "/carnets/guichet/", who=("organisateur",)),
    PageType("carnets : lire avec un code", lambda d: "/carnets/code/", who=(None,)),
    PageType("carnets : rattacher un carnet", lambda d: "/carnets/rattacher/", who=("habitant",)),
    PageType("recherche", lambda d: "/recherche/?q=jardin"),
    PageType("données ouvertes", lambda d: "/donnees-ouvertes/", who=(None,)),
]


@dataclass
class A11yData:
    base: str
    bureau: str
    project: object
    proposal: object = None
    issue: object = None
    draw: object = None
    bricolage: object = None
    ticket: object = None
    counter: object = None
    coworking: object = None
    invitation: object = None
    help_request: object = None  # the demo's thread between « habitant » and Mariam, ambassadrice
    carnet: object = None
    exploration: object = None  # an application the 19e hosts (its organiser sees it)
    exploration_summary: object = None


@pytest.fixture
def a11y_data(live_server):
    """The whole demo and a few more objects; on SQLite built once per test process and copied
    back for each test (seeded_once): these tests only read it, or post forms that are refused."""
    return seeded_once("accessibility", lambda: _a11y_data(seed_e2e_ctx(live_server)))


def _a11y_data(e2e_ctx):
    from participation import services as engine
    from participation.bureau.models import Status
    from tests.factories.bureau import ProjectFactory, bureau_index

    mairie = e2e_ctx.mairies["paris19"]
    index = bureau_index(mairie)
    project = ProjectFactory(mairie=mairie, author=e2e_ctx.users["habitant"], status=Status.INCUBATED,
                             title="Un composteur au square")
    engine.comment_post(user=e2e_ctx.users["agent"], target=project, text="Le jardinier peut vous aider.")
    engine.follow_add(user=e2e_ctx.users["habitant"], target=project)
    engine.notify_followers(target=project, verb="status", title="Votre projet avance", url="/")
    for _order, _name, seeder in sorted(_seeders, key=lambda s: s[0]):  # every app's demo content
        seeder(e2e_ctx)
    from django.utils import timezone

    from accueil.models import Counter, CoworkingSpace, HelpRequest, Invitation, Service, Ticket
    from bricolages.models import BricolagePage, ExplorationApplication, ExplorationSummary
    from guide.models import Carnet
    from hackathon.models import Draw, RecurringIssue
    from occupai.models import Proposal

    civil = Service.objects.get(mairie=mairie, slug="etat-civil")
    ticket = Ticket.objects.create(mairie=mairie, service=civil, day=timezone.localdate(), seq=900, number="E900",
                                   queued_at=timezone.now())  # made directly: the demo's hours may be closed now
    return A11yData(
        ticket=ticket, counter=Counter.objects.filter(service=civil).order_by("number").first(),
        coworking=CoworkingSpace.objects.filter(mairie=mairie).order_by("pk").first(),
        invitation=Invitation.objects.filter(mairie=mairie).order_by("pk").first(),
        help_request=HelpRequest.objects.filter(neighbour=e2e_ctx.users["habitant"]).order_by("pk").first(),
        base=e2e_ctx.url, bureau=index.get_url_parts()[2], project=project,
        proposal=Proposal.objects.filter(call__slug="ete", status=Proposal.Status.ACCEPTED).order_by("pk").first(),
        issue=RecurringIssue.objects.filter(mairie=mairie).order_by("pk").first(),
        draw=Draw.objects.filter(mairie=mairie).order_by("pk").first(),
        bricolage=BricolagePage.objects.live().order_by("pk").first(),
        carnet=Carnet.objects.filter(owner=e2e_ctx.users["habitant"]).order_by("pk").first(),
        exploration=ExplorationApplication.objects.filter(day__mairie=mairie).order_by("pk").first(),
        exploration_summary=ExplorationSummary.objects.order_by("pk").first())


def watch(page):
    """Collect CSP violations and script errors reported by the browser."""
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if (
        msg.type == "error" and ("Content Security Policy" in msg.text or "Refused to" in msg.text)) else None)
    page.on("pageerror", lambda exc: problems.append(f"script error: {exc}"))
    return problems


def with_axe(page):
    """axe-core evaluated by the browser in each new document of this page, before the page's own
    scripts and outside its CSP, instead of sent again (570 kB) with every audit."""
    from axe_playwright_python.sync_playwright import Axe

    page.context.add_init_script(Axe().axe_script)
    return page


def audit(page):
    from axe_playwright_python.sync_playwright import DEFAULT_OPTIONS, Axe

    if page.evaluate("typeof window.axe") == "object":
        violations = page.evaluate("options => axe.run(document, options).then(r => r.violations)", DEFAULT_OPTIONS)
    else:
        violations = Axe().run(page).response["violations"]
    return [f"{v['id']} ({v['impact']}): {v['help']} — {', '.join(str(n['target']) for n in v['nodes'][:3])}"
            for v in violations if v.get("impact") in BLOCKING]


@pytest.mark.parametrize("who", [None, "habitant", "organisateur"])
def test_every_page_type_has_no_serious_accessibility_violation(who, a11y_data, new_page):
    page = with_axe(new_page())
    problems = watch(page)
    if who:
        login(page, a11y_data.base, who, settings.DEMO_PASSWORD)
        page.wait_for_url("**/compte/")
    report = {}
    visited = 0
    for kind in PAGES:
        if who not in kind.who:
            continue
        page.goto(a11y_data.base + kind.url(a11y_data))
        visited += 1
        found = audit(page) + problems[:]
        problems.clear()
        if page.locator("h1").count() != 1:
            found.append(f"{page.locator('h1').count()} h1 elements (one expected)")
        if found:
            report[kind.name] = found
    assert visited >= 5
    assert report == {}, "\n".join(f"{name}: {items}" for name, items in report.items())


FORMS = [
    # (page, who, submit button) — an empty or wrong submit must show a role=alert summary.
    ("/compte/inscription/", None, "Créer mon compte"),
    ("/compte/connexion/", None, "Se connecter"),
    ("/compte/supprimer/", "habitant", "Supprimer définitivement mon compte"),
    ("{bureau}proposer/", "habitant", "Enregistrer le brouillon"),
]


@pytest.mark.parametrize(("path", "who", "button"), FORMS)
def test_forms_announce_their_errors(path, who, button, a11y_data, new_page):
    page = new_page()
    if who:
        login(page, a11y_data.base, who, settings.DEMO_PASSWORD)
        page.wait_for_url("**/compte/")
    page.goto(a11y_data.base + path.format(bureau=a11y_data.bureau))
    page.get_by_role("button", name=button).click()
    alert = page.get_by_role("alert").first
    alert.wait_for()
    assert alert.inner_text().strip()
    invalid = page.locator("[aria-invalid=true]")
    assert invalid.count() >= 1
    # Each invalid field points at its message.
    described = invalid.first.get_attribute("aria-describedby") or ""
    if described:
        assert page.locator(f"#{described.split()[-1]}").inner_text().strip()


def test_the_checks_catch_what_they_look_for(a11y_data, new_page):
    """Controls: axe reports an unlabelled control, and the watcher sees a script the CSP blocks."""
    page = new_page()
    problems = watch(page)
    page.goto(a11y_data.base + "/")
    page.evaluate("() => document.querySelector('main').appendChild(document.createElement('button'))")
    assert any(v.startswith("button-name (critical)") for v in audit(page))
    with page.expect_console_message(lambda msg: "Content Security Policy" in msg.text):
        page.evaluate("""() => {
            const script = document.createElement('script');
            script.textContent = 'window.injected = 1';
            document.body.appendChild(script);
        }""")
    assert any("Content Security Policy" in p for p in problems), problems
    assert page.evaluate("window.injected") is None


def test_the_api_docs_and_the_admin_work_under_their_policies(a11y_data, new_page):
    """Swagger UI runs under the strict policy; the Wagtail admin (dashboard, page editor and its
    preview) under its looser one: the browser refuses nothing."""
    page = new_page()
    problems = watch(page)
    page.goto(a11y_data.base + "/api/docs/")
    page.get_by_text("Mairie de demain API").first.wait_for()
    login(page, a11y_data.base, "editeur", settings.DEMO_PASSWORD)
    page.wait_for_url("**/compte/")
    page.goto(a11y_data.base + "/admin/")
    page.locator("main").first.wait_for()
    home = a11y_data.project.mairie.site.root_page
    page.goto(f"{a11y_data.base}/admin/pages/{home.pk}/edit/")
    page.get_by_role("button", name="Enregistrer le brouillon").first.wait_for()
    page.goto(f"{a11y_data.base}/admin/pages/{home.pk}/edit/preview/?mode=")
    page.wait_for_load_state("networkidle")  # the admin's background requests end before the flush
    page.close()
    assert problems == []
