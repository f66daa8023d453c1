"""The front-end forms: plain HTML, no JavaScript. Steps are a fixed number of fieldsets (text,
image, alternative text, position); empty ones are ignored. The rules are checked again by the
services: the forms only make the errors appear next to the right field."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model
from wagtail.images.fields import WagtailImageField

from cms.forms import AccessibleFormMixin
from cms.i18n import lazy_interpolate

from . import conf
from .attachments import ALLOWED_EXTENSIONS, check_attachment
from .models import Feedback, Licence
from .services import BricolageInput, StepInput, split_names


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class BricolageForm(AccessibleFormMixin, forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=120)
    summary = forms.CharField(label=_("En bref"), max_length=600, widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("Une ou deux phrases : ce que fait l'outil."))
    problem = forms.CharField(label=_("Le problème résolu"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("Ce qui n'allait pas avant : pour qui, à quel moment."))
    tools = forms.CharField(label=_("Outils utilisés"), max_length=600, required=False,
                            help_text=_("Séparés par des virgules, par exemple : Tableur, Imprimante, Plastifieuse."))
    materials = forms.CharField(label=_("Outils et matériel : le détail"), max_length=3000, required=False,
                                widget=forms.Textarea(attrs={"rows": 3}),
                                help_text=_("Versions des logiciels, fournitures, quantités, coût."))
    tags = forms.CharField(label=_("Étiquettes"), max_length=600, required=False,
                           help_text=_("Séparées par des virgules, par exemple : accueil, état civil, affichage."))
    licence = forms.ChoiceField(label=_("Licence"), choices=Licence.choices, initial=Licence.CC_BY_SA,
                                widget=forms.RadioSelect,
                                help_text=_("Toujours libre : chacun peut réutiliser et améliorer, "
                                            "et les améliorations sont partagées en retour."))
    add_attachments = MultipleFileField(
        label=_("Ajouter des pièces jointes"), required=False,
        help_text=_("Modèles de tableur, documents à imprimer… Types acceptés : %(types)s. Les programmes "
                    "et les fichiers à macros sont refusés.") % {"types": ", ".join(ALLOWED_EXTENSIONS)})
    remove_attachments = forms.TypedMultipleChoiceField(label=_("Retirer des pièces jointes"), required=False,
                                                        coerce=int, widget=forms.CheckboxSelectMultiple)
    change_note = forms.CharField(label=_("Ce que vous avez changé"), max_length=300, required=False,
                                  help_text=_("Une phrase pour l'historique, par exemple : « ajout d'une étape "
                                              "pour l'impression »."))

    def __init__(self, *args, attachments=(), note_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remove_attachments"].choices = [(a.pk, a.title) for a in attachments]
        if not attachments:
            del self.fields["remove_attachments"]
        self.fields["change_note"].required = note_required
        if not note_required:
            self.fields["change_note"].label = _("Note pour l'historique (facultatif)")
        self._describe_fields()

    def clean_add_attachments(self):
        files = self.cleaned_data.get("add_attachments") or []
        errors = []
        for upload in files:
            try:
                check_attachment(upload)
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return files


class StepForm(forms.Form):
    text = forms.CharField(label=_("Ce qu'il faut faire"), required=False, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    image = WagtailImageField(label=_("Image (facultative)"), required=False)
    alt = forms.CharField(label=_("Texte alternatif de l'image"), required=False, max_length=250,
                          help_text=_("Ce que montre l'image, pour les personnes qui ne la voient pas."))
    existing_image = forms.IntegerField(required=False, widget=forms.HiddenInput)
    remove_image = forms.BooleanField(label=_("Retirer l'image actuelle"), required=False)

    def clean(self):
        data = super().clean()
        has_image = bool(data.get("image")) or (data.get("existing_image") and not data.get("remove_image"))
        if has_image and not (data.get("text") or "").strip():
            self.add_error("text", _("Décrivez ce qu'il faut faire à cette étape."))
        if has_image and not (data.get("alt") or "").strip():
            self.add_error("alt", _("Décrivez l'image pour les personnes qui ne la voient pas."))
        return data


def step_formset_class(existing_count):
    extra = max(3, 6 - existing_count)
    total = min(conf.max_steps(), existing_count + extra)
    return forms.formset_factory(StepForm, extra=max(total - existing_count, 0), can_order=True, can_delete=True,
                                 max_num=conf.max_steps(), validate_max=True, absolute_max=conf.max_steps())


def step_initial(steps):
    return [{"text": s.text, "alt": s.alt, "existing_image": s.image.pk if s.image else None} for s in steps]


def attach_step_images(formset):
    """Give each step form the image it already shows (for its thumbnail)."""
    ids = [f.initial.get("existing_image") or (f.data.get(f.add_prefix("existing_image")) if f.is_bound else None)
           for f in formset.forms]
    ids = [int(i) for i in ids if i and str(i).isdigit()]
    images = get_image_model().objects.in_bulk(ids)
    for form in formset.forms:
        raw = form.initial.get("existing_image")
        if form.is_bound:
            raw = form.data.get(form.add_prefix("existing_image")) or None
        form.current_image = images.get(int(raw)) if raw and str(raw).isdigit() else None


def to_input(form, formset) -> BricolageInput:
    """The forms' cleaned data as the services' input."""
    data = form.cleaned_data
    images = get_image_model().objects.in_bulk(
        [f.cleaned_data["existing_image"] for f in formset.forms
         if getattr(f, "cleaned_data", None) and f.cleaned_data.get("existing_image")])
    steps = []
    for step_form in formset.ordered_forms if formset.can_order else formset.forms:
        step = step_form.cleaned_data
        if not step or step.get("DELETE"):
            continue
        image = None
        if step.get("existing_image") and not step.get("remove_image"):
            image = images.get(step["existing_image"])
        steps.append(StepInput(text=step.get("text") or "", image=image, upload=step.get("image") or None,
                               alt=step.get("alt") or ""))
    # Forms left without a position keep their place after the numbered ones.
    return BricolageInput(
        title=data["title"], problem=data["problem"], summary=data["summary"], materials=data.get("materials", ""),
        licence=data["licence"], tags=split_names(data.get("tags", "")), tools=split_names(data.get("tools", "")),
        steps=steps, add_attachments=data.get("add_attachments") or [],
        remove_attachments=data.get("remove_attachments") or [],
    )


def initial_for(data: BricolageInput) -> dict:
    return {"title": data.title, "summary": data.summary, "problem": data.problem, "materials": data.materials,
            "tools": ", ".join(data.tools), "tags": ", ".join(data.tags), "licence": data.licence}


class RatingForm(AccessibleFormMixin, forms.Form):
    stars = forms.TypedChoiceField(label=_("Votre note"), coerce=int, widget=forms.RadioSelect,
                                   choices=[(n, lazy_interpolate(_("%(n)d sur 5"), {"n": n})) for n in range(1, 6)],
                                   error_messages={"invalid_choice": _("La note est un nombre entier d'étoiles, de 1 à 5."),
                                                   "required": _("Choisissez une note de 1 à 5.")})


class FeedbackForm(AccessibleFormMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("Chez nous, ça a marché ?"), choices=Feedback.Outcome.choices,
                                widget=forms.RadioSelect)
    note = forms.CharField(label=_("Votre retour"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("Comment vous l'avez mis en place, ce que vous avez adapté, ce qui a coincé."))


class RestoreForm(AccessibleFormMixin, forms.Form):
    change_note = forms.CharField(label=_("Pourquoi restaurer cette version ? (facultatif)"), max_length=300,
                                  required=False)
