"""The router every app's API uses."""

from rest_framework.routers import SimpleRouter


class Router(SimpleRouter):
    """SimpleRouter whose primary-key routes only match ids a database can hold (1 to 18 digits):
    any other id is a plain 404, never a database overflow (a 500)."""

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        if getattr(viewset, "lookup_value_regex", None) is None and getattr(viewset, "lookup_field", "pk") in ("pk", "id"):
            lookup_url_kwarg = getattr(viewset, "lookup_url_kwarg", None) or getattr(viewset, "lookup_field", "pk")
            return f"(?P<{lookup_prefix}{lookup_url_kwarg}>[0-9]{{1,18}})"
        return super().get_lookup_regex(viewset, lookup_prefix)
