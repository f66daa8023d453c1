"""FranceConnect, the State's identity service, as an allauth provider: OpenID Connect, with what allauth's
generic `openid_connect` provider leaves out and FranceConnect requires (decision 0010): a `nonce` sent with
each authorisation request and checked in the returned id_token, and the id_token's signature always checked
against the provider's published keys. On when FRANCECONNECT_CLIENT_ID is set (settings)."""

import secrets

from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from django.urls import reverse

from .views import NONCE_SESSION_KEY, FranceConnectAdapter


class FranceConnectProvider(OpenIDConnectProvider):
    id = "franceconnect"
    name = "FranceConnect"
    oauth2_adapter_class = FranceConnectAdapter

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.name = self.app.name or FranceConnectProvider.name

    def get_login_url(self, request, **kwargs):
        from urllib.parse import urlencode

        url = reverse("franceconnect_login")
        return f"{url}?{urlencode(kwargs)}" if kwargs else url

    def get_callback_url(self):
        return reverse("franceconnect_callback")

    def get_oauth2_adapter(self, request):
        return FranceConnectAdapter(request)

    def get_default_scope(self):
        return ["openid", "email", "given_name", "family_name"]

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        nonce = secrets.token_urlsafe(24)
        request.session[NONCE_SESSION_KEY] = nonce
        auth_params = {**(kwargs.pop("auth_params", None) or self.get_auth_params()), "nonce": nonce}
        return super().redirect(request, process, next_url, data, auth_params=auth_params, **kwargs)


provider_classes = [FranceConnectProvider]
