import functools

from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from allauth.utils import build_absolute_uri
from django.http import Http404
from django.urls import reverse
from django.utils.crypto import constant_time_compare

NONCE_SESSION_KEY = "franceconnect_nonce"


class FranceConnectAdapter(OpenIDConnectOAuth2Adapter):
    def __init__(self, request):
        super().__init__(request, "franceconnect")

    def get_callback_url(self, request, app):
        return build_absolute_uri(request, reverse("franceconnect_callback"), self.redirect_uri_protocol)

    def _decode_id_token(self, app, id_token):
        """The id_token's signature, issuer, audience and expiry, always; then the nonce this browser sent
        (once: it is taken from the session)."""
        data = jwtkit.verify_and_decode(
            credential=id_token, keys_url=self.openid_config["jwks_uri"], issuer=self.openid_config["issuer"],
            audience=app.client_id, lookup_kid=jwtkit.lookup_kid_jwk, verify_signature=True)
        expected = self.request.session.pop(NONCE_SESSION_KEY, None)
        if not expected or not constant_time_compare(str(data.get("nonce", "")), expected):
            raise OAuth2Error("FranceConnect: the id_token's nonce is not the one this browser sent")
        return data


def _unless_configured(view):
    """404 while FranceConnect is not configured (no FRANCECONNECT_CLIENT_ID), as allauth's own providers do."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except SocialApp.DoesNotExist as exc:
            raise Http404 from exc

    return wrapped


oauth2_login = _unless_configured(OAuth2LoginView.adapter_view(FranceConnectAdapter))
oauth2_callback = _unless_configured(OAuth2CallbackView.adapter_view(FranceConnectAdapter))
