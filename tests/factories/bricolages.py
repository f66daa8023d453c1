"""Bricolages built through the app's own services, so that every one has its first revision; and,
for the query-budget tests, many rows at once (agents, bricolages, ratings, retours, versions)."""

import io
import itertools
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.text import slugify
from PIL import Image

from bricolages import services
from bricolages.services import BricolageInput, StepInput

_counter = itertools.count(1)


def png_upload(name="etape.png", size=(40, 30), colour=(30, 120, 200)):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def zip_bytes(members):
    """A ZIP archive holding `members` (name -> bytes or text)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def xlsx_upload(name="modele.xlsx"):
    data = zip_bytes({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def csv_upload(name="modele.csv", text="heure;guichet\n9h00;1\n"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def bricolage_input(**overrides) -> BricolageInput:
    n = next(_counter)
    data = BricolageInput(
        title=f"Bricolage numéro {n}",
        problem="Les usagers attendent sans savoir combien de temps.",
        summary="Un petit outil pour annoncer l'attente.",
        materials="Un tableur, une imprimante.",
        tags=["accueil"],
        tools=["Tableur"],
        steps=[StepInput(text="Ouvrir le modèle."), StepInput(text="Saisir les arrivées.")],
    )
    for name, value in overrides.items():
        setattr(data, name, value)
    return data


def bricolage(author, variant_of=None, **overrides):
    return services.bricolage_create(author=author, data=bricolage_input(**overrides), variant_of=variant_of)


# --- many rows at once, for the query-budget tests (tests/perf/test_budgets_bricolages.py) ----


def many_agents(mairies, n, start=0):
    """`n` confirmed agents, spread over `mairies` in turn, in two INSERTs (accounts, then roles)."""
    from django.contrib.auth.models import Group

    from cms import roles
    from cms.models import User

    users = User.objects.bulk_create([
        User(username=f"agent-perf{i}", email=f"agent-perf{i}@example.org", display_name=f"Agent n° {i}",
             mairie=mairies[i % len(mairies)], email_confirmed=True, is_staff=True)
        for i in range(start, start + n)])
    group = Group.objects.get(name=roles.AGENTS)
    User.groups.through.objects.bulk_create([User.groups.through(user_id=u.pk, group_id=group.pk) for u in users])
    return users


def many_bricolages(authors, n, start=0, tags=("accueil",), tools=("Tableur",), variant_of=None):
    """`n` live bricolages titled « Bricolage n° 000 »…, by `authors` in turn, each with its tags and
    tools, placed in the tree as the services place them, but without a revision each (the list,
    the family and the API list do not read revisions; `bricolage()` makes the full thing)."""
    from django.utils import timezone
    from taggit.models import Tag

    from bricolages.models import BricolagePage, BricolageTool, TaggedBricolage, Tool

    index, now = services.bricolage_index(), timezone.now()
    pages = []
    for i in range(start, start + n):
        author = authors[i % len(authors)]
        pages.append(index.add_child(instance=BricolagePage(
            title=f"Bricolage n° {i:03d}", slug=f"bricolage-perf-{i}", owner=author, author=author,
            mairie=author.mairie, variant_of=variant_of, summary=f"En bref, le bricolage {i}.",
            problem=f"Le problème {i}.", materials="Un tableur.", steps=[("step", {"text": "Ouvrir.", "image": None,
                                                                                 "alt": ""})],
            live=True, first_published_at=now, last_published_at=now)))
    tag_rows = [Tag.objects.get_or_create(name=name, defaults={"slug": slugify(name)})[0] for name in tags]
    tool_rows = [Tool.objects.get_or_create(name=name, defaults={"slug": slugify(name)})[0] for name in tools]
    TaggedBricolage.objects.bulk_create([TaggedBricolage(content_object=p, tag=t) for p in pages for t in tag_rows])
    BricolageTool.objects.bulk_create([BricolageTool(content_object=p, tag=t) for p in pages for t in tool_rows])
    return pages


def many_ratings(bricolage, users, stars=4):
    from bricolages.models import Rating

    return Rating.objects.bulk_create([Rating(bricolage=bricolage, user=u, stars=1 + (stars + i) % 5)
                                       for i, u in enumerate(users)])


def many_feedback(bricolage, users, start=0):
    """One retour per agent, from their mairie, « Retour d'expérience n° 0 »…; two in three say it is
    in use."""
    from bricolages.models import Feedback

    outcomes = [Feedback.Outcome.WORKED, Feedback.Outcome.PARTLY, Feedback.Outcome.FAILED]
    return Feedback.objects.bulk_create([
        Feedback(bricolage=bricolage, author=u, mairie_id=u.mairie_id, outcome=outcomes[i % 3],
                 note=f"Retour d'expérience n° {i}.") for i, u in enumerate(users, start=start)])


def many_revisions(bricolage, users, n, start=0):
    """`n` saved versions of the bricolage's current content, each with its change note, in two
    INSERTs (as `_record` in the services stores them, without publishing each)."""
    from django.utils import timezone
    from wagtail.models import Revision

    from bricolages.models import BricolageChange

    content, now = bricolage.serializable_data(), timezone.now()
    revisions = Revision.objects.bulk_create([
        Revision(content_type_id=bricolage.content_type_id, base_content_type=bricolage.get_base_content_type(),
                 object_id=str(bricolage.pk), created_at=now, user=users[i % len(users)],
                 object_str=bricolage.title, content=content) for i in range(start, start + n)])
    BricolageChange.objects.bulk_create([
        BricolageChange(bricolage=bricolage, revision=r, user=r.user, mairie_id=r.user.mairie_id,
                        kind=BricolageChange.Kind.EDITED, note=f"Modification n° {i}")
        for i, r in enumerate(revisions, start=start)])
    return revisions
