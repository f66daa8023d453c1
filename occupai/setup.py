"""What a mairie needs from Occupai when it is set up (cms.mairie_setup): its Occupai index, under
its home page, where its organisers open calls (cms.mairie_groups gives each mairie's organisers'
group page permissions on that index, and on nothing else of the mairie), and its first spaces, so
that an organiser can open a call with a space at once: a salle des fêtes and the parvis, to complete
(or rename, or delete) in the admin's « Espaces ». They come with the index, when the set-up makes it
(a new mairie), and only if the mairie has no space yet: setting up again (`mairie_update` does, after
each edit of the mairie) adds nothing, even where the mairie has deleted them."""

from .models import OccupaiIndexPage, Space

INTRO = (
    "<p>Occupai, c'est la mairie ouverte à ses habitant·es : la salle des fêtes et les parvis accueillent "
    "les événements que vous imaginez. Vous proposez, le quartier vote, l'équipe programme, et tout le monde "
    "vient.</p>")

# (name, indoor, capacity, location, description): content, like the index's intro (French, edited by
# the mairie's team, not translated at runtime).
DEFAULT_SPACES = [
    ("Salle des fêtes", True, 150, "À compléter : étage, entrée, ascenseur",
     "À compléter : la grande salle de la mairie (surface, scène, sonorisation, tables et chaises…)."),
    ("Parvis de la mairie", False, 300, "À compléter : devant la mairie, côté place",
     "À compléter : le parvis en plein air (sol, prises électriques, point d'eau, abri en cas de pluie…)."),
]

# What the organisers' group of a mairie holds on its Occupai index and the calls under it.
ORGANISER_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")


def index_ids(mairie) -> list[int]:
    """The pages where the mairie's organisers run calls: its Occupai index."""
    return list(OccupaiIndexPage.objects.filter(mairie=mairie).values_list("pk", flat=True))


def default_spaces(mairie) -> list[Space]:
    """The first spaces of a mairie that has none (DEFAULT_SPACES); [] when it has some already."""
    if Space.objects.filter(mairie=mairie).exists():
        return []
    return [Space.objects.create(mairie=mairie, name=name, is_indoor=indoor, capacity=capacity, location=location,
                                 description=description)
            for name, indoor, capacity, location, description in DEFAULT_SPACES]


def set_up(mairie, home, **options):
    """The mairie's Occupai index: the existing one, or a new one, published, with the default spaces
    if the mairie has none."""
    index = OccupaiIndexPage.objects.filter(mairie=mairie).first() or OccupaiIndexPage.objects.child_of(home).first()
    if index is None:
        default_spaces(mairie)
        index = home.add_child(instance=OccupaiIndexPage(title="Occupai", slug="occupai", intro=INTRO))
        index.save_revision().publish()
    return OccupaiIndexPage.objects.get(pk=index.pk)
