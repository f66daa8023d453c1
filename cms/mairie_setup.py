"""Setting up a mairie: its Wagtail Site, home page, `Mairie` record, role groups and every app's
section, in one transaction.

`add_mairie` is the one door: the `add_mairie` command, the Wagtail admin's « Mairies » and the demo
call it. cms knows no feature app: each app registers in ready(), with `register_set_up`, what a
mairie needs from it (the charter, the Occupai index, the Bureau...). A set-up is
`set_up(mairie, home, **options)`, idempotent (it finds what exists and adds only what is missing)
and ignores the options it does not know; `quartiers` is one (the engine's quartiers). Running them
again on an existing mairie (`mairie_set_up`, `mairie_update`) repairs a mairie that lacks a section.

The text of the pages made here (titles, intros, the charter's first draft) is content: French,
stored in the database and edited by the mairie's editors, like the demo's; not translated at
runtime.
"""

import re
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.validators import validate_email, validate_slug
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from .errors import Conflict
from .i18n import ensure_locales
from .models import HomePage, Mairie

_set_ups: list[tuple[int, str, Callable]] = []
_option_readers: dict[str, Callable] = {}

HOSTNAME = re.compile(r"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")
ARRONDISSEMENTS = range(1, 21)
HOME_SLUG = "accueil-{slug}"
HOME_INTRO = ("<p>Bienvenue sur la plateforme de votre mairie : ici, on propose, on soutient, on discute et on "
              "décide ensemble.</p>")
# Fields of a mairie that mairie_update edits (its slug and arrondissement are its identity).
EDITABLE = ("name", "short_name", "address", "contact_email", "phone", "opening_hours", "pages_reviewed")


def register_set_up(order: int, name: str, set_up: Callable, *, options: dict[str, Callable] | None = None):
    """set_up(mairie, home, **options) adds what a mairie needs from an app; idempotent. `options`
    maps each option the set-up writes to a reader, reader(mairie) -> its current value (so that an
    edit form shows, for example, the mairie's quartiers as they are)."""
    if name not in {n for _o, n, _s in _set_ups}:
        _set_ups.append((order, name, set_up))
    _option_readers.update(options or {})


def current_options(mairie) -> dict:
    """{option: its current value on this mairie}, for the options the apps' set-ups write."""
    return {option: read(mairie) for option, read in _option_readers.items()}


def set_up_names() -> list[str]:
    return [name for _order, name, _set_up in sorted(_set_ups, key=lambda s: s[0])]


def normalise_hostname(hostname: str) -> str:
    return (hostname or "").strip().lower().rstrip(".")


def _validate(*, name, short_name, slug, arrondissement, hostname, port, contact_email):
    errors = {}
    for field, value, missing in (("name", name, _("Indiquez le nom de la mairie.")),
                                  ("short_name", short_name, _("Indiquez le nom court de la mairie (par exemple « 18e »)."))):
        limit = Mairie._meta.get_field(field).max_length
        if not (value or "").strip():
            errors[field] = missing
        elif len(value) > limit:
            errors[field] = _("%(n)d caractères au plus.") % {"n": limit}
    try:
        validate_slug(slug)
        if len(slug) > Mairie._meta.get_field("slug").max_length:
            raise ValidationError("too long")
    except ValidationError:
        errors["slug"] = _("L'identifiant ne peut contenir que des lettres non accentuées, des chiffres et des "
                           "tirets (40 caractères au plus), par exemple « paris18 ».")
    if not isinstance(arrondissement, int) or isinstance(arrondissement, bool) or arrondissement not in ARRONDISSEMENTS:
        errors["arrondissement"] = _("L'arrondissement est un nombre de 1 à 20.")
    if not HOSTNAME.match(hostname):
        errors["hostname"] = _("L'adresse du site est un nom d'hôte, sans « https:// » ni « / », par exemple "
                               "« mairie18.paris.fr ».")
    if not isinstance(port, int) or isinstance(port, bool) or not 1 <= port <= 65535:
        errors["port"] = _("Le port est un nombre de 1 à 65535.")
    if contact_email:
        try:
            validate_email(contact_email)
        except ValidationError:
            errors["contact_email"] = _("Saisissez une adresse e-mail valide.")
    if errors:
        raise ValidationError(errors)


def _refuse_taken(*, slug, arrondissement, hostname):
    """The refusals an administrator can act on, each with its own code and field."""
    site = Site.objects.filter(hostname__iexact=hostname).first()
    if site is not None:
        raise Conflict(_("L'adresse « %(hostname)s » est déjà celle du site « %(site)s » : choisissez-en une autre.")
                       % {"hostname": hostname, "site": site.site_name or site.hostname},
                       code="hostname_taken", extra={"field": "hostname"})
    taken = Mairie.objects.filter(slug=slug).first()
    if taken is not None:
        raise Conflict(_("L'identifiant « %(slug)s » est déjà pris (%(mairie)s) : choisissez-en un autre.")
                       % {"slug": slug, "mairie": taken.name},
                       code="slug_taken", extra={"field": "slug"})
    taken = Mairie.objects.filter(arrondissement=arrondissement).first()
    if taken is not None:
        raise Conflict(_("L'arrondissement n° %(arrondissement)s a déjà sa mairie sur la plateforme : %(mairie)s.")
                       % {"arrondissement": arrondissement, "mairie": taken.name},
                       code="arrondissement_taken", extra={"field": "arrondissement"})
    if Page.get_first_root_node().get_children().filter(slug=HOME_SLUG.format(slug=slug)).exists():
        raise Conflict(_("Une page « %(page)s » existe déjà à la racine de l'arborescence (une mairie supprimée ?) : "
                         "supprimez-la ou choisissez un autre identifiant.") % {"page": HOME_SLUG.format(slug=slug)},
                       code="home_taken", extra={"field": "slug"})


@transaction.atomic
def mairie_create(*, name: str, short_name: str, slug: str, arrondissement: int, hostname: str, port: int = 80,
                  address: str = "", contact_email: str = "", phone: str = "", opening_hours: str = "",
                  intro: str = "", default_site: bool = False) -> Mairie:
    """The core of a mairie: its home page (published), its Site and its record (which brings its
    role groups, cms.mairie_groups). No section: add_mairie adds them."""
    hostname, slug = normalise_hostname(hostname), (slug or "").strip()
    _validate(name=name, short_name=short_name, slug=slug, arrondissement=arrondissement, hostname=hostname,
              port=port, contact_email=contact_email)
    _refuse_taken(slug=slug, arrondissement=arrondissement, hostname=hostname)
    name = name.strip()
    ensure_locales()  # every language a translation of its pages may be written in
    try:
        with transaction.atomic():
            home = Page.get_first_root_node().add_child(instance=HomePage(
                title=f"Bienvenue à la {name[:1].lower()}{name[1:]}", slug=HOME_SLUG.format(slug=slug),
                intro=intro or HOME_INTRO))
            home.save_revision().publish()
            if default_site:
                Site.objects.filter(is_default_site=True).update(is_default_site=False)
            site = Site.objects.create(hostname=hostname, port=port, root_page=home, site_name=name,
                                       is_default_site=default_site)
            return Mairie.objects.create(
                site=site, name=name, short_name=short_name.strip(), slug=slug, arrondissement=arrondissement,
                address=address.strip(), contact_email=contact_email.strip(), phone=phone.strip(),
                opening_hours=opening_hours.strip())
    except IntegrityError as exc:  # another administrator created the same one at the same moment
        raise Conflict(_("Une autre mairie vient d'être créée avec la même adresse, le même identifiant ou le même "
                         "arrondissement. Rechargez la page et vérifiez."), code="taken") from exc


@transaction.atomic
def mairie_set_up(*, mairie: Mairie, **options) -> Mairie:
    """Every app's set-up on this mairie: adds what is missing, changes nothing that exists (but
    what `options` ask for, such as its quartiers)."""
    home = Page.objects.get(pk=mairie.site.root_page_id).specific
    for _order, _name, set_up in sorted(_set_ups, key=lambda s: s[0]):
        set_up(mairie, home, **options)
    return mairie


@transaction.atomic
def add_mairie(*, name: str, short_name: str, slug: str, arrondissement: int, hostname: str, port: int = 80,
               address: str = "", contact_email: str = "", phone: str = "", opening_hours: str = "",
               quartiers=(), intro: str = "", default_site: bool = False) -> Mairie:
    """A new mairie with its complete section set: Site, home page, record, role groups, then every
    app's set-up (the charter's first draft, the Occupai index, the Bureau, the quartiers...), all
    or nothing. Refuses (Conflict, 409) a hostname any Site already uses, a slug or an arrondissement
    taken; bad values are a ValidationError naming the field."""
    mairie = mairie_create(name=name, short_name=short_name, slug=slug, arrondissement=arrondissement,
                           hostname=hostname, port=port, address=address, contact_email=contact_email, phone=phone,
                           opening_hours=opening_hours, intro=intro, default_site=default_site)
    return mairie_set_up(mairie=mairie, quartiers=list(quartiers))


@transaction.atomic
def mairie_update(*, mairie: Mairie, hostname: str | None = None, port: int | None = None, quartiers=None,
                  **fields) -> Mairie:
    """Edit a mairie's name, contact and opening hours (EDITABLE), its address on the web (its Site's
    hostname and port) and its quartiers (a list of names: new ones are added, missing ones removed
    unless something refers to them); then set up again whatever section it lacks."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"mairie_update() cannot change {sorted(unknown)}")
    mairie = Mairie.objects.select_for_update().select_related("site").get(pk=mairie.pk)
    for field, value in fields.items():
        setattr(mairie, field, value if isinstance(value, bool) else (value or "").strip())
    site = mairie.site
    new_hostname = normalise_hostname(hostname) if hostname is not None else site.hostname
    new_port = port if port is not None else site.port
    _validate(name=mairie.name, short_name=mairie.short_name, slug=mairie.slug, arrondissement=mairie.arrondissement,
              hostname=new_hostname, port=new_port, contact_email=mairie.contact_email)
    if new_hostname != site.hostname:
        other = Site.objects.filter(hostname__iexact=new_hostname).exclude(pk=site.pk).first()
        if other is not None:
            raise Conflict(_("L'adresse « %(hostname)s » est déjà celle du site « %(site)s » : choisissez-en une "
                             "autre.") % {"hostname": new_hostname, "site": other.site_name or other.hostname},
                           code="hostname_taken", extra={"field": "hostname"})
    try:
        with transaction.atomic():
            mairie.full_clean(exclude=["site"])
            mairie.save()
            site.hostname, site.port, site.site_name = new_hostname, new_port, mairie.name
            site.save()
    except IntegrityError as exc:
        raise Conflict(_("Cette adresse vient d'être prise par un autre site. Rechargez la page et vérifiez."),
                       code="hostname_taken", extra={"field": "hostname"}) from exc
    return mairie_set_up(mairie=mairie, **({} if quartiers is None else {"quartiers": list(quartiers)}))
