"""The charter's open data (cms.opendata): every published wording of the 19 commandements, version
after version, with the amendments adopted into each one (their ids; never their authors)."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from cms.opendata import Column, Dataset

from .models import Amendment, CommandementWording
from .selectors import live_charter

COLUMNS = [
    Column("version", _("Numéro de la version de la charte"), "integer"),
    Column("version_published_at", _("Publication de la version"), "datetime"),
    Column("number", _("Numéro du commandement (1 à 19)"), "integer"),
    Column("title", _("Titre court")),
    Column("mairie_commitment", _("Engagement de la mairie")),
    Column("resident_commitment", _("Engagement de l'habitant·e")),
    Column("adopted_amendments", _("Identifiants des amendements adoptés dans cette formulation, séparés par « ; »")),
    Column("url", _("Adresse du commandement")),
]


def version_rows(mairie):
    charter = live_charter(mairie)
    if charter is None:
        return
    base = mairie.root_url + charter.path_on_site()
    wordings = (CommandementWording.objects.filter(charter=charter).select_related("version")
                .prefetch_related(Prefetch("amendments", queryset=Amendment.objects.filter(is_hidden=False)
                                           .order_by("pk").only("pk", "wording_id")))
                .order_by("version__number", "number"))
    for wording in wordings:
        yield {
            "version": wording.version.number, "version_published_at": wording.version.published_at,
            "number": wording.number, "title": wording.title, "mairie_commitment": wording.mairie_commitment,
            "resident_commitment": wording.resident_commitment,
            "adopted_amendments": "; ".join(str(a.pk) for a in wording.amendments.all()),
            "url": f"{base}{charter.reverse_subpage('commandement', args=[wording.number])}",
        }


DATASETS = [
    Dataset(key="charte-versions", order=10, title=_("Les 19 commandements : les versions publiées"),
            description=_("Chaque formulation publiée des commandements de la charte, version après version : "
                          "l'engagement de la mairie, celui de l'habitant·e et les amendements adoptés."),
            columns=COLUMNS, rows=version_rows, updated=("version_published_at",)),
]
