"""Plain HTML forms of Open Bricolage; the services check every rule again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cms import roles
from cms.forms import AccessibleFormMixin
from cms.models import User
from cms.validation import id_or_none

from ..models import BricolagePage


class EditionForm(AccessibleFormMixin, forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=160, help_text=_("Par exemple : Open Bricolage 2027."))
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Lieu"), max_length=200)
    description = forms.CharField(label=_("Présentation"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    capacity = forms.IntegerField(label=_("Places pour la journée"), min_value=1, max_value=500, initial=30,
                                  help_text=_("Pour les agents qui viennent sans choisir d'atelier."))


class _IdChoice(forms.ModelChoiceField):
    """A choice by id: an id no 64-bit key can hold is an invalid choice (a 400), never a lookup that
    SQLite refuses with an overflow (cms.validation)."""

    def to_python(self, value):
        if value not in self.empty_values and not isinstance(value, self.queryset.model) and id_or_none(value) is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class _AgentChoice(_IdChoice):
    def label_from_instance(self, obj):
        return f"{obj.public_name} ({obj.mairie.short_name})" if obj.mairie_id else obj.public_name


class WorkshopForm(AccessibleFormMixin, forms.Form):
    title = forms.CharField(label=_("Titre de l'atelier"), max_length=160)
    description = forms.CharField(label=_("Description"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4}))
    starts_at = forms.TimeField(label=_("Heure de début"), widget=forms.TimeInput(attrs={"type": "time"}))
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=100, initial=8)
    leader = _AgentChoice(label=_("Animé par"), queryset=User.objects.none(),
                          help_text=_("L'agent qui a fait le bricolage présenté."))
    bricolage = _IdChoice(label=_("Bricolage présenté"), queryset=BricolagePage.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = (User.objects.filter(is_active=True, mairie__isnull=False,
                                                              groups__name__in=(roles.AGENTS, roles.EDITORS,
                                                                                roles.ORGANISERS))
                                          .select_related("mairie").distinct().order_by("display_name", "pk"))
        self.fields["bricolage"].queryset = BricolagePage.objects.live().filter(is_hidden=False).order_by("title")


class RegisterForm(AccessibleFormMixin, forms.Form):
    workshop = _IdChoice(label=_("Atelier"), required=False, queryset=None, blank=True,
                                      empty_label=_("La journée, sans choisir d'atelier"), widget=forms.RadioSelect)
    first_time = forms.BooleanField(label=_("Je n'ai jamais utilisé le wiki des bricolages"), required=False,
                                    help_text=_("Les organisateurs prévoient un accompagnement pour une première fois."))

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workshop"].queryset = edition.workshops.all().order_by("starts_at", "id")


class FeedbackForm(AccessibleFormMixin, forms.Form):
    rating = forms.TypedChoiceField(label=_("Votre note"), coerce=int, widget=forms.RadioSelect,
                                    choices=[(n, str(n)) for n in range(1, 6)],
                                    help_text=_("De 1 (décevant) à 5 (excellent)."))
    text = forms.CharField(label=_("Votre retour"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4}))
