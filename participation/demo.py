"""Demo quartiers of the two mairies (idempotent)."""

from django.utils.text import slugify

from .models import Quartier

QUARTIERS = {
    "paris19": ["Villette", "Pont-de-Flandre", "Amérique", "Combat"],
    "paris20": ["Belleville", "Père-Lachaise", "Saint-Fargeau", "Charonne"],
}


def seed(ctx):
    for slug, names in QUARTIERS.items():
        mairie = ctx.mairies[slug]
        for name in names:
            Quartier.objects.get_or_create(mairie=mairie, slug=slugify(name), defaults={"name": name})
