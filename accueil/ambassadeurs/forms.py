from django import forms
from django.utils.translation import gettext_lazy as _


class ApplicationForm(forms.Form):
    """Becoming an ambassador. The rules (once per mairie, a quartier of this mairie) are the service's
    (accueil.ambassadeurs.services.ambassador_apply)."""

    public_name = forms.CharField(label=_("Nom public"), max_length=60,
                                  help_text=_("Un prénom ou un surnom, affiché sur votre profil. Ni votre adresse "
                                              "e-mail ni votre téléphone ne sont jamais affichés."))
    quartier = forms.ChoiceField(label=_("Votre quartier (facultatif)"), required=False)
    languages = forms.CharField(label=_("Langues parlées"), max_length=200,
                                help_text=_("Séparées par des virgules, par exemple « français, arabe, wolof »."))
    help_with = forms.CharField(label=_("Ce pour quoi vous pouvez aider"), max_length=1000,
                                widget=forms.Textarea(attrs={"rows": 4}),
                                help_text=_("Par exemple : remplir un dossier, prendre rendez-vous, accompagner "
                                            "à la mairie, traduire."))
    motivation = forms.CharField(label=_("Un mot pour les organisateur·rices (facultatif)"), max_length=2000,
                                 required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text=_("Lu par les organisateur·rices seulement."))

    def __init__(self, *args, quartiers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quartier"].choices = [("", _("Aucun en particulier"))] + [(q.pk, q.name) for q in quartiers]


class HelpRequestForm(forms.Form):
    subject = forms.CharField(label=_("Objet"), max_length=120,
                              help_text=_("Par exemple « Inscrire mon fils à la cantine »."))
    message = forms.CharField(label=_("Votre message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}),
                              help_text=_("Ne donnez pas votre numéro ni votre adresse : vous échangez ici, et "
                                          "vous pourrez partager votre e-mail plus tard si vous le souhaitez tous "
                                          "les deux."))


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Votre message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))


class ActForm(forms.Form):
    """An act for the neighbour: the choice among the act's own (a démarche, a service)."""

    choice = forms.ChoiceField(label=_("Choix"))

    def __init__(self, *args, label=None, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = [(str(pk), text) for pk, text in choices]
        if label:
            self.fields["choice"].label = label
