"""The OpenAPI schema: which endpoints it documents, and the error answers of every operation.

Every operation documents the 4xx it may answer, in the API's one error shape (cms.api.errors),
decided here in one place from what the view declares, so that a new endpoint is documented
without writing it by hand (schemathesis checks every status answered is documented):
400 a body or a query to validate; 401 a wrong or revoked token (any endpoint); 403 a login, a
role or a CSRF token needed; 404 an object in the path, a page of a list, a target to resolve;
409 a write that can collide with the current state; 429 a throttled or rate-limited door.
"""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# Doors that only check credentials: no object to find, no state to collide with, no role.
CREDENTIAL_DOORS = {("POST", "/api/auth/token/")}


def platform_endpoints_only(endpoints, **kwargs):
    """The schema documents the platform's REST API; Wagtail's API v2 and admin API have their own."""
    return [e for e in endpoints if e[0].startswith("/api/") and not e[0].startswith("/api/v2/")]


class ErrorOutput(serializers.Serializer):
    detail = serializers.CharField(help_text="Le message, en français.")
    code = serializers.CharField(help_text="invalid, not_authenticated, forbidden, not_found, conflict, throttled…")
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False,
                                   help_text="400 : les messages par champ.")
    existing = serializers.DictField(required=False,
                                     help_text="409 sur un doublon : l'objet déjà là, {id, url}.")


ERRORS = {
    "400": "Données ou paramètres invalides : {detail, code, errors}.",
    "401": "Jeton absent de la base, révoqué ou expiré (Authorization: Token …) : {detail, code}.",
    "403": "Connexion, rôle ou jeton CSRF requis : {detail, code}.",
    "404": "Introuvable (objet, page de liste, cible ou mairie) : {detail, code}.",
    "409": "Conflit avec l'état actuel (déjà fait, déjà décidé, doublon) : {detail, code}.",
    "429": "Trop de requêtes : {detail, code}, avec Retry-After.",
}


class AutoSchema(SpectacularAutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        for code in self._error_codes(path, operation):
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ErrorOutput, description=ERRORS[code]), code)
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _error_codes(self, path, operation):
        method = self.method
        params = operation.get("parameters", [])
        query = {p["name"] for p in params if p["in"] == "query"}
        in_path = any(p["in"] == "path" for p in params)
        public = {} in operation.get("security", [{}])
        write = method not in SAFE_METHODS
        if (method, path) in CREDENTIAL_DOORS:
            return {"400", "401", "429"}
        codes = {"401"}
        if write or query:
            codes.add("400")
        if write or not public or getattr(self.view, "role_rules", None):
            codes.add("403")
        if write or in_path or "page" in query or "target" in query:
            codes.add("404")
        if write:
            codes.add("409")
        if write or self._throttled():
            codes.add("429")
        return codes

    def _throttled(self) -> bool:
        try:
            return bool(self.view.get_throttles())
        except Exception:  # noqa: BLE001 - a view whose throttles need a real request: assume throttled
            return True
