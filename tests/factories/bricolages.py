"""Bricolages built through the app's own services, so that every one has its first revision."""

import io
import itertools
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from bricolages import services
from bricolages.services import BricolageInput, StepInput

_counter = itertools.count(1)


def png_upload(name="etape.png", size=(40, 30), colour=(30, 120, 200)):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def xlsx_upload(name="modele.xlsx"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


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
