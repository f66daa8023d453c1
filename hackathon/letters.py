"""Printable letters (PDF, French) to complainants who wrote on paper and gave no email.

fpdf2 draws them. DejaVu Sans (Debian's fonts-dejavu) is used when present, for every French
character; otherwise the built-in Helvetica with the few characters Latin-1 lacks replaced."""

from pathlib import Path

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from fpdf import FPDF

FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu")]
_LATIN1_FALLBACK = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "œ": "oe", "Œ": "OE", "…": "...",
                                  "–": "-", "—": "-", "·": ".", "\u202f": " ", "€": "EUR"})


def _font(pdf):
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            pdf.add_font("DejaVu", "", str(regular))
            pdf.add_font("DejaVu", "B", str(bold))
            return "DejaVu", lambda text: text
    return "Helvetica", lambda text: text.translate(_LATIN1_FALLBACK).encode("latin-1", "replace").decode("latin-1")


def render_letter(letter) -> bytes:
    """One letter as PDF bytes. Reads the address from the complaint's personal data at print
    time; a purged complaint has none, and callers do not offer it."""
    complaint = letter.complaint
    personal = complaint.personal
    mairie = letter.mairie
    pdf = FPDF(format="A4")
    pdf.set_margins(22, 20, 22)
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_title(letter.subject)
    pdf.set_author(mairie.name)
    family, fix = _font(pdf)
    pdf.add_page()
    pdf.set_font(family, "B", 12)
    pdf.multi_cell(0, 6, fix(mairie.name), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 10)
    pdf.multi_cell(0, 5, fix(mairie.address), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(12)
    recipient = "\n".join(line for line in [personal.contact_name, personal.postal_address.strip()] if line)
    pdf.set_x(110)
    pdf.set_font(family, "", 11)
    pdf.multi_cell(78, 5.5, fix(recipient), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    today = formats.date_format(timezone.localdate(), "DATE_FORMAT")
    pdf.cell(0, 6, fix(_("Paris, le %(date)s") % {"date": today}), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font(family, "B", 11)
    pdf.multi_cell(0, 6, fix(_("Objet : %(subject)s") % {"subject": letter.subject}), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 10)
    pdf.multi_cell(0, 5, fix(_("Votre courrier n° %(n)s du %(date)s") % {
        "n": complaint.pk, "date": formats.date_format(complaint.received_on, "DATE_FORMAT")}),
        new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font(family, "", 11)
    greeting = _("Madame, Monsieur,")
    closing = _("Nous vous remercions de nous avoir écrit : c'est grâce à vos courriers que ce sujet a été "
                "entendu. Vous pouvez suivre la suite sur le site de la mairie ou à l'accueil.\n\n"
                "Veuillez agréer, Madame, Monsieur, nos salutations distinguées.")
    for paragraph in [greeting, letter.body, closing]:
        pdf.multi_cell(0, 6, fix(paragraph), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
    pdf.ln(6)
    pdf.set_font(family, "B", 11)
    pdf.multi_cell(0, 6, fix(_("Le Service lab de la %(mairie)s") % {"mairie": mairie.name.lower()}),
                   new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
