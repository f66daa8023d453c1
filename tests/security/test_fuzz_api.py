"""Fuzzing the API: schemathesis generates requests from /api/schema/ and sends them to the
running test server, anonymously and as a resident. No answer may be a 500, and every answer
must match the schema: its status is one the operation documents (cms.api.schema documents the
4xx of every operation), its body and content type are the documented ones.

In the suite the bound is small (FUZZ_EXAMPLES per operation, default 4; GET everywhere and
the engine's and the Bureau's writes). `make fuzz` raises it and adds every method and the
negative mode (schema-invalid input must get a 4xx, never a 500).
"""

import contextlib
import os

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token

from tests.factories.demo import seed_demo

from .pending import PENDING_APPS

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))
ALL_METHODS = os.environ.get("FUZZ_ALL_METHODS") == "1"
# The writes fuzzed in the suite (a bounded set; `make fuzz` takes every method).
WRITES = {
    ("POST", "/api/auth/token/"),
    ("POST", "/api/participation/comments/"),
    ("POST", "/api/participation/reports/"),
    ("POST", "/api/participation/follows/"),
    ("POST", "/api/participation/notifications/read/"),
    ("POST", "/api/bureau/projects/"),
    ("POST", "/api/bureau/projects/{id}/vote/"),
    ("DELETE", "/api/bureau/projects/{id}/vote/"),
    ("POST", "/api/accueil/tickets/"),  # the hall's public write (a ticket for anyone)
}


# Gaps between an API and its schema that this test tolerates (only these exact ones), each with
# what would fix it. Empty: the schema and the answers agree.
KNOWN_GAPS: dict[tuple[str, str, str], str] = {}


def _known(operation, message):
    return any(method == operation.method.upper() and path == operation.path and f"Schema at {where}:" in message
               and message.count("- ST") == 1 for method, path, where in KNOWN_GAPS)


def _selected(operation):
    path = operation.path
    if any(path.startswith(f"/api/{app}/") for app in PENDING_APPS):
        return False
    if operation.method.upper() == "GET":
        return True
    return ALL_METHODS or (operation.method.upper(), path) in WRITES


def _checks():
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    return [not_a_server_error, status_code_conformance, response_schema_conformance, content_type_conformance]


def _run_operation(operation, base_url, headers, mode):
    checks = _checks()
    found = []

    @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        response = case.call(base_url=base_url, headers=headers, timeout=30)
        try:
            case.validate_response(response, checks=checks, headers=headers)
        except BaseExceptionGroup as exc:  # schemathesis' FailureGroup: keep going, report them all
            if not _known(operation, str(exc)):
                found.append(str(exc))

    with contextlib.suppress(Unsatisfiable):  # nothing valid to generate (a body the schema cannot satisfy)
        run()
    if not found:
        return []
    # The first failure in full (it has the curl line to reproduce it), and how many examples failed.
    return [f"{operation.method.upper()} {operation.path} ({mode.value}, {len(found)} failing examples): "
            f"{found[0][:2500]}"]


@pytest.mark.django_db(transaction=True)
def test_the_api_answers_fuzzed_requests_without_500_and_as_documented(live_server):
    import schemathesis
    from schemathesis import GenerationMode

    ctx = seed_demo(port=int(live_server.url.rsplit(":", 1)[1]), skip=PENDING_APPS)
    token = Token.objects.create(user=ctx.users["habitant"])

    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/")
    operations = [result.ok() for result in schema.get_all_operations()]
    operations = [op for op in operations if _selected(op)]
    assert len(operations) >= 15, [f"{op.method} {op.path}" for op in operations]
    modes = [GenerationMode.POSITIVE] + ([GenerationMode.NEGATIVE] if ALL_METHODS else [])
    failures = []
    for operation in operations:
        for headers in ({}, {"Authorization": f"Token {token.key}"}):
            for mode in modes:
                failures += _run_operation(operation, live_server.url, headers, mode)
    assert not failures, "\n\n".join(failures)


def test_every_operation_documents_its_error_answers():
    """cms.api.schema.AutoSchema: 401 everywhere (a wrong token), and a write documents 400, 403,
    404, 409 and 429, in the one error shape."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    error = {"$ref": "#/components/schemas/ErrorOutput"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert "401" in codes, (method, path)
            if method in ("post", "put", "patch", "delete") and path != "/api/auth/token/":
                assert codes >= {"400", "403", "404", "409", "429"}, (method, path, codes)
            if any(p["in"] == "path" for p in operation.get("parameters", [])):
                assert "404" in codes, (method, path)
            assert operation["responses"]["401"]["content"]["application/json"]["schema"] == error


def test_the_bureau_schema_says_what_its_answers_are():
    """Once reported gaps: a project's quartier may be null; two actions answer plain lists."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    quartier = schema["components"]["schemas"]["ProjectOutput"]["properties"]["quartier"]
    assert quartier.get("nullable") is True
    for path in ("/api/bureau/projects/{id}/updates/", "/api/bureau/projects/similar/"):
        content = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert content.get("type") == "array", path
