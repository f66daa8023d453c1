"""Charters and amendments for the commandements tests; and, for the query-budget tests, many rows
at once (residents, amendments, versions, reports, signatures)."""

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


def publish_latest(charter):
    """Publish the charter's latest revision, as an editor does in the admin once adoptions wrote it."""
    charter.refresh_from_db()
    charter.get_latest_revision().publish()


def adopted_amendment(*, author, editor, charter, **fields):
    """An amendment `author` submits (`fields`: number, proposed wording, rationale...) and `editor` adopts,
    its new wording published."""
    from participation.commandements import services

    amendment = services.amendment_submit(user=author, charter=charter, **fields)
    services.amendment_adopt(actor=editor, amendment=amendment)
    publish_latest(charter)
    return amendment


class AmendmentFactory(factory.django.DjangoModelFactory):
    """An amendment written straight to the database (no window check): for reading tests."""

    class Meta:
        model = Amendment

    mairie = factory.LazyAttribute(lambda a: a.charter.mairie)
    number = 1
    proposed_mairie_commitment = "La mairie s'engage autrement."
    rationale = "Parce que c'est plus clair."


# --- many rows at once, for the query-budget tests (tests/perf/test_budgets_commandements.py) ----


def many_residents(mairie, n, start=0):
    """`n` confirmed residents of the mairie, in two INSERTs (accounts, then their role)."""
    from django.contrib.auth.models import Group

    from cms import roles
    from cms.models import User

    users = User.objects.bulk_create([
        User(username=f"habitant-perf{i}", email=f"habitant-perf{i}@example.org", display_name=f"Habitant·e n° {i}",
             mairie=mairie, email_confirmed=True) for i in range(start, start + n)])
    group = Group.objects.get(name=roles.RESIDENTS)
    User.groups.through.objects.bulk_create([User.groups.through(user_id=u.pk, group_id=group.pk) for u in users])
    return users


def many_amendments(charter, authors, n, start=0, number=None, statuses=(Amendment.Status.OPEN,), decided_by=None):
    """`n` amendments proposing « …, proposition n° 000 »…, by `authors` in turn (staff shown as
    agents, one resident in three anonymous), to commandement `number` or to each in turn, with
    `statuses` in turn (the decided ones with their date and reason), in one INSERT."""
    now = timezone.now()
    made = []
    for i in range(start, start + n):
        author, status = authors[i % len(authors)], statuses[i % len(statuses)]
        decided = status != Amendment.Status.OPEN
        made.append(Amendment(
            charter=charter, mairie_id=charter.mairie_id, author=author, number=number or 1 + i % 19,
            author_kind=Amendment.AuthorKind.AGENT if author.is_staff else Amendment.AuthorKind.RESIDENT,
            author_anonymous=not author.is_staff and i % 3 == 2, status=status,
            proposed_mairie_commitment=f"La mairie s'engage autrement, proposition n° {i:03d}.",
            proposed_resident_commitment=f"Vous vous engagez autrement, proposition n° {i:03d}." if i % 2 else "",
            rationale=f"Parce que c'est plus clair (n° {i}).",
            decided_by=decided_by if decided else None, decided_at=now if decided else None,
            decision_reason=f"Motif n° {i}." if status == Amendment.Status.REJECTED else ""))
    return Amendment.objects.bulk_create(made)


def many_versions(charter, number, n, authors, start=0):
    """`n` further published versions of the charter, each a new wording of commandement n°
    `number` (« formulation n° 0 »…) written from one adopted amendment (« proposition n° 1000 »…),
    stored as charter_record_publication stores them."""
    from django.db.models import Max

    from participation.commandements.models import CharterVersion, CommandementWording

    last = CharterVersion.objects.filter(charter=charter).aggregate(last=Max("number"))["last"] or 0
    now = timezone.now()
    versions = CharterVersion.objects.bulk_create([CharterVersion(charter=charter, number=last + 1 + i, published_at=now)
                                                   for i in range(n)])
    wordings = CommandementWording.objects.bulk_create([
        CommandementWording(charter=charter, version=v, number=number, title=f"Titre {number}, formulation n° {i}",
                            mairie_commitment=f"La mairie s'engage, formulation n° {i}.",
                            resident_commitment=f"Vous vous engagez, formulation n° {i}.", published_at=now)
        for i, v in enumerate(versions, start=start)])
    adopted = many_amendments(charter, authors, n, start=1000 + start, number=number,
                              statuses=(Amendment.Status.ADOPTED,))
    for amendment, wording in zip(adopted, wordings, strict=True):
        amendment.wording = wording
    Amendment.objects.bulk_update(adopted, ["wording"])
    return wordings


def many_reports(charter, number, n, start=0, author=None):
    """`n` of the mairie's reports on commandement n° `number`, « Compte rendu n° 0 »…, one a day back."""
    from participation.commandements.models import CommitmentReport

    today = timezone.localdate()
    return CommitmentReport.objects.bulk_create([
        CommitmentReport(charter=charter, number=number, date=today - timedelta(days=i), text=f"Compte rendu n° {i}.",
                         created_by=author) for i in range(start, start + n)])


def many_signatures(charter, users):
    """Each of `users` signs the charter (an engine support), the count recounted as at publication."""
    from participation.models import Support
    from tests.factories import perf

    perf.supports(charter, users)
    signed = Support.objects.filter(content_type_id=charter.content_type_id, object_id=charter.pk).count()
    CharterPage.objects.filter(pk=charter.pk).update(supports_count=signed)
