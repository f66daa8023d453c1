"""The account pages: django-allauth's views at French addresses, each with the project's rate limit
(cms.ratelimit, the one mechanism: allauth's own limits are off). The names are allauth's, which its
views and templates reverse, plus the project's short names (`login`, `signup`...) for its own links."""

from allauth.account import views as account
from allauth.mfa.base import views as mfa
from allauth.urls import build_provider_urlpatterns
from django.urls import include, path, re_path
from wagtail.utils.urlpatterns import decorate_urlpatterns

from . import views
from .ratelimit import account_and_address, ratelimit
from .web import with_form_status

# The login's two limits: per address for every account (high: a hall terminal, a shared NAT),
# then per account and address (brute force on one account).
login_view = ratelimit("login_ip", key="ip")(ratelimit("login", key=account_and_address)(account.login))
signup_view = ratelimit("signup", key="ip")(views.SignupView.as_view())
reset_view = ratelimit("password_reset", key="ip")(account.password_reset)
# Guessing the old password, or a second factor's code, is guessing a login.
change_password_view = ratelimit("login", key="user")(account.password_change)
mfa_authenticate_view = ratelimit("login", key="ip")(mfa.authenticate)
mfa_reauthenticate_view = ratelimit("login", key="user_or_ip")(mfa.reauthenticate)
email_view = ratelimit("email_change", key="user")(account.email)  # each POST may send an email

urlpatterns = [
    path("connexion/", login_view, name="account_login"),
    path("connexion/", login_view, name="login"),
    path("deconnexion/", account.logout, name="account_logout"),
    path("deconnexion/", account.logout, name="logout"),
    path("inscription/", signup_view, name="account_signup"),
    path("inscription/", signup_view, name="signup"),
    path("inactif/", account.account_inactive, name="account_inactive"),
    path("confirmer-mon-identite/", account.reauthenticate, name="account_reauthenticate"),
    path("e-mail/", email_view, name="account_email"),
    path("e-mail/lien-envoye/", account.email_verification_sent, name="account_email_verification_sent"),
    re_path(r"^e-mail/confirmer/(?P<key>[-:\w]+)/$", account.confirm_email, name="account_confirm_email"),
    path("mot-de-passe/changer/", change_password_view, name="account_change_password"),
    path("mot-de-passe/changer/", change_password_view, name="password_change"),
    path("mot-de-passe/definir/", account.password_set, name="account_set_password"),
    path("mot-de-passe/oubli/", reset_view, name="account_reset_password"),
    path("mot-de-passe/oubli/", reset_view, name="password_reset"),
    path("mot-de-passe/oubli/envoye/", account.password_reset_done, name="account_reset_password_done"),
    re_path(r"^mot-de-passe/nouveau/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$", account.password_reset_from_key,
            name="account_reset_password_from_key"),
    path("mot-de-passe/nouveau/fait/", account.password_reset_from_key_done,
         name="account_reset_password_from_key_done"),
    path("double-authentification/authenticate/", mfa_authenticate_view, name="mfa_authenticate"),
    path("double-authentification/reauthenticate/", mfa_reauthenticate_view, name="mfa_reauthenticate"),
    path("double-authentification/", include("allauth.mfa.urls")),
    path("connexions/", include("allauth.socialaccount.urls")),
    *build_provider_urlpatterns(),  # FranceConnect: oidc/franceconnect/login/ and its callback
    path("jeton/revoquer/", views.api_token_revoke, name="api-token-revoke"),
    path("mes-donnees/", views.privacy_export, name="privacy-export"),
    path("supprimer/", views.privacy_delete, name="privacy-delete"),
    path("", views.account, name="account"),
]
# A form posted with errors is a 400, as everywhere else on the site (allauth answers 200).
urlpatterns = decorate_urlpatterns(urlpatterns, with_form_status)
