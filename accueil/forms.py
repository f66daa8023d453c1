from django import forms
from django.utils.translation import gettext_lazy as _

from .sms import sms_enabled


class TicketForm(forms.Form):
    """Take a ticket: the service, and optionally how to be told before one's turn. The rules (opening
    hours, phone format) are the service's (accueil.services.ticket_take)."""

    service = forms.ChoiceField(label=_("Pour quel service ?"), widget=forms.RadioSelect)
    phone = forms.CharField(label=_("Portable (facultatif)"), required=False, max_length=30,
                            help_text=_("Pour recevoir un SMS avant votre tour. Effacé dès que le ticket est clos."),
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
    email = forms.EmailField(label=_("E-mail (facultatif)"), required=False, max_length=254,
                             help_text=_("Pour recevoir un e-mail avant votre tour. Effacé dès que le ticket est clos."),
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    lead_minutes = forms.IntegerField(label=_("Me prévenir combien de minutes avant ?"), min_value=1, max_value=180,
                                      initial=15, required=False)

    def __init__(self, *args, services=(), contact=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [(s.slug, s.name) for s in services]
        if not contact:
            for name in ("phone", "email", "lead_minutes"):
                del self.fields[name]
        elif not sms_enabled():
            del self.fields["phone"]


class TransferForm(forms.Form):
    service = forms.ChoiceField(label=_("Vers le service"))

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [(s.slug, s.name) for s in services]
