"""Attached archives go through the platform's one archive check (cms.uploads.check_archive):
a ZIP holding a ZIP that carries a program is refused, and nothing is stored."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from bricolages import services
from bricolages.attachments import check_attachment
from bricolages.models import BricolageAttachment, BricolagePage
from bricolages.services import BricolageInput
from tests.factories.bricolages import zip_bytes

NESTED = zip_bytes({"lisez-moi.txt": b"ok", "kit.zip": zip_bytes({"installer.exe": b"MZ\x90\x00" + b"\x00" * 32})})


def _files(root):
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.parametrize(("name", "data", "message"), [
    ("kit.zip", NESTED, "autre archive"),
    ("kit.zip", zip_bytes({"mairie.url": b"[InternetShortcut]\nURL=https://exemple.org\n"}), "raccourci"),
    ("kit.zip", zip_bytes({"aide.chm": b"ITSF" + b"\x00" * 32}), "raccourci"),
    ("modele.xlsx", zip_bytes({"[Content_Types].xml": "<x/>", "xl/workbook.xml": "<w/>", "xl/outil.exe": b"MZ"}),
     "programme"),
])
def test_an_archive_is_checked_at_every_depth(name, data, message):
    with pytest.raises(ValidationError) as error:
        check_attachment(SimpleUploadedFile(name, data))
    assert message in error.value.messages[0]


def test_a_refused_archive_leaves_no_file(queue_tool, agent20, settings):
    before = _files(settings.PRIVATE_MEDIA_ROOT) + _files(settings.MEDIA_ROOT)
    data = BricolageInput.from_page(queue_tool, title="Nouveau titre",
                                    add_attachments=[SimpleUploadedFile("kit.zip", NESTED)])
    with pytest.raises(ValidationError) as error:
        services.bricolage_update(user=agent20, bricolage=queue_tool, data=data, change_note="Ajout d'un kit")
    assert "attachments" in error.value.message_dict
    assert _files(settings.PRIVATE_MEDIA_ROOT) + _files(settings.MEDIA_ROOT) == before
    assert BricolagePage.objects.get(pk=queue_tool.pk).revisions.count() == 1
    assert BricolageAttachment.objects.count() == 1
