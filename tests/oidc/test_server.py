"""The OpenID Connect test server (tests/oidc/server.mjs) really speaks OpenID Connect: plain HTTP, no browser,
id_tokens checked with PyJWT against the server's JWKS."""

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

REDIRECT_URI = "http://paris19.localhost:8000/comptes/oidc/franceconnect/login/callback/"


@pytest.fixture
def oidc(oidc_server):
    oidc_server.reset()
    yield oidc_server
    oidc_server.reset()


def pyjwt():
    return pytest.importorskip("jwt", reason="PyJWT (comes with django-allauth[socialaccount]) is not installed")


def discovery(oidc):
    response = requests.get(oidc.discovery_url, timeout=5)
    assert response.status_code == 200
    return response.json()


def authorize(oidc, *, nonce=None, state="state-123", client_id=None, redirect_uri=REDIRECT_URI, **extra):
    params = {"client_id": client_id or oidc.client_id, "redirect_uri": redirect_uri, "response_type": "code",
              "scope": "openid email profile", "state": state, **extra}
    if nonce is not None:
        params["nonce"] = nonce
    return requests.get(discovery(oidc)["authorization_endpoint"], params=params, allow_redirects=False, timeout=5)


def code_from(response):
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT_URI
    query = parse_qs(location.query)
    assert query["state"] == ["state-123"]
    return query["code"][0]


def token(oidc, code, *, auth="post", secret=None, redirect_uri=REDIRECT_URI, **extra):
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri, **extra}
    secret = secret or oidc.client_secret
    kwargs = {}
    if auth == "basic":
        kwargs["auth"] = (oidc.client_id, secret)
    else:
        data.update(client_id=oidc.client_id, client_secret=secret)
    return requests.post(discovery(oidc)["token_endpoint"], data=data, timeout=5, **kwargs)


def login(oidc, nonce="nonce-abc"):
    """A whole authorization-code flow; the token endpoint's JSON."""
    response = token(oidc, code_from(authorize(oidc, nonce=nonce)))
    assert response.status_code == 200, response.text
    return response.json()


def decode(oidc, id_token):
    jwt = pyjwt()
    key = jwt.PyJWKClient(discovery(oidc)["jwks_uri"]).get_signing_key_from_jwt(id_token)
    return jwt.decode(id_token, key.key, algorithms=["RS256"], audience=oidc.client_id, issuer=oidc.issuer)


def test_discovery_document(oidc):
    config = discovery(oidc)
    assert config["issuer"] == oidc.issuer
    assert oidc.issuer.startswith("http://127.0.0.1:")
    for endpoint in ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri"):
        assert config[endpoint].startswith(oidc.issuer + "/")
    assert set(config["token_endpoint_auth_methods_supported"]) == {"client_secret_post", "client_secret_basic"}
    assert config["id_token_signing_alg_values_supported"] == ["RS256"]
    keys = requests.get(config["jwks_uri"], timeout=5).json()["keys"]
    assert [(key["kty"], key["alg"]) for key in keys] == [("RSA", "RS256")]
    assert "d" not in keys[0]  # public part only


@pytest.mark.parametrize("auth", ["post", "basic"])
def test_code_flow_carries_the_claims_and_the_nonce(oidc, auth):
    oidc.set_next_login(sub="fc-42", email="zoe.lefevre@example.org", email_verified=False, given_name="Zoé",
                        family_name="Lefèvre")
    response = token(oidc, code_from(authorize(oidc, nonce="nonce-xyz")), auth=auth)
    assert response.status_code == 200, response.text
    answer = response.json()
    claims = decode(oidc, answer["id_token"])
    expected = {"sub": "fc-42", "email": "zoe.lefevre@example.org", "email_verified": False, "given_name": "Zoé",
                "family_name": "Lefèvre"}
    assert {name: claims.get(name) for name in expected} == expected
    assert claims["nonce"] == "nonce-xyz"
    assert claims["aud"] == oidc.client_id and claims["iss"] == oidc.issuer

    userinfo = requests.get(discovery(oidc)["userinfo_endpoint"], timeout=5,
                            headers={"Authorization": f"Bearer {answer['access_token']}"})
    assert userinfo.status_code == 200
    assert userinfo.json() == expected


def test_next_login_is_one_shot_and_none_drops_a_claim(oidc):
    oidc.set_next_login(sub="fc-once", email=None)
    first = decode(oidc, login(oidc)["id_token"])
    assert first["sub"] == "fc-once" and "email" not in first
    second = decode(oidc, login(oidc)["id_token"])
    assert second["sub"] != "fc-once" and second["email"]


def test_a_code_is_used_once(oidc):
    code = code_from(authorize(oidc))
    assert token(oidc, code).status_code == 200
    replay = token(oidc, code)
    assert (replay.status_code, replay.json()["error"]) == (400, "invalid_grant")


def test_the_server_refuses_what_a_provider_refuses(oidc):
    # Unknown client, or a redirect_uri off loopback: an error page, never a redirect.
    for response in (authorize(oidc, client_id="someone-else"),
                     authorize(oidc, redirect_uri="https://attacker.example/callback")):
        assert response.status_code == 400 and "Location" not in response.headers
    # A wrong secret does not spend the code, nor its nonce.
    code = code_from(authorize(oidc, nonce="kept"))
    for auth in ("post", "basic"):
        refused = token(oidc, code, auth=auth, secret="wrong")
        assert (refused.status_code, refused.json()["error"]) == (401, "invalid_client")
    assert decode(oidc, token(oidc, code).json()["id_token"])["nonce"] == "kept"
    # Another redirect_uri than the authorize request's does.
    code = code_from(authorize(oidc))
    other = token(oidc, code, redirect_uri="http://paris19.localhost:8000/elsewhere/")
    assert (other.status_code, other.json()["error"]) == (400, "invalid_grant")
    assert token(oidc, code).status_code == 400
    # userinfo wants a token the server issued.
    userinfo = discovery(oidc)["userinfo_endpoint"]
    assert requests.get(userinfo, timeout=5).status_code == 401
    assert requests.get(userinfo, headers={"Authorization": "Bearer forged"}, timeout=5).status_code == 401


def test_pkce_is_checked_when_a_challenge_was_sent(oidc):
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    pkce = {"code_challenge": challenge, "code_challenge_method": "S256"}
    assert token(oidc, code_from(authorize(oidc, **pkce))).json()["error"] == "invalid_grant"
    assert token(oidc, code_from(authorize(oidc, **pkce)), code_verifier="x" * 43).status_code == 400
    assert token(oidc, code_from(authorize(oidc, **pkce)), code_verifier=verifier).status_code == 200


def test_tampered_nonce(oidc):
    oidc.tamper("nonce")
    claims = decode(oidc, login(oidc, nonce="the-real-one")["id_token"])  # well signed...
    assert claims["nonce"] != "the-real-one"  # ...but for another authorization request
    assert decode(oidc, login(oidc, nonce="the-real-one")["id_token"])["nonce"] == "the-real-one"  # one-shot


def test_tampered_signature(oidc):
    jwt = pyjwt()
    oidc.set_next_login(sub="fc-sig")
    oidc.tamper("signature")
    id_token = login(oidc, nonce="n-sig")["id_token"]
    with pytest.raises(jwt.InvalidSignatureError):
        decode(oidc, id_token)
    # Same kid and same claims: only the signature is off.
    jwks_kids = [key["kid"] for key in requests.get(discovery(oidc)["jwks_uri"], timeout=5).json()["keys"]]
    assert jwt.get_unverified_header(id_token)["kid"] in jwks_kids
    unverified = jwt.decode(id_token, options={"verify_signature": False})
    assert (unverified["sub"], unverified["nonce"]) == ("fc-sig", "n-sig")


@pytest.mark.parametrize("kind, error", [("issuer", "InvalidIssuerError"), ("audience", "InvalidAudienceError"),
                                         ("expired", "ExpiredSignatureError")])
def test_tampered_claims(oidc, kind, error):
    jwt = pyjwt()
    oidc.tamper(kind)
    with pytest.raises(getattr(jwt, error)):
        decode(oidc, login(oidc)["id_token"])


def test_access_denied(oidc):
    oidc.tamper("access_denied")
    response = authorize(oidc, nonce="n")
    assert response.status_code == 302
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    assert query["error"] == ["access_denied"] and query["state"] == ["state-123"] and "code" not in query


def test_control_endpoint_refuses_bad_input(oidc):
    control = f"{oidc.issuer}/__claims"
    for body in ({"tamper": "everything"}, {"iss": "http://evil"}, {"sub": ""}, [1, 2]):
        assert requests.post(control, json=body, timeout=5).status_code == 400
    assert requests.post(control, data="{not json", timeout=5).status_code == 400
    with pytest.raises(ValueError, match="unknown tamper"):
        oidc.tamper("bogus")
    for body in ({"sub": "fc-half", "tamper": "everything"}, {"sub": "fc-half", "nonce": "x"}):
        assert requests.post(control, json=body, timeout=5).status_code == 400
    pending = requests.get(control, timeout=5).json()  # nothing half-set
    assert pending["tamper"] is None and pending["claims"]["sub"] != "fc-half"
    assert oidc.set_next_login(sub="fc-1")["claims"]["sub"] == "fc-1"
