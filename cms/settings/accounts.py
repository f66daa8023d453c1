"""Accounts, two-factor and FranceConnect settings, imported by cms/settings/base.py."""

from .environment import env, env_bool, env_int

# Accounts (django-allauth, docs/decisions/0010-allauth.md). Email verification is mandatory, so that
# sign-up can hide whether an address has an account (the owner gets an email instead); the rate
# limits are the project's own (RATELIMITS below), allauth's are off: one mechanism.
ACCOUNT_ADAPTER = "cms.accounts.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "cms.forms.SignupExtraForm"
ACCOUNT_FORMS = {
    "login": "cms.account_forms.LoginForm",
    "signup": "cms.account_forms.SignupForm",
    "add_email": "cms.account_forms.AddEmailForm",
    "change_password": "cms.account_forms.ChangePasswordForm",
    "reset_password": "cms.account_forms.ResetPasswordForm",
    "reset_password_from_key": "cms.account_forms.ResetPasswordKeyForm",
}
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_CHANGE_EMAIL = True  # one address: a new one replaces it once verified
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = env_int("EMAIL_CONFIRMATION_DAYS", 3)
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_RATE_LIMITS = False
ACCOUNT_USER_DISPLAY = "cms.accounts.user_display"
ACCOUNT_SESSION_REMEMBER = None  # the visitor chooses (« Se souvenir de moi »)
MFA_ADAPTER = "cms.accounts.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", "Mairie de demain")
MFA_FORMS = {
    "authenticate": "cms.account_forms.MFAAuthenticateForm",
    "reauthenticate": "cms.account_forms.MFAReauthenticateForm",
    "activate_totp": "cms.account_forms.ActivateTOTPForm",
    "deactivate_totp": "cms.account_forms.DeactivateTOTPForm",
}
# Éditeur·rices, organisateur·rices and agents (and superusers) reach nothing but their account pages
# until they have a second factor (cms/second_factor.py); residents may add one.
MFA_REQUIRED_FOR_STAFF = env_bool("MFA_REQUIRED_FOR_STAFF", True)
# FranceConnect, the State's identity service (OpenID Connect): on when its client id is set.
FRANCECONNECT_CLIENT_ID = env("FRANCECONNECT_CLIENT_ID", "")
FRANCECONNECT_SECRET = env("FRANCECONNECT_SECRET", "")
FRANCECONNECT_ISSUER = env("FRANCECONNECT_ISSUER", "https://fcp-low.sbx.dev-franceconnect.fr/api/v2")
FRANCECONNECT_SCOPES = env("FRANCECONNECT_SCOPES", "openid email given_name family_name").split()


def franceconnect_origin(issuer: str) -> str:
    """The origin (scheme://host[:port]) the Content-Security-Policy's form-action must allow."""
    from urllib.parse import urlsplit

    parts = urlsplit(issuer)
    return f"{parts.scheme}://{parts.netloc}"


SOCIALACCOUNT_ADAPTER = "cms.accounts.SocialAccountAdapter"
SOCIALACCOUNT_FORMS = {"signup": "cms.account_forms.SocialSignupForm"}
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True  # a verified email of an existing account: that account
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_AUTO_SIGNUP = False  # a first login asks for the home mairie
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"  # FranceConnect's addresses are verified by the State
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS = {
    "franceconnect": {
        "SCOPE": FRANCECONNECT_SCOPES,
        "APPS": [{
            "client_id": FRANCECONNECT_CLIENT_ID,
            "secret": FRANCECONNECT_SECRET,
            "settings": {"server_url": FRANCECONNECT_ISSUER, "token_auth_method": "client_secret_post"},
        }] if FRANCECONNECT_CLIENT_ID else [],
    },
}
