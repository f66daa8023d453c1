"""Public media on an S3-compatible store (AWS S3, MinIO, moto...), through django-storages.

Only what was public already goes there: the public part of the default storage (`MEDIA_ROOT`:
Wagtail documents and any other public upload). Private files (Wagtail images and renditions,
complaint scans, attachments, proposal photos) stay on `PRIVATE_MEDIA_ROOT`, behind the views that
check permissions (cms/storage.py).

A store that does not answer must not leave half a write nor a 500: every call has a short timeout
(S3_TIMEOUT_SECONDS) and one retry, and a failure of the store becomes `StorageUnavailable` (503,
with a French message): the request's transaction is rolled back (cms.transactions), so no row
points to a file that was never stored. Imported only when AWS_STORAGE_BUCKET_NAME is set.
"""

import logging
from functools import wraps

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from storages.backends.s3 import S3Storage

from cms.errors import StorageUnavailable

logger = logging.getLogger(__name__)


def _store_errors(method):
    @wraps(method)
    def wrapped(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (BotoCoreError, ClientError) as exc:
            # The store's own words go to the log (and Sentry), not to the visitor.
            logger.warning("S3 store %s failed in %s: %s", self.endpoint_url or "AWS", method.__name__, exc)
            raise StorageUnavailable() from exc
    return wrapped


class PublicS3Storage(S3Storage):
    """django-storages' S3 backend with short timeouts, whose failures are `StorageUnavailable`."""

    def get_default_settings(self):
        defaults = super().get_default_settings()
        if defaults["client_config"] is None:
            seconds = settings.S3_TIMEOUT_SECONDS
            defaults["client_config"] = Config(
                s3={"addressing_style": defaults["addressing_style"]}, signature_version=defaults["signature_version"],
                connect_timeout=seconds, read_timeout=seconds, retries={"max_attempts": 2, "mode": "standard"})
        return defaults


for _name in ("_open", "_save", "delete", "exists", "listdir", "size", "get_modified_time", "url"):
    setattr(PublicS3Storage, _name, _store_errors(getattr(S3Storage, _name)))


def client():
    """A boto3 S3 client with the public media storage's settings (endpoint, region, credentials, timeouts
    and retry), and the bucket's name: for what works on the whole bucket (cms.backup)."""
    storage = PublicS3Storage()
    return storage.connection.meta.client, storage.bucket_name
