from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from cms.forms import AccessibleFormMixin

from . import registry
from .analysis import MAX_QUERY_CHARS
from .query import MAX_FILTER_VALUES, MAX_PAGE, SearchQuery


class SearchInput(forms.TextInput):
    input_type = "search"


class ValuesField(forms.Field):
    """Repeated query-string values (?tag=a&tag=b), each a short string."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"too_many": _("Trop de valeurs (%(max)d au plus).")}

    def to_python(self, value):
        if not value:
            return []
        values = [value] if isinstance(value, str) else list(value)
        return [str(v).strip()[:100] for v in values if str(v).strip()]

    def validate(self, value):
        super().validate(value)
        if len(value) > MAX_FILTER_VALUES:
            raise forms.ValidationError(self.error_messages["too_many"], code="too_many",
                                        params={"max": MAX_FILTER_VALUES})
        validator = ProhibitNullCharactersValidator()
        for item in value:
            validator(item)


class SearchForm(AccessibleFormMixin, forms.Form):
    """The search page's GET form. Long queries are cut, not refused; bad values are explained."""

    q = forms.CharField(label=_("Rechercher"), required=False, strip=True,
                        widget=SearchInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    type = forms.MultipleChoiceField(label=_("Type"), required=False, widget=forms.MultipleHiddenInput,
                                     error_messages={"invalid_choice": _("Type de contenu inconnu : « %(value)s ».")})
    tag = ValuesField(label=_("Mot-clé"), required=False)
    quartier = ValuesField(label=_("Quartier"), required=False)
    status = ValuesField(label=_("Statut"), required=False)
    page = forms.IntegerField(
        label=_("Page"), required=False, min_value=1, max_value=MAX_PAGE, widget=forms.HiddenInput,
        error_messages={"invalid": _("Le numéro de page doit être un nombre entier."),
                        "min_value": _("Le numéro de page commence à 1."),
                        "max_value": _("Le numéro de page ne peut pas dépasser %(limit_value)s.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [(key, label) for key, label in _type_choices()]

    def clean_q(self):
        return self.cleaned_data["q"][:MAX_QUERY_CHARS]

    def to_query(self, page_size=20) -> SearchQuery:
        data = self.cleaned_data
        return SearchQuery.build(text=data.get("q") or "", types=data.get("type") or (), tags=data.get("tag") or (),
                                 quartiers=data.get("quartier") or (), statuses=data.get("status") or (),
                                 page=data.get("page") or 1, page_size=page_size)


def _type_choices():
    return [(key, str(adapter.label or key)) for key, adapter in registry.adapters().items()]
