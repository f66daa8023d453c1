from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cms.forms import AccessibleFormMixin
from participation.models import Quartier

from .models import TRANSITIONS, Need, Role, Status

MAX_IMAGE_BYTES = 5 * 1024 * 1024


class ProjectForm(AccessibleFormMixin, forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=120)
    summary = forms.CharField(label=_("Votre projet en une phrase"), max_length=200)
    description = forms.CharField(label=_("Description"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8}),
                                  help_text=_("Ce que vous voulez faire, pour qui, où, avec qui."))
    quartier = forms.ModelChoiceField(label=_("Quartier"), queryset=Quartier.objects.none(), required=False,
                                      empty_label=_("Tout l'arrondissement"))
    tags = forms.CharField(label=_("Mots-clés (facultatif)"), required=False, max_length=300,
                           help_text=_("Séparés par des virgules, par exemple : jardin, enfants."))
    needs = forms.MultipleChoiceField(label=_("Ce dont vous avez besoin de la mairie"), choices=Need.choices,
                                      required=False, widget=forms.CheckboxSelectMultiple)
    role = forms.ChoiceField(label=_("Vous êtes"), choices=Role.choices, widget=forms.RadioSelect,
                             initial=Role.RESIDENT)
    organisation_name = forms.CharField(label=_("Nom de l'association ou du collectif (facultatif)"), max_length=120,
                                        required=False)
    author_anonymous = forms.BooleanField(label=_("Publier comme « un·e habitant·e du quartier »"), required=False,
                                          help_text=_("Votre nom reste connu des organisateur·rices."))
    image = forms.ImageField(label=_("Image (facultatif)"), required=False,
                             help_text=_("JPEG, PNG ou WebP, 5 Mo au plus."))
    image_alt = forms.CharField(label=_("Description de l'image (facultatif)"), max_length=200, required=False)

    def __init__(self, *args, mairie=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quartier"].queryset = Quartier.objects.filter(mairie=mairie)

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and image.size > MAX_IMAGE_BYTES:
            raise ValidationError(_("L'image dépasse 5 Mo."))
        return image

    def clean_tags(self):
        return [t.strip() for t in self.cleaned_data.get("tags", "").split(",") if t.strip()]


class DecisionForm(AccessibleFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Nouvelle étape"), choices=())
    rationale = forms.CharField(label=_("Justification publique"), max_length=2000,
                                widget=forms.Textarea(attrs={"rows": 4}),
                                help_text=_("Publiée sur la page du projet et envoyée à ses abonné·es."))

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, Status(s).label) for s in TRANSITIONS.get(project.status, ())]


class NewsForm(AccessibleFormMixin, forms.Form):
    text = forms.CharField(label=_("Vos nouvelles"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5}))
