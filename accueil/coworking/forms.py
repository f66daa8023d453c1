from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Half


class BookingForm(forms.Form):
    """A half-day at a desk. The rules (open days, desks left, who may book) are the service's
    (accueil.coworking.services.booking_create)."""

    space = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=2**62)
    date = forms.DateField(label=_("Jour"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    half = forms.ChoiceField(label=_("Demi-journée"), choices=Half.choices, widget=forms.RadioSelect)


class InvitationForm(forms.Form):
    name = forms.CharField(label=_("Nom de la personne invitée"), max_length=120,
                           widget=forms.TextInput(attrs={"autocomplete": "off"}))
    organisation = forms.CharField(label=_("Structure (facultatif)"), max_length=160, required=False,
                                   help_text=_("L'association, la coopérative, l'entreprise…"))
    email = forms.EmailField(label=_("E-mail"), max_length=254,
                             help_text=_("Le lien personnel de réservation lui est envoyé à cette adresse."))
    valid_until = forms.DateField(label=_("Valable jusqu'au (facultatif)"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                  input_formats=["%Y-%m-%d", "%d/%m/%Y"], help_text=_("Par défaut, 90 jours."))
