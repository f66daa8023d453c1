"""Integers too large for the database, sent everywhere the API takes one.

Generated from the OpenAPI schema: every integer parameter (path, query) and every integer body
field (or list of integers) of every operation gets 10**30 and 2**63 (one past the largest 64-bit
id), as a user holding every role of the 19e (so that the request gets past the doors to the
input). No answer may be a 5xx, and each must be one of the operation's documented statuses."""

import re

import pytest
from django.core.cache import cache
from drf_spectacular.generators import SchemaGenerator

from cms import roles
from tests.conftest import api_as
from tests.factories import UserFactory
from tests.factories.demo import seed_demo

from .pending import PENDING_APPS

HUGE = (10**30, 2**63)
PARAM = re.compile(r"\{(\w+)\}")


def _resolve(schema, node):
    while isinstance(node, dict) and "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _is_integer(schema, node):
    node = _resolve(schema, node)
    if node.get("type") == "integer":
        return True
    return any(_is_integer(schema, option) for option in node.get("allOf", []) + node.get("oneOf", []))


def _integer_targets(schema, operation):
    """(where, name, shape): "path"/"query" parameters and "body" fields taking integers."""
    for param in operation.get("parameters", []):
        param_schema = param.get("schema", {})
        digits = param["in"] == "path" and re.fullmatch(r"\^(\\d|\[0-9\])[^$]*\$", param_schema.get("pattern", ""))
        if param["in"] in ("path", "query") and (_is_integer(schema, param_schema) or digits):
            yield param["in"], param["name"], "scalar"
    content = operation.get("requestBody", {}).get("content", {})
    body = content.get("application/json") or content.get("multipart/form-data") or {}
    for name, prop in _resolve(schema, body.get("schema", {})).get("properties", {}).items():
        prop = _resolve(schema, prop)
        if prop.get("readOnly"):
            continue
        if _is_integer(schema, prop):
            yield "body", name, "scalar"
        elif prop.get("type") == "array" and _is_integer(schema, prop.get("items", {})):
            yield "body", name, "list"
        elif prop.get("type") == "array":  # a list of objects (a bricolage's steps): their integer fields
            for sub, item in _resolve(schema, prop.get("items", {})).get("properties", {}).items():
                if _is_integer(schema, item) and not _resolve(schema, item).get("readOnly"):
                    yield "body", f"{name}.{sub}", "nested"


def _first_id(client, collection, key):
    answer = client.get(collection)
    if answer.status_code != 200:
        return None
    data = answer.json()
    items = data.get("results", data.get("commandements", [])) if isinstance(data, dict) else data
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and item.get(key) is not None:
            return item[key]
    return None


def _fill_path(client, path, skip):
    """The path with each parameter but `skip` replaced by the id of an object that exists."""
    filled = path
    for name in PARAM.findall(path):
        if name == skip:
            continue
        prefix = filled.split("{" + name + "}", 1)[0]
        found = _first_id(client, prefix, "number" if name == "number" else "id")
        filled = filled.replace("{" + name + "}", str(found or 1), 1)
    return filled


@pytest.fixture
def everything(db):
    return seed_demo(skip=PENDING_APPS)


def test_over_large_integers_anywhere_in_the_api_get_a_documented_4xx(everything):
    user = UserFactory(mairie=everything.mairies["paris19"], username="toutes-les-casquettes",
                       roles=[roles.RESIDENTS, roles.AGENTS, roles.EDITORS, roles.ORGANISERS])
    client = api_as(user)
    schema = SchemaGenerator().get_schema(request=None, public=True)
    tried, failures = 0, []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method == "parameters" or any(path.startswith(f"/api/{app}/") for app in PENDING_APPS):
                continue
            for where, name, shape in _integer_targets(schema, operation):
                for value in HUGE:
                    cache.clear()  # throttles and rate limits: every request reaches the input checks
                    url = _fill_path(client, path, skip=name if where == "path" else None)
                    query, body = {}, None
                    if where == "path":
                        url = url.replace("{" + name + "}", str(value))
                    elif where == "query":
                        query = {name: str(value)}
                    else:
                        field, _dot, sub = name.partition(".")
                        body = {field: {"scalar": value, "list": [value], "nested": [{sub: value}]}[shape]}
                    if query:
                        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
                    call = getattr(client, method)
                    answer = call(url, body, format="json") if body is not None else call(url)
                    tried += 1
                    documented = set(operation["responses"])
                    if answer.status_code >= 500 or str(answer.status_code) not in documented:
                        failures.append(f"{method.upper()} {url} {body or ''} -> {answer.status_code} "
                                        f"(documented: {sorted(documented)}) {answer.content[:200]!r}")
    assert tried >= 60, tried
    assert not failures, "\n".join(failures)
