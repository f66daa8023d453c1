"""The legal pages and conventions of a French public site, linked from every page's footer:

- `/accessibilite/`: the accessibility statement (déclaration d'accessibilité, RGAA 4.1), with the
  date and scope of the project's own audits: the axe-core sweep of every page type in a browser
  (tests/e2e/test_accessibility.py, whose page list AUDITED_PAGE_TYPES repeats, a test keeping the
  two equal) and the keyboard-only flows (tests/e2e/test_keyboard.py);
- `/mentions-legales/`: publisher (the mairie of the request's host), publication director, host
  (HOSTING_* settings), licence of the contents;
- `/donnees-personnelles/`: what is kept about people, why and how long, each duration read from the
  setting that drives its deletion (the apps' rows come from `cms.privacy.register_retention`);
- `/robots.txt` and `/.well-known/security.txt` (RFC 9116, contact from SECURITY_CONTACT).

Plain Django views, not Wagtail pages: their facts come from settings and code, which editors cannot
change, so an editor cannot make them untrue. When the sweep or the keyboard flows are run again over
a changed set of pages, update AUDITED_PAGE_TYPES and the dates below.
"""

from datetime import UTC, date, timedelta

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext
from django.views.decorators.http import require_GET

from . import db_router
from .mairies import mairie_exempt, mairie_for_request
from .privacy import retentions

# --- the accessibility statement's facts ---------------------------------------------------------

RGAA_VERSION = "4.1"
STATEMENT_DATE = date(2026, 12, 7)  # when this statement was last written
AUTOMATED_AUDIT = {"date": date(2026, 12, 7), "tool": "axe-core 4.12.1 (axe-playwright-python), Chromium"}
KEYBOARD_AUDIT = {"date": date(2026, 12, 7), "tool": "Playwright, Chromium"}
# The page types of the automated sweep, by the names of tests/e2e/test_accessibility.py's PAGES.
AUDITED_PAGE_TYPES = (
    gettext_noop("accueil"), gettext_noop("page standard"), gettext_noop("déclaration d'accessibilité"),
    gettext_noop("mentions légales"), gettext_noop("données personnelles"), gettext_noop("inscription"),
    gettext_noop("connexion"), gettext_noop("mot de passe oublié"), gettext_noop("page introuvable"),
    gettext_noop("mon compte"), gettext_noop("vérifiez votre e-mail"), gettext_noop("changer d'adresse e-mail"),
    gettext_noop("double authentification"), gettext_noop("supprimer mon compte"), gettext_noop("notifications"),
    gettext_noop("se désabonner"), gettext_noop("changer mon mot de passe"),
    gettext_noop("signaler"), gettext_noop("modération"), gettext_noop("bureau : accueil"),
    gettext_noop("bureau : projet"), gettext_noop("bureau : proposer"), gettext_noop("bureau : à relire"),
    gettext_noop("occupai : accueil"), gettext_noop("occupai : appel"), gettext_noop("occupai : proposition"),
    gettext_noop("occupai : programme"), gettext_noop("occupai : agenda"),
    gettext_noop("occupai : organisation"), gettext_noop("charte"), gettext_noop("charte : commandement"),
    gettext_noop("charte : amender"), gettext_noop("charte : affiche"), gettext_noop("charte : écran"),
    gettext_noop("service lab : accueil"), gettext_noop("service lab : sujets"),
    gettext_noop("service lab : sujet"), gettext_noop("service lab : tirages"),
    gettext_noop("service lab : tirage"), gettext_noop("service lab : hackathons"),
    gettext_noop("service lab : écrire"), gettext_noop("service lab : courriers"),
    gettext_noop("service lab : organisation"), gettext_noop("service lab : mes courriers"),
    gettext_noop("bricolages : liste"), gettext_noop("explorations : accueil"),
    gettext_noop("explorations : proposer"), gettext_noop("explorations : journée"),
    gettext_noop("explorations : exploration"), gettext_noop("explorations : synthèse"),
    gettext_noop("explorations : calendrier"),
    gettext_noop("open bricolage : éditions"), gettext_noop("open bricolage : édition"),
    gettext_noop("open bricolage : édition passée"), gettext_noop("open bricolage : annoncer"),
    gettext_noop("open bricolage : atelier"),
    gettext_noop("bricolages : fiche"), gettext_noop("bricolages : historique"),
    gettext_noop("file d'attente : prendre un ticket"), gettext_noop("file d'attente : borne"),
    gettext_noop("file d'attente : écran du hall"), gettext_noop("file d'attente : ticket"),
    gettext_noop("file d'attente : guichets"), gettext_noop("file d'attente : guichet"),
    gettext_noop("coworking : espaces"), gettext_noop("coworking : espace"),
    gettext_noop("coworking : mes réservations"), gettext_noop("coworking : invitations"),
    gettext_noop("coworking : invitation"), gettext_noop("ambassadeurs : liste"),
    gettext_noop("ambassadeurs : profil"), gettext_noop("ambassadeurs : candidater"),
    gettext_noop("ambassadeurs : candidatures"), gettext_noop("ambassadeurs : mes demandes"),
    gettext_noop("ambassadeurs : demande"), gettext_noop("guide : accueil"),
    gettext_noop("guide : situation (livret)"), gettext_noop("guide : démarche"),
    gettext_noop("carnets : mes carnets"), gettext_noop("carnets : carnet"),
    gettext_noop("carnets : fiche de liaison"), gettext_noop("carnets : partagés avec mes services"),
    gettext_noop("carnets : guichet"), gettext_noop("carnets : lire avec un code"),
    gettext_noop("carnets : rattacher un carnet"), gettext_noop("recherche"), gettext_noop("données ouvertes"),
)

DEFENSEUR_FORM = "https://formulaire.defenseurdesdroits.fr/"
DEFENSEUR_DELEGATES = "https://www.defenseurdesdroits.fr/saisir/delegues"
CNIL_COMPLAINT = "https://www.cnil.fr/fr/plaintes"
LICENCE_OUVERTE = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"


def _common(request):
    return {"mairie": mairie_for_request(request), "host": request.get_host()}


@require_GET
def accessibility(request):
    return render(request, "legal/accessibility.html", {
        **_common(request), "rgaa_version": RGAA_VERSION, "statement_date": STATEMENT_DATE,
        "automated": AUTOMATED_AUDIT, "keyboard": KEYBOARD_AUDIT, "page_types": AUDITED_PAGE_TYPES,
        "defenseur_form": DEFENSEUR_FORM, "defenseur_delegates": DEFENSEUR_DELEGATES,
    })


@require_GET
def legal_notice(request):
    return render(request, "legal/legal_notice.html", {
        **_common(request), "licence_url": LICENCE_OUVERTE,
        "hosting": {"name": settings.HOSTING_PROVIDER, "address": settings.HOSTING_ADDRESS,
                    "contact": settings.HOSTING_CONTACT},
    })


# --- the privacy page ----------------------------------------------------------------------------


def duration(seconds: float) -> str:
    """A duration in words, in its largest whole unit: 900 -> "15 minutes", 1209600 -> "2 semaines"."""
    seconds = int(seconds)
    units = ((365 * 86400, lambda n: ngettext("%(n)d an", "%(n)d ans", n)),
             (7 * 86400, lambda n: ngettext("%(n)d semaine", "%(n)d semaines", n)),
             (86400, lambda n: ngettext("%(n)d jour", "%(n)d jours", n)),
             (3600, lambda n: ngettext("%(n)d heure", "%(n)d heures", n)),
             (60, lambda n: ngettext("%(n)d minute", "%(n)d minutes", n)))
    for size, words in units:
        if seconds >= size and seconds % size == 0:
            return words(seconds // size) % {"n": seconds // size}
    return ngettext("%(n)d seconde", "%(n)d secondes", seconds) % {"n": seconds}


def _days(days: int) -> str:
    return duration(days * 86400)


def _login_attempts():
    from .schedule import job_named

    every = job_named("expire_login_attempts").every
    return _("%(cooloff)s après le dernier essai manqué, effacés au plus tard %(every)s plus tard.") % {
        "cooloff": duration(settings.AXES_COOLOFF_TIME.total_seconds()), "every": duration(every.total_seconds())}


def _rate_counters():
    from .ratelimit import parse_rate

    longest = max(parse_rate(rate)[1] for rate in settings.RATELIMITS.values() if rate)
    return _("La durée de leur fenêtre de comptage, au plus %(longest)s.") % {"longest": duration(longest)}


def core_retentions():
    """The core's own rows: each duration computed from the setting that drives it."""
    from .privacy import Retention

    rows = [
        Retention(order=10, what=_("Votre compte : identifiant, adresse e-mail, nom affiché, mairie, mot de passe "
                                   "(chiffré, illisible même pour nous)"),
                  why=_("Vous connecter, vous écrire (confirmation, notifications que vous avez demandées), "
                        "signer vos contributions."),
                  how_long=lambda: _("Jusqu'à la suppression de votre compte, que vous faites quand vous voulez "
                                     "depuis « Mon compte »."), ),
        Retention(order=20, what=_("Vos contributions : propositions, projets, soutiens, commentaires, suivis, "
                                   "signalements, notifications"),
                  why=_("Participer : les contributions sont publiques sous le nom que vous avez choisi, ou "
                        "sous « un·e habitant·e du quartier »."),
                  how_long=lambda: _("Tant que votre compte existe. À sa suppression, suivis et notifications "
                                     "sont effacés, le reste est anonymisé : vos soutiens restent comptés, "
                                     "sans votre nom.")),
        Retention(order=70, what=_("Essais de connexion manqués : identifiant essayé, adresse IP"),
                  why=_("Bloquer qui chercherait à deviner un mot de passe."), how_long=_login_attempts),
        Retention(order=75, what=_("Compteurs de limitation par adresse IP (inscription, connexion, envois)"),
                  why=_("Freiner les abus et les robots."), how_long=_rate_counters),
        Retention(order=80, what=_("Résultats des tâches de fond (envoi des e-mails, indexation)"),
                  why=_("Vérifier qu'une tâche a bien abouti, la relancer sinon."),
                  how_long=lambda: _("%(period)s après leur fin.") % {"period": _days(settings.TASK_RESULT_RETENTION_DAYS)}),
        Retention(order=90, what=_("Sauvegardes de la base de données et des fichiers déposés"),
                  why=_("Restaurer la plateforme après une panne ou une erreur."),
                  how_long=lambda: _("%(period)s, puis supprimées.") % {"period": _days(settings.BACKUP_RETENTION_DAYS)}),
    ]
    if settings.SENTRY_DSN:
        rows.append(Retention(
            order=95, what=_("Rapports d'erreur technique"),
            why=_("Corriger les pannes. Ils ne contiennent ni adresse e-mail, ni adresse IP, ni cookie, ni "
                  "contenu de formulaire."),
            how_long=lambda: _("Selon la durée de conservation du service de suivi des erreurs.")))
    return rows


def privacy_rows():
    """[(what, why, how long)] of the core and every app, in order; durations computed now."""
    rows = sorted([*core_retentions(), *retentions()], key=lambda r: r.order)
    return [(row.what, row.why, row.how_long()) for row in rows]


def cookies():
    session = duration(settings.SESSION_COOKIE_AGE)
    csrf = duration(settings.CSRF_COOKIE_AGE) if settings.CSRF_COOKIE_AGE else _("la session du navigateur")
    language = duration(settings.LANGUAGE_COOKIE_AGE) if settings.LANGUAGE_COOKIE_AGE else _("la session du navigateur")
    found = [
        (settings.SESSION_COOKIE_NAME, _("Garder votre connexion ouverte (seulement si vous vous connectez)."), session),
        (settings.CSRF_COOKIE_NAME, _("Protéger vos formulaires contre les envois forgés par un autre site."), csrf),
        (settings.LANGUAGE_COOKIE_NAME, _("Retenir la langue choisie (seulement si vous en changez)."), language),
    ]
    if db_router.replica_configured():  # its read-your-writes cookie
        found.append(("read_primary", _("Vous montrer aussitôt ce que vous venez d'enregistrer (seulement après "
                                        "un envoi de formulaire ; ne contient rien)."),
                      duration(settings.REPLICA_PIN_SECONDS)))
    return found


@require_GET
def privacy_policy(request):
    return render(request, "legal/privacy.html", {
        **_common(request), "rows": privacy_rows(), "cookies": cookies(), "cnil_complaint": CNIL_COMPLAINT,
        "export_url": reverse("privacy-export"), "delete_url": reverse("privacy-delete"),
    })


# --- robots.txt and security.txt --------------------------------------------------------------

# Not for search engines: the admin, accounts, personal and organisers' pages, the private parts of
# the API, and the search results (endless combinations of the same content).
ROBOTS_DISALLOW = (
    "/admin/", "/compte/", "/notifications/", "/moderation/", "/participer/", "/recherche/", "/i18n/",
    "/service-lab/agents/", "/service-lab/organisation/", "/service-lab/ecrire/", "/bricolages/",
    "/api/me/", "/api/auth/", "/api/participation/notifications/", "/api/participation/moderation/",
    "/api/hackathon/complaints/", "/api/bricolages/", "/api/search/",
)


@require_GET
@mairie_exempt
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), "Allow: /", "",
             f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


SECURITY_TXT_LIFETIME = timedelta(days=364)  # RFC 9116: "less than a year into the future" is recommended


def security_contact() -> str:
    contact = settings.SECURITY_CONTACT.strip()
    return contact if contact.startswith(("mailto:", "https://", "tel:")) else f"mailto:{contact}"


@require_GET
@mairie_exempt
def security_txt(request):
    expires = (timezone.now() + SECURITY_TXT_LIFETIME).replace(microsecond=0)
    lines = [
        f"Contact: {security_contact()}",
        f"Expires: {expires.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: fr, en",
        f"Canonical: {request.build_absolute_uri(request.path)}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
