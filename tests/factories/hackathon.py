"""Factories for the Service lab. Personal data use the @contact-prive.example domain so that
privacy tests can look for it in public output."""

import datetime as dt
import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hackathon.models import Complaint, ComplaintPersonalData, RecurringIssue

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
