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
    ACCOUNT, NO_ACCOUNT = "account", "no_account"
    demarche = forms.TypedChoiceField(label=_("Démarche"), coerce=int)
    who = forms.ChoiceField(label=_("La personne"), widget=forms.RadioSelect, initial=ACCOUNT, required=False,
                            choices=[(ACCOUNT, _("La personne a un compte")),
                                     (NO_ACCOUNT, _("La personne n'a pas de compte"))])
    resident_email = forms.EmailField(label=_("Adresse e-mail du compte de la personne"), required=False,
                                      help_text=_("Si la personne a un compte."))
    holder_label = forms.CharField(
        label=_("Prénom ou initiales (facultatif)"), required=False, max_length=40,
        help_text=_("Si la personne n'a pas de compte : ce qu'elle choisit de donner, pour retrouver son carnet. "
                    "Jamais d'adresse ni de numéro de pièce d'identité."))
    consent = forms.BooleanField(label=_("La personne est d'accord pour que le carnet soit partagé avec mon service"),
                                 required=False)

    def __init__(self, *args, demarches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["demarche"].choices = [(d.pk, d.title) for d in demarches]

    def clean(self):
        data = super().clean()
        data["who"] = data.get("who") or self.ACCOUNT
        if data["who"] == self.ACCOUNT and not data.get("resident_email") and "resident_email" not in self.errors:
            self.add_error("resident_email", _("Donnez l'adresse e-mail du compte de la personne."))
        return data


class ClaimCodeForm(AccessibleFormMixin, forms.Form):
    code = forms.CharField(label=_("Code du carnet"), max_length=64,
                           help_text=_("Les 16 caractères imprimés sur la feuille de liaison, par exemple "
                                       "ABCD-EFGH-JKMN-PQRS."),
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                                         "spellcheck": "false"}))
