"""The search app's settings: the engine it runs on is stated with the platform's other services
(cms/settings/base.py: SEARCH_BACKEND, ELASTICSEARCH_*, SEARCH_SYNC_MAX_ATTEMPTS, documented in
docs/configuration.md); its own knobs' defaults (SEARCH_PAGE_SIZE) are stated here and only here."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


def backend_name():
    """SEARCH_BACKEND: "database" or "elasticsearch"."""
    return settings.SEARCH_BACKEND


def elasticsearch_url():
    return settings.ELASTICSEARCH_URL


def elasticsearch_prefix():
    return settings.ELASTICSEARCH_INDEX_PREFIX


def elasticsearch_client_options() -> dict:
    """Keyword arguments of `Elasticsearch(url, ...)`: credentials (an API key, or a user name and
    password), the cluster's CA certificate, timeouts and retries. A contradiction or a missing
    certificate file stops at the first use, saying which variable to fix."""
    api_key = settings.ELASTICSEARCH_API_KEY
    username, password = settings.ELASTICSEARCH_USERNAME, settings.ELASTICSEARCH_PASSWORD
    ca_certs = settings.ELASTICSEARCH_CA_CERTS
    if api_key and (username or password):
        raise ImproperlyConfigured("Set ELASTICSEARCH_API_KEY or ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD, "
                                   "not both.")
    if bool(username) != bool(password):
        raise ImproperlyConfigured("ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD go together.")
    options = {"request_timeout": float(settings.ELASTICSEARCH_TIMEOUT),
               "max_retries": int(settings.ELASTICSEARCH_MAX_RETRIES), "retry_on_timeout": True}
    if api_key:
        options["api_key"] = api_key
    if username:
        options["basic_auth"] = (username, password)
    if ca_certs:
        if not Path(ca_certs).is_file():
            raise ImproperlyConfigured(f"ELASTICSEARCH_CA_CERTS: no file at {ca_certs}.")
        options["ca_certs"] = ca_certs
    # The HTTP layer of elastic-transport: "urllib3" (its default), "requests", or a node class's
    # dotted path (the tests' recording transport).
    node_class = getattr(settings, "ELASTICSEARCH_NODE_CLASS", None)
    if node_class:
        is_path = isinstance(node_class, str) and "." in node_class
        options["node_class"] = import_string(node_class) if is_path else node_class
    return options


def sync_max_attempts() -> int:
    """Deferred retries of a failed sync before only the replay job tries it (SEARCH_SYNC_MAX_ATTEMPTS)."""
    return int(getattr(settings, "SEARCH_SYNC_MAX_ATTEMPTS", 5))


def page_size():
    """Results per page (SEARCH_PAGE_SIZE, default 20)."""
    return int(getattr(settings, "SEARCH_PAGE_SIZE", 20))
