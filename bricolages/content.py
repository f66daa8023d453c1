"""One version of a bricolage as comparable data and as text: what the wiki compares to refuse an
edit that changes nothing, and what the history shows as the difference between two versions."""

import difflib
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .models import LICENCE_SUMMARIES, Licence


def _names(manager):
    return sorted({tag.name for tag in manager.all()}, key=str.lower)


def fingerprint(page) -> dict:
    """Everything one revision holds, in a form two versions can be compared with ==."""
    return {
        "title": page.title.strip(),
        "problem": (page.problem or "").strip(),
        "summary": (page.summary or "").strip(),
        "materials": (page.materials or "").strip(),
        "licence": page.licence,
        "tags": [name.lower() for name in _names(page.tags)],
        "tools": [name.lower() for name in _names(page.tools)],
        "steps": [((step["text"] or "").strip(), step["image"].pk if step["image"] else None, (step["alt"] or "").strip())
                  for step in page.step_list],
        "attachments": sorted((a.file.name, a.title) for a in page.attachments.all()),
    }


def _lines(text):
    return [line.rstrip() for line in (text or "").strip().splitlines()] or []


def sections(page) -> list[tuple[str, list[str]]]:
    """The version as labelled blocks of text lines, in reading order."""
    steps = []
    for number, step in enumerate(page.step_list, start=1):
        text = _lines(step["text"])
        steps.append(_("Étape %(n)d : %(text)s") % {"n": number, "text": text[0] if text else ""})
        steps.extend(f"    {line}" for line in text[1:])
        if step["image"]:
            steps.append("    " + _("[Image : %(alt)s]") % {"alt": step["alt"] or _("sans description")})
    licence = Licence(page.licence) if page.licence in Licence.values else None
    return [
        (_("Titre"), [page.title]),
        (_("Le problème résolu"), _lines(page.problem)),
        (_("En bref"), _lines(page.summary)),
        (_("Outils utilisés"), [", ".join(_names(page.tools))] if _names(page.tools) else []),
        (_("Outils et matériel"), _lines(page.materials)),
        (_("Étapes"), steps),
        (_("Pièces jointes"), sorted(a.title for a in page.attachments.all())),
        (_("Étiquettes"), [", ".join(_names(page.tags))] if _names(page.tags) else []),
        (_("Licence"), [f"{licence.label} : {LICENCE_SUMMARIES[licence]}"] if licence else [page.licence]),
    ]


@dataclass
class SectionDiff:
    label: str
    lines: list[tuple[str, str]] = field(default_factory=list)  # ("equal" | "delete" | "insert", text)

    @property
    def changed(self):
        return any(op != "equal" for op, _text in self.lines)


def diff(old, new) -> list[SectionDiff]:
    """Line by line difference between two versions (two pages, or two revisions' pages), section by
    section; only the sections that differ."""
    result = []
    for (label, old_lines), (_label, new_lines) in zip(sections(old), sections(new), strict=True):
        section = SectionDiff(label)
        matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                section.lines.extend(("equal", line) for line in old_lines[i1:i2])
            else:
                section.lines.extend(("delete", line) for line in old_lines[i1:i2])
                section.lines.extend(("insert", line) for line in new_lines[j1:j2])
        if section.changed:
            result.append(section)
    return result
