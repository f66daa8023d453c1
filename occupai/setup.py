"""What a mairie needs from Occupai when it is set up (cms.mairie_setup): its Occupai index, under
its home page, where its organisers open calls (cms.mairie_groups gives each mairie's organisers'
group page permissions on that index, and on nothing else of the mairie)."""

from .models import OccupaiIndexPage

INTRO = (
    "<p>Occupai, c'est la mairie ouverte à ses habitant·es : la salle des fêtes et les parvis accueillent "
    "les événements que vous imaginez. Vous proposez, le quartier vote, l'équipe programme, et tout le monde "
    "vient.</p>")

# What the organisers' group of a mairie holds on its Occupai index and the calls under it.
ORGANISER_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")


def index_ids(mairie) -> list[int]:
    """The pages where the mairie's organisers run calls: its Occupai index."""
    return list(OccupaiIndexPage.objects.filter(mairie=mairie).values_list("pk", flat=True))


def set_up(mairie, home, **options):
    """The mairie's Occupai index: the existing one, or a new one, published."""
    index = OccupaiIndexPage.objects.filter(mairie=mairie).first() or OccupaiIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(instance=OccupaiIndexPage(title="Occupai", slug="occupai", intro=INTRO))
        index.save_revision().publish()
    return OccupaiIndexPage.objects.get(pk=index.pk)
