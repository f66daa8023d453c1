"""Test settings: fast hasher, local-memory cache, immediate tasks, in-memory email."""

import os

os.environ.setdefault("TASKS_BACKEND", "immediate")

from .base import *  # noqa: E402, F403
from .base import BASE_DIR, DATABASES  # noqa: E402

PLATFORM_ENV = "test"
DEMO_TRANSLATIONS = False  # guide/demo_translations.py: only where a test asks for it
DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "cms.storage.MediaStorage"},  # MEDIA_ROOT; Wagtail images: private
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Never collected: whitenoise reads STATIC_ROOT's whole tree each time a test client builds the
# middleware, and `make run` fills var/static (0.17 s more per client, minutes over the suite).
STATIC_ROOT = BASE_DIR / "var" / "test-static"
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / "test-private"
WAGTAILADMIN_BASE_URL = "http://testserver"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": ""}  # in memory
# The mairie directory is renewed by every write that changes it (cms.cache versions); its expiry,
# 5 s in production for the other processes, would make a query count depend on the machine's load.
MAIRIE_DIRECTORY_SECONDS = 3600
# Lockout (django-axes) is switched on only in its own tests: Django's test client has no address,
# which axes would count as one shared "unknown" client.
AXES_ENABLED = False
# The second factor for staff is on in production (MFA_REQUIRED_FOR_STAFF); the suite logs staff in with
# `force_login` by the thousand, so it is switched on in its own tests (tests/cms/test_second_factor.py,
# tests/e2e/test_accounts_flow.py), which cover the admin, staff views, the API and the token endpoint.
MFA_REQUIRED_FOR_STAFF = False
