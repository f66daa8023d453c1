from django import forms
from django.utils.translation import gettext_lazy as _

from cms.forms import AccessibleFormMixin

from .models import Report


class ReportForm(AccessibleFormMixin, forms.Form):
    reason = forms.ChoiceField(label=_("Motif"), choices=Report.Reason.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Précision (facultatif)"), max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))
