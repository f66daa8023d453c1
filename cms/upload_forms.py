"""Wagtail's document form with the content check of cms.uploads (settings.WAGTAILDOCS_DOCUMENT_FORM_BASE).
Apart from cms.uploads because it imports the Wagtail admin, which models must not do."""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from wagtail.documents.forms import BaseDocumentForm

from .uploads import DEFAULT_MAX_SIZE, check_upload

DOCUMENT_KINDS = ("pdf", "office", "text", "image", "zip")


class CheckedDocumentForm(BaseDocumentForm):
    """A new document's content must be one we accept, whatever its extension says."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            check_upload(upload, kinds=DOCUMENT_KINDS, max_size=getattr(settings, "WAGTAILDOCS_MAX_SIZE", DEFAULT_MAX_SIZE))
        return upload
