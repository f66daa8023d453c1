"""allauth's forms with the platform's accessible markup (cms.forms.AccessibleFormMixin: each field tied to
its help text and errors), named in ACCOUNT_FORMS, MFA_FORMS and SOCIALACCOUNT_FORMS. The sign-up's own
fields (home mairie, display name) are cms.forms.SignupExtraForm, which allauth's sign-up forms derive from."""

from allauth.account import forms as account
from allauth.mfa.base import forms as mfa_base
from allauth.mfa.totp import forms as totp
from allauth.socialaccount import forms as social
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from .forms import AccessibleFormMixin

LOGIN_MAX_LENGTH = 254  # an email address's longest; usernames are 150
SIGNUP_ORDER = ["username", "display_name", "email", "mairie", "password1", "password2"]


class AccountFormMixin(AccessibleFormMixin):
    """The site's field markup, and no placeholders: the label says it, and stays when one types."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)


class LoginForm(AccountFormMixin, account.LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Nom d'utilisateur ou adresse e-mail")
        # No account's name or address is longer; a longer one would reach the database's LIKE (SQLite
        # refuses a pattern of 50,000 characters with an error, not a "no").
        self.fields["login"].max_length = LOGIN_MAX_LENGTH
        self.fields["login"].validators.append(MaxLengthValidator(LOGIN_MAX_LENGTH))
        self.fields["login"].widget.attrs["maxlength"] = LOGIN_MAX_LENGTH
        self.fields["password"].help_text = ""  # allauth's « forgotten? » link: after the form, not between fields
        self.fields["login"].widget.attrs["autocomplete"] = "username"


def _signup_fields(form):
    form.order_fields(SIGNUP_ORDER)
    form.fields["username"].label = _("Nom d'utilisateur")
    form.fields["username"].help_text = _("Lettres, chiffres et @ . + - _ uniquement.")
    form.fields["email"].label = _("Adresse e-mail")


class SignupForm(AccountFormMixin, account.SignupForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _signup_fields(self)


class SocialSignupForm(AccountFormMixin, social.SignupForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _signup_fields(self)


class AddEmailForm(AccountFormMixin, account.AddEmailForm):
    pass


class ChangePasswordForm(AccountFormMixin, account.ChangePasswordForm):
    pass


class ResetPasswordForm(AccountFormMixin, account.ResetPasswordForm):
    pass


class ResetPasswordKeyForm(AccountFormMixin, account.ResetPasswordKeyForm):
    pass


class MFAAuthenticateForm(AccountFormMixin, mfa_base.AuthenticateForm):
    pass


class MFAReauthenticateForm(AccountFormMixin, mfa_base.ReauthenticateForm):
    pass


class ActivateTOTPForm(AccountFormMixin, totp.ActivateTOTPForm):
    pass


class DeactivateTOTPForm(AccountFormMixin, totp.DeactivateTOTPForm):
    pass
