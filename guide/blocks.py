"""The guide's StreamField blocks: what editors compose a démarche and a life situation with.
Kept apart from the page models so that translated copies of the pages (later: Wagtail i18n) share them."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class DocumentBlock(blocks.StructBlock):
    """One document to bring: it becomes a line of the carnet's checklist."""

    name = blocks.CharBlock(label=_("Document"), max_length=200)
    detail = blocks.TextBlock(label=_("Précisions"), required=False,
                              help_text=_("Original ou copie, de moins de trois mois, pour qui..."))
    optional = blocks.BooleanBlock(label=_("Seulement dans certains cas"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Document à apporter")


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Étape"), max_length=200)
    text = blocks.TextBlock(label=_("Ce qu'il faut faire"), required=False)

    class Meta:
        icon = "list-ol"
        label = _("Étape")


class NoteBlock(blocks.StructBlock):
    """A tip (« bon plan ») or a memo (« à retenir »)."""

    kind = blocks.ChoiceBlock(choices=[("tip", _("Bon plan")), ("memo", _("Mémo"))], default="tip", label=_("Type"))
    text = blocks.TextBlock(label=_("Texte"))

    class Meta:
        icon = "help"
        label = _("Astuce ou mémo")


class PostItBlock(blocks.StructBlock):
    """A « post-it »: a short sentence a resident who struggles with reading or writing can point
    at, at the counter. Printed as a card in the booklet."""

    sentence = blocks.CharBlock(label=_("Phrase"), max_length=160)
    hint = blocks.CharBlock(label=_("Pour l'agent"), max_length=200, required=False,
                            help_text=_("Ce que l'agent peut faire ou proposer (facultatif)."))

    class Meta:
        icon = "comment"
        label = _("Post-it")


def documents_stream():
    return [("document", DocumentBlock())]


def steps_stream():
    return [("step", StepBlock())]


def notes_stream():
    return [("note", NoteBlock())]


def postits_stream():
    return [("postit", PostItBlock())]
