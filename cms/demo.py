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
     "address": "5-7 place Armand-Carrel, 75019 Paris", "default": True},
    {"slug": "paris20", "arrondissement": 20, "name": "Mairie du 20e arrondissement", "short_name": "20e",
     "address": "6 place Gambetta, 75020 Paris", "default": False},
]

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


def demo_allowed(force=False):
    return force or settings.PLATFORM_ENV != "production"


@transaction.atomic
def seed_core(ctx: DemoContext, *, port: int = 8000):
    root = Page.get_first_root_node()
    # Wagtail's placeholder page goes: each mairie has its own home.
    for placeholder in Page.objects.filter(depth=2, content_type__model="page", content_type__app_label="wagtailcore"):
        Site.objects.filter(root_page=placeholder).delete()
        placeholder.delete()
    root.refresh_from_db()
    for spec in MAIRIES:
        slug = spec["slug"]
        home = HomePage.objects.filter(slug=f"accueil-{slug}").first()
        if home is None:
            home = root.add_child(instance=HomePage(
                title=f"Bienvenue à la {spec['name'].lower().replace('mairie', 'mairie', 1)}",
                slug=f"accueil-{slug}", intro=HOME_INTRO[slug]))
            home.save_revision().publish()
        hostname = f"{slug}.localhost"
        site, _created = Site.objects.update_or_create(
            hostname=hostname,
            defaults={"port": port, "root_page": home, "site_name": spec["name"], "is_default_site": spec["default"]},
        )
        mairie, _created = Mairie.objects.update_or_create(
            slug=slug,
            defaults={"site": site, "name": spec["name"], "short_name": spec["short_name"],
                      "arrondissement": spec["arrondissement"], "address": spec["address"]},
        )
        ctx.mairies[slug] = mairie
        ctx.homes[slug] = home
        _standard_pages(home)
    DjangoSite.objects.update_or_create(pk=settings.SITE_ID, defaults={"domain": f"paris19.localhost:{port}",
                                                                      "name": "Mairie de demain"})
    _accounts(ctx)


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
        ("vie-privee", "Vie privée et données personnelles",
         "Ce que nous gardons, pourquoi et combien de temps.",
         [("heading", "Ce que nous gardons"),
          ("paragraph", "<p>Votre compte : nom d'utilisateur, adresse e-mail, nom affiché, mairie. "
                        "Vos contributions (propositions, soutiens, commentaires) restent publiques sous "
                        "le nom que vous avez choisi, ou sous « un habitant du quartier ».</p>"),
          ("heading", "Vos courriers"),
          ("paragraph", "<p>Le texte complet, le scan et vos coordonnées ne sont visibles que des agents de "
                        "votre mairie. Ils sont effacés automatiquement à la fin de la durée de conservation "
                        "(un an par défaut) ; seul le résumé anonyme reste public.</p>"),
          ("heading", "Combien de temps"),
          ("paragraph", "<p>Votre compte est gardé tant que vous ne le supprimez pas. Les notifications vous "
                        "concernent seul·e et disparaissent avec votre compte. Les essais de connexion "
                        "manqués sont gardés quelques minutes, pour bloquer qui chercherait à deviner un "
                        "mot de passe. Les sauvegardes de la plateforme sont conservées trente jours.</p>"),
          ("heading", "Vos droits"),
          ("paragraph", "<p>Depuis votre compte, vous pouvez télécharger toutes vos données et supprimer "
                        "votre compte. Vos soutiens passés restent comptés, sans votre nom.</p>")]),
    ]
    for slug, title, intro, body in pages:
        if not home.get_children().filter(slug=slug).exists():
            page = home.add_child(instance=StandardPage(title=title, slug=slug, intro=intro, body=body))
            page.save_revision().publish()


def _accounts(ctx: DemoContext):
    password = settings.DEMO_PASSWORD
    for username, (role_names, mairie_slug, display_name) in ACCOUNTS.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, email=f"{username}@demo.mairie-de-demain.localhost",
                        display_name=display_name, mairie=ctx.mairies[mairie_slug], email_confirmed=True)
            user.set_password(password)
            user.is_staff = any(r != roles.RESIDENTS for r in role_names)
            user.save()
        user.groups.add(*Group.objects.filter(name__in=role_names))
        ctx.users[username] = user


def seed_all(ctx: DemoContext, *, port: int = 8000, only_core=False):
    seed_core(ctx, port=port)
    if only_core:
        return
    for _order, name, seeder in sorted(_seeders, key=lambda s: s[0]):
        with transaction.atomic():
            seeder(ctx)
        ctx.stdout(f"  demo: {name}")
