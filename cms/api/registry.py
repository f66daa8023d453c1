"""Apps declare their API families here (in ready()), so the API root lists them without cms
importing any feature app."""

_endpoints: dict[str, str] = {}


def register_endpoint(name: str, path: str):
    _endpoints[name] = path


def endpoints():
    return sorted(_endpoints.items())
