import factory
from django.utils import timezone

from participation.bureau.models import BureauIndexPage, Project, Status


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    title = factory.Sequence(lambda n: f"Projet de quartier n° {n}")
    summary = "Un projet pour rendre la rue plus vivante."
    description = "Nous voulons installer des jardinières et organiser un goûter mensuel."
    status = Status.UNDER_REVIEW
    published_at = factory.LazyFunction(timezone.now)
    submitted_at = factory.LazyFunction(timezone.now)


def bureau_index(mairie, home=None):
    from cms.models import HomePage

    home = home or HomePage.objects.get(pk=mairie.site.root_page_id)
    index = BureauIndexPage.objects.descendant_of(home).first()
    if index is None:
        index = home.add_child(instance=BureauIndexPage(title="Bureau", slug="bureau"))
        index.save_revision().publish()
    return index
