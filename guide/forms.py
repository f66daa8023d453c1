from django import forms
from django.utils.translation import gettext_lazy as _

from cms.forms import AccessibleFormMixin

from .models import CarnetItem


class ShareForm(AccessibleFormMixin, forms.Form):
    service = forms.ChoiceField(label=_("Partager avec le service"),
                                help_text=_("Ses agents pourront lire ce carnet, cocher les documents vérifiés et "
                                            "noter votre prochain rendez-vous. Vous pourrez retirer ce partage."))

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [(s.slug, s.name) for s in services]


class ItemStateForm(AccessibleFormMixin, forms.Form):
    state = forms.ChoiceField(label=_("État du document"), choices=CarnetItem.State.choices)


class AgentPartForm(AccessibleFormMixin, forms.Form):
    next_appointment = forms.DateTimeField(
        label=_("Prochain rendez-vous"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"])
    appointment_place = forms.CharField(label=_("Lieu du rendez-vous"), max_length=200, required=False)
    agent_note = forms.CharField(label=_("Note pour le prochain service"), required=False, max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 4}),
                                 help_text=_("Des faits utiles à la démarche, rien d'autre : la personne la lit."))


class CounterOpenForm(AccessibleFormMixin, forms.Form):
    demarche = forms.TypedChoiceField(label=_("Démarche"), coerce=int)
    resident_email = forms.EmailField(label=_("Adresse e-mail du compte de la personne"))
    consent = forms.BooleanField(label=_("La personne est d'accord pour que le carnet soit partagé avec mon service"),
                                 required=False)

    def __init__(self, *args, demarches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["demarche"].choices = [(d.pk, d.title) for d in demarches]
