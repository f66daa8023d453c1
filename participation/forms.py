from django import forms
from django.utils.translation import gettext_lazy as _

from cms.forms import AccessibleFormMixin

from .models import Report
from .notification_kinds import Delivery, Kind


class ReportForm(AccessibleFormMixin, forms.Form):
    reason = forms.ChoiceField(label=_("Motif"), choices=Report.Reason.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Précision (facultatif)"), max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


class NotificationPreferencesForm(AccessibleFormMixin, forms.Form):
    """One group of radios per kind of notification: how its emails come."""

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(label=kind.label, choices=Delivery.choices,
                                                        widget=forms.RadioSelect, initial=current.get(kind.value))
