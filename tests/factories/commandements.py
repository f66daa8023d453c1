"""Charters and amendments for the commandements tests."""

from datetime import timedelta

import factory
from django.utils import timezone
from wagtail.signal_handlers import disable_reference_index_auto_update

from participation.commandements.models import Amendment, CharterPage, Commandement


def pairs(count=19):
    return [(f"Titre {n}", f"La mairie s'engage, n° {n}.", f"Vous vous engagez, n° {n}.") for n in range(1, count + 1)]


def make_charter(mairie, *, count=19, publish=True, opens="default", closes="default", slug="19-commandements",
                 title="Les 19 commandements", user=None):
    """A charter under the mairie's home page; by default published, consultation open for a week."""
    from cms.models import HomePage

    now = timezone.now()
    opens = now - timedelta(days=1) if opens == "default" else opens
    closes = now + timedelta(days=7) if closes == "default" else closes
    home = HomePage.objects.get(pk=mairie.site.root_page_id)
    page = CharterPage(title=title, slug=slug, intro="<p>Une charte.</p>", live=False,
                       consultation_opens_at=opens, consultation_closes_at=closes)
    for number, (short, mairie_side, resident_side) in enumerate(pairs(count), start=1):
        page.commandements.add(Commandement(number=number, title=short, mairie_commitment=mairie_side,
                                            resident_commitment=resident_side))
    # Wagtail re-indexes the whole page's references for each child row saved: skipped here
    # to keep the suite fast (no test reads the reference index).
    with disable_reference_index_auto_update():
        page = home.add_child(instance=page)
        revision = page.save_revision(user=user)
        if publish:
            revision.publish(user=user)
    return CharterPage.objects.get(pk=page.pk)


class AmendmentFactory(factory.django.DjangoModelFactory):
    """An amendment written straight to the database (no window check): for reading tests."""

    class Meta:
        model = Amendment

    mairie = factory.LazyAttribute(lambda a: a.charter.mairie)
    number = 1
    proposed_mairie_commitment = "La mairie s'engage autrement."
    rationale = "Parce que c'est plus clair."
