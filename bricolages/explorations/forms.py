"""Plain HTML forms of the explorations; the services check every rule again."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cms.forms import AccessibleFormMixin


class DayForm(AccessibleFormMixin, forms.Form):
    service = forms.CharField(label=_("Service d'accueil"), max_length=160,
                              help_text=_("Par exemple : État civil, Espaces verts, Accueil."))
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Lieu"), max_length=200)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=50, initial=1)
    what_you_will_see = forms.CharField(label=_("Ce que le visiteur verra"), max_length=4000,
                                        widget=forms.Textarea(attrs={"rows": 4}))
    contact = forms.CharField(label=_("Contact"), max_length=200,
                              help_text=_("Visible des seuls agents : nom, téléphone ou e-mail de la personne qui accueille."))


class ApplyForm(AccessibleFormMixin, forms.Form):
    goals = forms.CharField(label=_("Vos objectifs"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=_("Ce que vous voulez comprendre ou rapporter pour votre propre travail."))


class LogbookForm(AccessibleFormMixin, forms.Form):
    text = forms.CharField(label=pgettext_lazy("logbook entry", "Note"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    photo = forms.FileField(label=_("Photo (facultative)"), required=False,
                            help_text=_("Une image JPEG, PNG, GIF ou WebP."))
    photo_alt = forms.CharField(label=_("Description de la photo"), max_length=250, required=False,
                                help_text=_("Obligatoire avec une photo : décrivez-la pour qui ne la voit pas."))


class SummaryForm(AccessibleFormMixin, forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=160)
    text = forms.CharField(label=_("Ce que j'ai appris"), max_length=6000, widget=forms.Textarea(attrs={"rows": 8}))
