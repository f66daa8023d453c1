"""Local development: DEBUG on, a secret key generated once and kept in var/."""

import secrets

from .base import *  # noqa: F403
from .base import BASE_DIR, env, env_bool

DEBUG = env_bool("DEBUG", True)
PLATFORM_ENV = "dev"


def _local_secret_key():
    path = BASE_DIR / "var" / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env("SECRET_KEY") or _local_secret_key()
STORAGES = {
    "default": {"BACKEND": "cms.storage.MediaStorage"},  # MEDIA_ROOT; Wagtail images: private
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
