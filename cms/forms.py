from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from .models import Mairie


class AccessibleFormMixin:
    """Ties each field to its help text and errors (aria-describedby, aria-invalid), so that
    screen readers announce them. The _form.html template renders the matching ids."""

    def _describe_fields(self):
        for name, field in self.fields.items():
            bound = self[name]
            ids = []
            if field.help_text:
                ids.append(f"{bound.auto_id}_help")
            if self._errors is not None and name in self._errors:  # never trigger validation here
                ids.append(f"{bound.auto_id}_error")
                field.widget.attrs["aria-invalid"] = "true"
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)

    def full_clean(self):
        super().full_clean()
        self._describe_fields()

    def add_error(self, field, error):
        super().add_error(field, error)
        self._describe_fields()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._describe_fields()


class SignupForm(AccessibleFormMixin, forms.Form):
    username = forms.CharField(
        label=_("Nom d'utilisateur"), max_length=150, validators=[UnicodeUsernameValidator()],
        help_text=_("Lettres, chiffres et @ . + - _ uniquement."),
    )
    display_name = forms.CharField(label=_("Nom affiché (facultatif)"), max_length=80, required=False)
    email = forms.EmailField(label=_("Adresse e-mail"))
    mairie = forms.ModelChoiceField(label=_("Ma mairie"), queryset=Mairie.objects.all(), empty_label=None)
    password1 = forms.CharField(label=_("Mot de passe"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=_("Au moins 10 caractères, pas uniquement des chiffres."))
    password2 = forms.CharField(label=_("Confirmez le mot de passe"),
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("Les deux mots de passe ne correspondent pas."))
        return data
