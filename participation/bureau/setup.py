"""What a mairie needs from the Bureau de l'intelligence citoyenne when it is set up
(cms.mairie_setup): its Bureau page, under its home page, where residents bring their projects."""

from .models import BureauIndexPage

TITLE = "Bureau de l'intelligence citoyenne"
INTRO = ("<p>Le Bureau de l'intelligence citoyenne fait de la mairie un incubateur : vous apportez une idée "
         "pour votre quartier, la mairie vous ouvre ses portes, ses salles, ses contacts et ses conseils "
         "pour la faire vivre.</p>")


def set_up(mairie, home, **options):
    """The mairie's Bureau page: the existing one, or a new one, published."""
    index = BureauIndexPage.objects.descendant_of(home).first()
    if index is None:
        index = home.add_child(instance=BureauIndexPage(title=TITLE, slug="bureau", intro=INTRO))
        index.save_revision().publish()
    return index
