"""Factories for the Service lab. Personal data use the @contact-prive.example domain so that
privacy tests can look for it in public output."""

import datetime as dt
import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hackathon.models import (
    Complaint,
    ComplaintPersonalData,
    Draw,
    HackathonSession,
    Letter,
    Outcome,
    RecurringIssue,
    Registration,
)

PRIVATE_DOMAIN = "contact-prive.example"


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecurringIssue

    title = factory.Sequence(lambda n: f"Sujet récurrent {n}")
    description = "Un problème qui revient souvent dans les courriers."


class ComplaintFactory(factory.django.DjangoModelFactory):
    """A complaint with its personal data. Pass issue=... to group it (the count is kept exact)."""

    class Meta:
        model = Complaint
        skip_postgeneration_save = True

    channel = Complaint.Channel.PAPER
    received_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=3))
    public_summary = factory.Sequence(lambda n: f"Résumé anonyme numéro {n}.")
    summary_approved_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def personal(self, create, extracted, **kwargs):
        if not create:
            return
        n = self.pk
        values = {"subject": f"Objet privé {n}", "full_text": f"Texte intégral confidentiel du courrier {n}.",
                  "contact_name": f"Madame Privée {n}", "contact_email": f"auteur{n}@{PRIVATE_DOMAIN}",
                  "contact_phone": f"01 23 45 {n % 100:02d} 99", "postal_address": f"{n} rue Secrète\n75019 Paris"}
        values.update(kwargs)
        ComplaintPersonalData.objects.create(complaint=self, **values)

    @factory.post_generation
    def counted(self, create, extracted, **kwargs):
        if create and self.issue_id:
            from hackathon.services import _recount

            _recount(self.issue_id)


def issue_with_complaints(mairie, n, **kwargs):
    issue = IssueFactory(mairie=mairie, **kwargs)
    for _ in range(n):
        ComplaintFactory(mairie=mairie, issue=issue)
    issue.refresh_from_db()
    return issue


def pdf_upload(name="scan.pdf", size=None):
    body = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    if size:
        body += b"0" * (size - len(body))
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def png_upload(name="scan.png"):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def fake_upload(name="scan.pdf", content=b"MZ\x90\x00 not a pdf, an executable"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# --- many rows at once, for the query-budget tests (tests/perf/test_budgets_hackathon.py) ----------

ENTROPY_SOURCE = "Les 5 numéros du tirage du Loto FDJ du lundi 4 mai 2026, dans l'ordre croissant"
ENTROPY_VALUE = "4 11 23 38 45"


def many_people(mairie, n, start=0):
    """`n` confirmed accounts of the mairie, in one INSERT (no role: enough to register or support)."""
    from cms.models import User

    return User.objects.bulk_create([User(username=f"voisin-lab{i}", email=f"voisin-lab{i}@example.org",
                                          display_name=f"Habitant·e {i}", mairie=mairie, email_confirmed=True)
                                     for i in range(start, start + n)])


def many_tags(objects, names):
    """Tag every object with `names` in one INSERT (taggit's generic through table)."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils.text import slugify
    from taggit.models import Tag, TaggedItem

    tags = [Tag.objects.get_or_create(name=name, defaults={"slug": slugify(name)})[0] for name in names]
    content_type = ContentType.objects.get_for_model(type(objects[0]))
    TaggedItem.objects.bulk_create([TaggedItem(content_type=content_type, object_id=obj.pk, tag=tag)
                                    for obj in objects for tag in tags])


def many_issues(mairie, n, start=0, complaints=3, **kwargs):
    """`n` issues titled « Sujet n° 000 »…, each counting `complaints` letters (the counter only:
    add the letters with many_complaints where the page reads them)."""
    return RecurringIssue.objects.bulk_create([
        RecurringIssue(mairie=mairie, title=f"Sujet n° {i:03d}", description=f"Description du sujet {i}.",
                       complaints_count=complaints, **kwargs) for i in range(start, start + n)])


def many_complaints(mairie, n, issue=None, start=0, author=None, **kwargs):
    """`n` complaints with their personal data, in two INSERTs; the issue's count is kept exact."""
    from hackathon.services import _recount

    today = timezone.localdate()
    made = Complaint.objects.bulk_create([
        Complaint(mairie=mairie, issue=issue, channel=Complaint.Channel.PAPER,
                  received_on=today - dt.timedelta(days=i % 300), public_summary=f"Résumé anonyme n° {i}.",
                  summary_approved_at=timezone.now(), **kwargs) for i in range(start, start + n)])
    ComplaintPersonalData.objects.bulk_create([
        ComplaintPersonalData(complaint=c, author=author, subject=f"Objet privé n° {i}",
                              full_text=f"Texte intégral confidentiel n° {i}.", contact_name=f"Madame Privée {i}",
                              postal_address=f"{i} rue Secrète\n75019 Paris")
        for i, c in enumerate(made, start=start)])
    if issue is not None:
        _recount(issue.pk)
        issue.refresh_from_db(fields=["complaints_count"])
    return made


def _draw_fields(mairie, issues, month, drawn, sequence=1):
    from hackathon import drawing, services

    now = timezone.now()  # frozen a day ago on a value public an hour ago: runnable now
    opened_at, available_at = now - dt.timedelta(days=1), now - dt.timedelta(hours=1)
    record = services.build_record(mairie=mairie, month=month, sequence=sequence, issues=issues,
                                   entropy_source=ENTROPY_SOURCE, entropy_available_at=available_at,
                                   frozen_at=opened_at)
    data = drawing.canonical_bytes(record)
    fields = {"record_json": data.decode("utf-8"), "list_hash": drawing.hash_of_bytes(data),
              "entropy_source": record["entropy_source"], "opened_at": opened_at,
              "entropy_available_at": available_at}
    if drawn:
        result = drawing.recompute(data, ENTROPY_VALUE)
        fields.update(status=Draw.Status.DRAWN, entropy_value=ENTROPY_VALUE, seed=result["seed"],
                      winner_id=result["winner_id"], drawn_at=timezone.now())
    return fields


def draw_of(mairie, issues, month, drawn=True, **kwargs):
    """A draw frozen on `issues` (and run, by the published procedure, if `drawn`)."""
    return Draw.objects.create(mairie=mairie, month=month, **_draw_fields(mairie, issues, month, drawn), **kwargs)


def draw_record_replace(draw, issues):
    """Test only: freeze `draw` again on `issues` (the code never rewrites a record; this goes
    around the immutable queryset to grow one draw's list in place)."""
    fields = _draw_fields(draw.mairie, issues, draw.month, draw.is_drawn, draw.sequence)
    Draw._base_manager.filter(pk=draw.pk).update(**fields)


def many_draws(mairie, issues, n, start=0):
    """`n` drawn draws, one a month going back from this month, each frozen on `issues`."""
    this_month = timezone.localdate().replace(day=1)
    months = []
    for i in range(start, start + n):
        year, month = divmod(this_month.year * 12 + this_month.month - 1 - i, 12)
        months.append(dt.date(year, month + 1, 1))
    return Draw.objects.bulk_create([Draw(mairie=mairie, month=month, **_draw_fields(mairie, issues, month, True))
                                     for month in months])


def many_sessions(draws, outcomes=True):
    """A hackathon day for each draw (on its winner), each with its published outcome."""
    def starts(draw):  # the 15th of the draw's month, 9:00
        return timezone.make_aware(dt.datetime.combine(draw.month.replace(day=15), dt.time(9)))

    sessions = HackathonSession.objects.bulk_create([
        HackathonSession(mairie_id=draw.mairie_id, draw=draw, issue_id=draw.winner_id, title=f"Hackathon n° {draw.pk}",
                         starts_at=starts(draw), ends_at=starts(draw) + dt.timedelta(hours=8), place="Salle des fêtes",
                         capacity=50) for draw in draws])
    if outcomes:
        Outcome.objects.bulk_create([
            Outcome(mairie_id=s.mairie_id, session=s, issue_id=s.issue_id, decision=f"Décision n° {s.pk}",
                    carried_by="Le service de l'état civil", published_at=timezone.now()) for s in sessions])
    return sessions


def many_registrations(session, users, status="confirmed"):
    return Registration.objects.bulk_create([Registration(session=session, user=u, status=status) for u in users])


def many_letters(complaints, n_each=1, start=0, sent_by=None):
    """Letters to print for each complaint (sent ones if `sent_by`)."""
    sent_at = timezone.now() if sent_by else None
    return Letter.objects.bulk_create([
        Letter(mairie_id=c.mairie_id, complaint=c, kind=Letter.Kind.DRAW, event_key=f"perf:{i}",
               subject=f"Lettre n° {c.pk}-{i}", body="Votre sujet a été tiré au sort.", sent_at=sent_at,
               sent_by=sent_by) for c in complaints for i in range(start, start + n_each)])
