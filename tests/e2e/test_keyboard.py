"""Everything works with the keyboard alone: Tab to move, Enter to follow a link or submit,
Space to tick a box or press a button, typing to fill a field. No mouse, no page.goto() after
the first page: a keyboard user reaches every step through the page itself. Every element that
takes the focus on the way shows it (outline or shadow).

Flows are plain functions built from `tab_to` / `press` / `type_into`; to add one (Occupai:
submit a proposal, then vote), write it like `submit_and_support_bureau_project` below.
"""

import pytest
from django.conf import settings
from playwright.sync_api import Error as PlaywrightError

TAB_LIMIT = 80

FOCUSED = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    const style = getComputedStyle(e);
    const label = e.labels && e.labels.length ? e.labels[0].innerText : (e.getAttribute('aria-label') || '');
    return {
        tag: e.tagName.toLowerCase(), type: e.getAttribute('type') || '', name: e.getAttribute('name') || '',
        text: (e.innerText || e.value || '').trim().replace(/\\s+/g, ' '), label: label.trim(),
        visible: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none',
    };
}"""


class KeyboardUser:
    def __init__(self, page):
        self.page = page
        self.unfocusable_seen = []  # elements that took the focus without showing it

    def focused(self):
        """The focused element, or None while a page is loading (a Tab lost in a navigation
        that Enter started is pressed again by tab_to on the new page)."""
        try:
            return self.page.evaluate(FOCUSED)
        except PlaywrightError as exc:
            if "context was destroyed" not in str(exc):
                raise
            self.page.wait_for_load_state()
            return None

    def tab_to(self, wanted: str, *, kind: str = ""):
        """Press Tab until the focused element's label or text starts with `wanted`."""
        seen = []
        for _n in range(TAB_LIMIT):
            self.page.keyboard.press("Tab")
            element = self.focused()
            if element is None:
                continue
            if not element["visible"]:
                self.unfocusable_seen.append(element)
            name = element["label"] or element["text"]
            seen.append(f"{element['tag']}:{name[:40]}")
            if name.startswith(wanted) and (not kind or element["tag"] == kind):
                return element
        raise AssertionError(f"{wanted!r} not reached with Tab; focus went through: {seen}")

    def type_into(self, label: str, text: str):
        self.tab_to(label)
        self.page.keyboard.type(text)

    def press(self, wanted: str, key: str = "Enter", *, kind: str = ""):
        self.tab_to(wanted, kind=kind)
        self.page.keyboard.press(key)
        self.page.wait_for_load_state()

    def restart_from_top(self):
        """As after a page load: the next Tab goes to the first focusable element."""
        self.page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
        self.page.keyboard.press("Escape")


def keyboard_login(user: KeyboardUser, username: str, password: str):
    user.press("Se connecter")  # the header link
    user.page.wait_for_url("**/compte/connexion/**")
    user.type_into("Nom d'utilisateur ou adresse e-mail", username)
    user.type_into("Mot de passe", password)
    user.page.keyboard.press("Enter")
    user.page.wait_for_url(lambda url: "/connexion/" not in url)  # back where the user came from
    user.page.get_by_role("button", name="Se déconnecter").wait_for()


def submit_and_support_bureau_project(user: KeyboardUser, title: str, other_title: str):
    page = user.page
    user.press("Accueil")
    user.press("Bureau de l'intelligence citoyenne", kind="a")
    user.press("Proposer un projet")
    user.type_into("Titre", title)
    user.type_into("Votre projet en une phrase", "Des légumes cultivés avec les écoles du quartier.")
    user.type_into("Description", "Des bacs sur le toit, un composteur et un atelier le mercredi.")
    user.tab_to("Un lieu")  # a need: ticked with Space
    page.keyboard.press("Space")
    assert page.get_by_label("Un lieu").is_checked()
    user.press("Enregistrer le brouillon")
    page.get_by_text("Brouillon enregistré").wait_for()
    user.restart_from_top()
    user.press("Déposer le projet", "Space")
    page.get_by_text("Projet déposé !").wait_for()
    # Support another resident's project, found from the Bureau's list.
    user.restart_from_top()
    user.press("Bureau de l'intelligence citoyenne", kind="a")
    user.press(other_title)
    user.press("Soutenir", "Space")
    page.get_by_text("Votre soutien est enregistré").wait_for()


@pytest.fixture
def bureau_ready(e2e_ctx):
    from participation.bureau.models import Status
    from tests.factories.bureau import ProjectFactory, bureau_index

    mairie = e2e_ctx.mairies["paris19"]
    bureau_index(mairie)
    other = ProjectFactory(mairie=mairie, author=e2e_ctx.users["agent"], status=Status.UNDER_REVIEW,
                           title="Des bancs à l'ombre rue de Meaux")
    return other


def test_a_resident_submits_a_project_and_supports_one_with_the_keyboard_alone(e2e_ctx, bureau_ready, new_page):
    from participation.bureau.models import Project, Status

    page = new_page()
    page.goto(e2e_ctx.url + "/")
    user = KeyboardUser(page)
    keyboard_login(user, "habitant", settings.DEMO_PASSWORD)
    submit_and_support_bureau_project(user, "Un potager sur le toit du gymnase", bureau_ready.title)

    mine = Project.objects.get(title="Un potager sur le toit du gymnase")
    assert mine.status == Status.SUBMITTED
    assert mine.needs == ["space"]
    bureau_ready.refresh_from_db()
    assert bureau_ready.supports_count == 1
    assert user.unfocusable_seen == [], "focus not visible on: " + str(user.unfocusable_seen)


def test_the_skip_link_is_the_first_stop_and_leads_to_the_content(e2e_ctx, new_page):
    page = new_page()
    page.goto(e2e_ctx.url + "/")
    user = KeyboardUser(page)
    page.keyboard.press("Tab")
    first = user.focused()
    assert first["text"] == "Aller au contenu" and first["visible"]
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "contenu"
