"""What a mairie needs from the engine when it is set up (cms.mairie_setup): its quartiers.

The quartiers are the engine's `Quartier` rows (snippets « Quartiers » in the admin), the one list
Occupai's proposals, the Bureau's projects and every participatory object point at; a mairie's set-up
and its edit form write that list, never a copy of it.
"""

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Quartier

NAME_MAX = Quartier._meta.get_field("name").max_length


def quartier_names(mairie) -> list[str]:
    return list(Quartier.objects.filter(mairie=mairie).order_by("name").values_list("name", flat=True))


def _uses(quartier) -> int:
    """How many objects point at this quartier (every model with a foreign key to Quartier)."""
    count = 0
    for relation in Quartier._meta.get_fields(include_hidden=True):
        if relation.auto_created and relation.one_to_many:
            count += relation.related_model._default_manager.filter(**{relation.field.name: quartier}).count()
    return count


def set_up(mairie, home, *, quartiers=None, **options):
    """Make the mairie's quartiers the names in `quartiers` (None: leave them as they are). A name is
    known by its slug: a new one is added, one whose spelling changed is renamed, one left out is
    removed, unless contributions point at it (refused: removing it would take their quartier)."""
    if quartiers is None:
        return
    wanted = {}
    for raw in quartiers:
        name = " ".join(str(raw).split())
        if not name:
            continue
        slug = slugify(name)[:80]
        if len(name) > NAME_MAX or not slug:
            raise ValidationError({"quartiers": _("« %(name)s » ne peut pas être le nom d'un quartier (des lettres "
                                                  "ou des chiffres, %(max)d caractères au plus).")
                                   % {"name": name[:100], "max": NAME_MAX}})
        wanted.setdefault(slug, name)
    existing = {q.slug: q for q in Quartier.objects.filter(mairie=mairie)}
    in_use = []
    for slug, quartier in existing.items():
        if slug not in wanted:
            uses = _uses(quartier)
            if uses:
                in_use.append(ngettext("« %(name)s » (%(count)d contribution)", "« %(name)s » (%(count)d contributions)",
                                       uses) % {"name": quartier.name, "count": uses})
            else:
                quartier.delete()
    if in_use:
        raise ValidationError({"quartiers": _("Ces quartiers ne peuvent pas être retirés, des contributions y sont "
                                              "rattachées : %(list)s. Gardez-les, ou renommez-les dans « Quartiers ».")
                               % {"list": ", ".join(in_use)}})
    for slug, name in wanted.items():
        quartier = existing.get(slug)
        if quartier is None:
            Quartier.objects.create(mairie=mairie, slug=slug, name=name)
        elif quartier.name != name:
            quartier.name = name
            quartier.save(update_fields=["name"])
