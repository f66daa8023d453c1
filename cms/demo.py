"""Demo content: the core (mairies, home pages, accounts) and a registry that apps feed with
their own seeders in ready(). Everything is idempotent: running it twice changes nothing."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.sites.models import Site as DjangoSite
from django.db import transaction
from wagtail.models import Page, Site

from . import roles
from .models import HomePage, Mairie, StandardPage, User

_seeders: list[tuple[int, str, Callable]] = []


def register_demo(order: int, name: str, seeder: Callable):
    """seeder(ctx: DemoContext) adds an app's demo content; it must be idempotent."""
    if name not in {n for _o, n, _s in _seeders}:
        _seeders.append((order, name, seeder))


@dataclass
class DemoContext:
    mairies: dict[str, Mairie] = field(default_factory=dict)
    homes: dict[str, HomePage] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    stdout: Callable = print


MAIRIES = [
    {"slug": "paris19", "arrondissement": 19, "name": "Mairie du 19e arrondissement", "short_name": "19e",
     "address": "5-7 place Armand-Carrel, 75019 Paris", "default": True,
     "contact_email": "contact@paris19.localhost", "phone": "01 23 45 67 19",
     "opening_hours": "Du lundi au vendredi : 8 h 30 – 17 h\nLe jeudi : jusqu'à 19 h 30 (état civil)\n"
                      "Le samedi : 9 h – 12 h 30 (état civil)"},
    {"slug": "paris20", "arrondissement": 20, "name": "Mairie du 20e arrondissement", "short_name": "20e",
     "address": "6 place Gambetta, 75020 Paris", "default": False,
     "contact_email": "contact@paris20.localhost", "phone": "01 23 45 67 20",
     "opening_hours": "Du lundi au vendredi : 8 h 30 – 17 h\nLe jeudi : jusqu'à 19 h 30 (état civil)"},
]
CONTACT = ("name", "short_name", "address", "contact_email", "phone", "opening_hours")

HOME_INTRO = {
    "paris19": "<p>La mairie du 19e s'ouvre : ici, on propose, on soutient, on discute et on décide ensemble. "
               "Une charte qui nous engage les uns envers les autres, des fêtes imaginées par les habitants, "
               "des projets de quartier accompagnés, vos courriers transformés en solutions.</p>",
    "paris20": "<p>La mairie du 20e rejoint la plateforme : proposez, soutenez, suivez ce qui se décide "
               "près de chez vous.</p>",
}

# username -> (role groups, mairie slug, display name)
ACCOUNTS = {
    "habitant": ([roles.RESIDENTS], "paris19", "Awa, habitante de Belleville-Villette"),
    "agent": ([roles.AGENTS], "paris19", "Karim, agent d'accueil du 19e"),
    "editeur": ([roles.EDITORS], "paris19", "Lucie, éditrice du 19e"),
    "organisateur": ([roles.ORGANISERS], "paris19", "Samir, organisateur du 19e"),
    "habitant20": ([roles.RESIDENTS], "paris20", "Jeanne, habitante du 20e"),
    "agent20": ([roles.AGENTS], "paris20", "Paul, agent d'accueil du 20e"),
    "editeur20": ([roles.EDITORS], "paris20", "Inès, éditrice du 20e"),
    "organisateur20": ([roles.ORGANISERS], "paris20", "Marc, organisateur du 20e"),
}


# The 20e reviews its pages (Mairie.pages_reviewed, cms.moderation): a second editor approves what
# `editeur20` submits, and the other way round. Added by the demo's "review" step, not by the core
# demo the test suite starts from (there the 20e's editors publish directly).
REVIEWED_MAIRIES = ("paris20",)
REVIEW_ACCOUNTS = {
    "relecteur20": ([roles.EDITORS], "paris20", "Théo, éditeur du 20e"),
}


def demo_allowed(force=False):
    return force or settings.PLATFORM_ENV != "production"


@transaction.atomic
def seed_core(ctx: DemoContext, *, port: int = 8000):
    """The two demo mairies as cms.mairie_setup.mairie_create makes them (site, home page, record,
    role groups), their standard pages and the demo accounts. Their sections (charter, Occupai,
    Bureau...) come with the apps' demo (seed_sections), as add_mairie adds them; the test suite's
    core demo is this alone, so that tests build the pages they need."""
    from .mairie_setup import mairie_create

    root = Page.get_first_root_node()
    # Wagtail's placeholder page goes: each mairie has its own home.
    for placeholder in Page.objects.filter(depth=2, content_type__model="page", content_type__app_label="wagtailcore"):
        Site.objects.filter(root_page=placeholder).delete()
        placeholder.delete()
    root.refresh_from_db()
    for spec in MAIRIES:
        slug = spec["slug"]
        mairie = Mairie.objects.select_related("site").filter(slug=slug).first()
        if mairie is None:
            mairie = mairie_create(slug=slug, arrondissement=spec["arrondissement"], hostname=f"{slug}.localhost",
                                   port=port, intro=HOME_INTRO[slug], default_site=spec["default"],
                                   **{field: spec[field] for field in CONTACT})
        else:  # seeded before: the demo's values again, and the port it answers on this time
            for field in CONTACT:
                setattr(mairie, field, spec[field])
            mairie.save()
            site = mairie.site
            site.port, site.site_name, site.is_default_site = port, spec["name"], spec["default"]
            site.save()
        ctx.mairies[slug] = mairie
        ctx.homes[slug] = HomePage.objects.get(pk=mairie.site.root_page_id)
        _standard_pages(ctx.homes[slug])
    DjangoSite.objects.update_or_create(pk=settings.SITE_ID, defaults={"domain": f"paris19.localhost:{port}",
                                                                      "name": "Mairie de demain"})
    _accounts(ctx)


def seed_sections(ctx: DemoContext):
    """Every app's section on each demo mairie, set up as add_mairie sets up a new mairie's
    (cms.mairie_setup), before the apps' demo content fills them."""
    from .mairie_setup import mairie_set_up

    for mairie in ctx.mairies.values():
        mairie_set_up(mairie=mairie)


def _standard_pages(home):
    pages = [
        ("a-propos", "À propos de la plateforme",
         "D'où vient cette plateforme et comment elle fonctionne.",
         [("heading", "Une mairie qui se réinvente avec ses habitants"),
          ("paragraph", "<p>Pendant une semaine, des habitants, des agents et des élus ont imaginé ensemble "
                        "la mairie de demain : plus accueillante, plus ouverte sur son quartier, capable "
                        "d'expérimenter. Cette plateforme donne une suite concrète à leurs idées.</p>"),
          ("paragraph", "<p>Tout ce que vous voyez ici est public, sauf vos données personnelles : "
                        "vos courriers et vos coordonnées ne sont lus que par les agents qui les traitent.</p>")]),
    ]
    for slug, title, intro, body in pages:
        if not home.get_children().filter(slug=slug).exists():
            page = home.add_child(instance=StandardPage(title=title, slug=slug, intro=intro, body=body))
            page.save_revision().publish()


def seed_review(ctx: DemoContext):
    """Page review on in the REVIEWED_MAIRIES, with the second editor it needs (idempotent)."""
    from .mairie_setup import mairie_update

    _accounts(ctx, REVIEW_ACCOUNTS)
    for slug in REVIEWED_MAIRIES:
        if not ctx.mairies[slug].pages_reviewed:
            ctx.mairies[slug] = mairie_update(mairie=ctx.mairies[slug], pages_reviewed=True)


def _accounts(ctx: DemoContext, accounts=ACCOUNTS):
    password = settings.DEMO_PASSWORD
    for username, (role_names, mairie_slug, display_name) in accounts.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, email=f"{username}@demo.mairie-de-demain.localhost",
                        display_name=display_name, mairie=ctx.mairies[mairie_slug], email_confirmed=True)
            user.set_password(password)
            user.is_staff = any(r != roles.RESIDENTS for r in role_names)
            user.save()
        user.groups.add(*Group.objects.filter(name__in=role_names))
        if user.is_staff:
            _demo_second_factor(user)
        ctx.users[username] = user


def _demo_second_factor(user):
    """In development only, the demo's staff share one known TOTP secret (settings.DEMO_TOTP_SECRET), so that
    `make run` can log them in: `manage.py demo_totp` prints the current code. Never in production."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    if settings.DEBUG and settings.DEMO_TOTP_SECRET and not Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, settings.DEMO_TOTP_SECRET)


def seed_all(ctx: DemoContext, *, port: int = 8000, only_core=False):
    seed_core(ctx, port=port)
    if only_core:
        return
    for _order, name, seeder in sorted(_seeders, key=lambda s: s[0]):
        with transaction.atomic():
            seeder(ctx)
        ctx.stdout(f"  demo: {name}")
