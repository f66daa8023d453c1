from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Mairie


class AccessibleFormMixin:
    """Ties each field to its help text and errors (aria-describedby, aria-invalid), so that
    screen readers announce them. The _form.html template renders the matching ids."""

    def _describe_fields(self):
        for name, field in self.fields.items():
            auto_id = self._auto_id(name)  # not self[name]: a bound field made now would keep today's label
            ids = []
            if field.help_text:
                ids.append(f"{auto_id}_help")
            if self._errors is not None and name in self._errors:  # never trigger validation here
                ids.append(f"{auto_id}_error")
                field.widget.attrs["aria-invalid"] = "true"
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)

    def _auto_id(self, name):
        """BoundField.auto_id's rule."""
        html_name = self.add_prefix(name)
        if self.auto_id and "%s" in str(self.auto_id):
            return self.auto_id % html_name
        return html_name if self.auto_id else ""

    def full_clean(self):
        super().full_clean()
        self._describe_fields()

    def add_error(self, field, error):
        super().add_error(field, error)
        self._describe_fields()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._describe_fields()


class SignupExtraForm(forms.Form):
    """What the platform asks at sign-up beside allauth's username, email and passwords (its
    ACCOUNT_SIGNUP_FORM_CLASS: allauth's sign-up forms, by password and by FranceConnect, derive from it)."""

    display_name = forms.CharField(label=_("Nom affiché (facultatif)"), max_length=80, required=False,
                                   help_text=_("Le nom que les autres voient. Sans nom affiché : votre nom "
                                               "d'utilisateur."))
    mairie = forms.ModelChoiceField(label=_("Ma mairie"), queryset=Mairie.objects.all(), empty_label=None)

    def signup(self, request, user):
        """Nothing more: cms.accounts' adapters save the mairie and the display name."""
