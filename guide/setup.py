"""What a mairie needs from the guide when it is set up (cms.mairie_setup, idempotent): its guide
index under its home page, and its usual services (that démarches name and carnets are shared
with; editors complete them and attach their agents in the admin)."""

from .models import GuideIndexPage, Service

INTRO = ("<p>Le guide du routard du maquis administratif : partez de ce qui vous arrive, trouvez les démarches, "
         "les documents à apporter, le bon service et les astuces de celles et ceux qui sont passés avant vous. "
         "Gratuit, pour tout le monde, à lire ici ou à imprimer.</p>")

# (slug, name, description, place)
DEFAULT_SERVICES = [
    ("etat-civil", "État civil", "Actes de naissance, de mariage et de décès, PACS, livret de famille, "
     "reconnaissance d'un enfant.", "Rez-de-chaussée, guichets 1 à 3"),
    ("affaires-generales", "Affaires générales", "Carte d'identité et passeport, recensement citoyen, listes "
     "électorales, attestations, légalisation de signature.", "Rez-de-chaussée, guichets 4 et 5"),
    ("casvp", "Centre d'action sociale (CASVP)", "Aides sociales de la Ville, accompagnement, domiciliation, "
     "aide dans les moments difficiles.", "Antenne sociale de l'arrondissement"),
    ("relais-familles", "Relais informations familles", "Modes d'accueil des tout-petits, inscription en "
     "crèche, écoles, activités.", "1er étage"),
    ("urbanisme", "Urbanisme et logement", "Déclarations de travaux, demandes de logement social, conseils "
     "sur le logement.", "2e étage"),
]


def set_up(mairie, home, **options):
    """The mairie's guide index (the existing one, or a new one, published) and its default services."""
    for slug, name, description, place in DEFAULT_SERVICES:
        Service.objects.get_or_create(mairie=mairie, slug=slug,
                                      defaults={"name": name, "description": description, "place": place,
                                                "hours": mairie.opening_hours, "phone": mairie.phone,
                                                "email": mairie.contact_email})
    index = GuideIndexPage.objects.filter(mairie=mairie).first() or GuideIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(instance=GuideIndexPage(title="Le guide du routard", slug="guide", intro=INTRO))
        index.save_revision().publish()
    return GuideIndexPage.objects.get(pk=index.pk)
