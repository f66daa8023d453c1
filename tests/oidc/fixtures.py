"""`oidc_server`: a real OpenID Connect provider on loopback (tests/oidc/server.mjs, on the npm package
oauth2-mock-server), standing in for FranceConnect. Session-scoped: one node process per test process.

    def test_login(oidc_server):
        oidc_server.issuer          # "http://127.0.0.1:<port>"; discovery at <issuer>/.well-known/openid-configuration
        oidc_server.client_id, oidc_server.client_secret  # the only client the server accepts
        oidc_server.set_next_login(sub="fc-123", email="a@example.org", given_name="Zoé")  # merged over defaults
        oidc_server.tamper("nonce")  # or signature, issuer, audience, expired, access_denied
        oidc_server.reset()          # forget both

What the next login gets is consumed by the next GET /authorize: set it just before starting the login. The
rules the server applies (redirect_uri, client authentication, tamper kinds) are in server.mjs's header.
"""

import json
import os
import secrets
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest

HERE = Path(__file__).resolve().parent
SERVER = HERE / "server.mjs"
CLIENT_ID = "mairie-de-demain-test"
INSTALL_HINT = "`make oidc-server` (npm ci --prefix tests/oidc; needs Debian's nodejs and npm, .ci/run installs them)"
READY_TIMEOUT = 20  # seconds


class OIDCServer:
    """The running server, as the tests see it."""

    def __init__(self, issuer: str, client_id: str, client_secret: str):
        self.issuer = issuer
        self.client_id = client_id
        self.client_secret = client_secret
        self.discovery_url = f"{issuer}/.well-known/openid-configuration"

    def set_next_login(self, **claims) -> dict:
        """Claims of the next login (id_token and userinfo), merged over the server's defaults; None drops one."""
        return self._control("POST", claims)

    def tamper(self, kind: str | None) -> dict:
        """Make the next login's answer bad on purpose (kinds in server.mjs's header); None cancels."""
        return self._control("POST", {"tamper": kind})

    def reset(self) -> dict:
        """Back to the default claims, no tamper."""
        return self._control("DELETE")

    def _control(self, method: str, payload: dict | None = None) -> dict:
        data = None if payload is None else json.dumps(payload).encode()
        request = Request(f"{self.issuer}/__claims", data=data, method=method,
                          headers={"Content-Type": "application/json"})
        try:
            with urlopen(request, timeout=5) as response:
                return json.load(response)
        except HTTPError as error:
            raise ValueError(f"the OIDC test server refused {payload!r}: {error.read().decode()}") from None


def start(client_secret: str, stderr) -> tuple[subprocess.Popen, dict]:
    """Start server.mjs on a free port; returns the process and its ready line (parsed)."""
    env = {**os.environ, "OIDC_CLIENT_ID": CLIENT_ID, "OIDC_CLIENT_SECRET": client_secret}
    process = subprocess.Popen([shutil.which("node"), str(SERVER), "0", "--exit-on-stdin-close"], cwd=HERE,
                               env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, text=True)
    lines = []
    reader = threading.Thread(target=lambda: lines.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(READY_TIMEOUT)
    if not lines or not lines[0].strip():
        stop(process)
        stderr.seek(0)
        raise RuntimeError(f"the OIDC test server did not start (waited up to {READY_TIMEOUT}s):\n{stderr.read()[-2000:]}")
    return process, json.loads(lines[0])


def stop(process: subprocess.Popen) -> None:
    if process.stdin:
        process.stdin.close()  # --exit-on-stdin-close: the server stops by itself
    try:
        process.wait(5)
    except subprocess.TimeoutExpired:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def oidc_server():
    """The OpenID Connect test server (FranceConnect stand-in), one per test process; see this module's doc."""
    if shutil.which("node") is None:
        pytest.skip(f"node is not installed, so no OpenID Connect test server: apt-get install nodejs npm, then "
                    f"{INSTALL_HINT}")
    if not (HERE / "node_modules" / "oauth2-mock-server").is_dir():
        pytest.skip(f"the OpenID Connect test server is not installed (tests/oidc/node_modules): {INSTALL_HINT}")
    client_secret = secrets.token_urlsafe(24)
    with tempfile.TemporaryFile(mode="w+") as stderr:
        process, ready = start(client_secret, stderr)
        try:
            yield OIDCServer(ready["issuer"], ready["client_id"], client_secret)
        finally:
            stop(process)
