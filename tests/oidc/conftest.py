from tests.oidc.fixtures import oidc_server  # noqa: F401 (the fixture, for this folder's tests)
