import pytest


@pytest.fixture
def lockout_on(settings):
    """The test settings switch django-axes off (the test client has no address); the lockout tests need it."""
    settings.AXES_ENABLED = True
