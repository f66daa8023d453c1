"""A recording transport for the Elasticsearch client, as elasticsearch-py's own tests use a dummy
node: elastic-transport's node class is replaced (settings.ELASTICSEARCH_NODE_CLASS) by one that
records every request and answers from a small in-memory cluster (indices, aliases, documents).
The real client, its serialisation, retries and errors run unchanged; so does all of our code.

Only what the platform sends is understood: index creation (with aliases), _aliases, aliases
read, deletes by name, _refresh, _bulk (index and delete, `require_alias`, external versions with
`version_type=external_gte`: a write older than the document's version, or than a delete's kept
version, answers 409 version_conflict_engine_exception; and Elasticsearch's automatic creation of an
unknown index), _search (listing by doc_id with search_after; any other
search answers no hits), _count, _mget. `cluster.down = True`: every request fails to connect."""

import fnmatch
import itertools
import json
from urllib.parse import parse_qs, unquote, urlsplit

from elastic_transport import ApiResponseMeta, BaseNode, HttpHeaders
from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport._node import NodeApiResponse

_names = itertools.count(1)


def _not_found(name):
    return 404, {"error": {"type": "index_not_found_exception", "reason": f"no such index [{name}]",
                           "index": name}, "status": 404}


class Cluster:
    def __init__(self):
        self.indices: dict[str, dict] = {}  # name -> {"aliases": set, "docs": {id: source}, "mappings": dict}
        self.requests: list[dict] = []
        self.down = False

    # --- what tests look at ---------------------------------------------------------------------

    def node_class(self):
        """A node class bound to this cluster (a new name each time: the client cache keys on it)."""
        return type(f"RecordingNode{next(_names)}", (RecordingNode,), {"cluster": self})

    def alias_indices(self, alias):
        return sorted(name for name, index in self.indices.items() if alias in index["aliases"])

    def docs(self, name):
        """{id: source} of an index, or of the one index behind an alias."""
        names = [name] if name in self.indices else self.alias_indices(name)
        assert len(names) == 1, f"{name}: {names}"
        return self.indices[names[0]]["docs"]

    def paths(self, method=None):
        return [r["path"] for r in self.requests if method is None or r["method"] == method]

    def create(self, name, aliases=(), docs=None):
        self.indices[name] = {"aliases": set(aliases), "docs": dict(docs or {}), "mappings": {"properties": {}},
                              "versions": {}}  # id -> external version (of the document or of its delete)

    # --- the server -----------------------------------------------------------------------------

    def _resolve(self, name):
        if name in self.indices:
            return [name]
        return self.alias_indices(name)

    def handle(self, method, path, params, body):
        parts = [unquote(p) for p in path.strip("/").split("/") if p]
        if parts == ["_aliases"] and method == "POST":
            return self._aliases(body["actions"])
        if parts == ["_bulk"]:
            return self._bulk(body)
        if len(parts) == 2 and parts[0] == "_alias":
            names = self.alias_indices(parts[1])
            if not names:
                return 404, {"error": f"alias [{parts[1]}] missing", "status": 404}
            return 200, {n: {"aliases": {parts[1]: {}}} for n in names}
        if len(parts) == 2 and parts[1] == "_alias":
            return 200, {n: {"aliases": {a: {} for a in sorted(i["aliases"])}} for n, i in self.indices.items()
                         if fnmatch.fnmatch(n, parts[0])}
        if len(parts) == 1:
            return self._index(method, parts[0], params, body or {})
        if len(parts) == 2 and parts[1] in ("_refresh", "_search", "_count", "_mget"):
            names = self._resolve(parts[0])
            if not names:
                return _not_found(parts[0])
            docs = {k: v for n in names for k, v in self.indices[n]["docs"].items()}
            return getattr(self, parts[1][1:])(docs, body or {})
        raise AssertionError(f"the fake cluster does not know {method} {path}")

    def _index(self, method, name, params, body):
        if method == "PUT":
            if name in self.indices:
                return 400, {"error": {"type": "resource_already_exists_exception", "reason": name}, "status": 400}
            self.create(name, body.get("aliases", {}))
            self.indices[name]["mappings"] = body.get("mappings", {})
            return 200, {"acknowledged": True, "index": name}
        assert method == "DELETE", f"the fake cluster does not know {method} /{name}"
        names = name.split(",")
        missing = [n for n in names if n not in self.indices]
        if missing and params.get("ignore_unavailable") != ["true"]:
            return _not_found(missing[0])
        for each in names:
            self.indices.pop(each, None)
        return 200, {"acknowledged": True}

    def _aliases(self, actions):
        for action in actions:
            ((kind, spec),) = action.items()
            if spec["index"] not in self.indices:
                return _not_found(spec["index"])
        for action in actions:
            ((kind, spec),) = action.items()
            aliases = self.indices[spec["index"]]["aliases"]
            (aliases.add if kind == "add" else aliases.discard)(spec["alias"])
        return 200, {"acknowledged": True}

    def _bulk(self, lines):
        items, errors, position = [], False, 0
        while position < len(lines):
            ((operation, header),) = lines[position].items()
            source = lines[position + 1] if operation == "index" else None
            position += 2 if operation == "index" else 1
            name, doc_id = header["_index"], header["_id"]
            names = self._resolve(name)
            if operation == "index" and not names and not header.get("require_alias"):
                self.create(name)  # Elasticsearch creates an unknown index, with guessed mappings
                names = [name]
            if header.get("require_alias") and not self.alias_indices(name):
                status, result = 404, {"error": {"type": "index_not_found_exception",
                                                 "reason": f"no such index [{name}] and [require_alias] is [true]"}}
            elif not names:
                status, result = _not_found(name)
                result = {"error": result["error"]}
            elif (conflict := self._version_conflict(self.indices[names[0]], doc_id, header)) is not None:
                status, result = 409, {"error": conflict}
            elif operation == "index":
                self.indices[names[0]]["docs"][doc_id] = source
                status, result = 201, {"result": "created"}
            elif self.indices[names[0]]["docs"].pop(doc_id, None) is None:
                status, result = 404, {"result": "not_found"}
            else:
                status, result = 200, {"result": "deleted"}
            errors = errors or "error" in result
            items.append({operation: {"_index": names[0] if names else name, "_id": doc_id, "status": status,
                                      **result}})
        return 200, {"took": 1, "errors": errors, "items": items}

    @staticmethod
    def _version_conflict(index, doc_id, header):
        """external_gte: refused when the version held (of the document, or kept after its delete)
        is higher; accepted, the version is kept. Without a version: Elasticsearch's own counter."""
        if "version" not in header:
            index["versions"].pop(doc_id, None)
            return None
        assert header.get("version_type") == "external_gte", header
        held = index["versions"].get(doc_id)
        if held is not None and held > header["version"]:
            return {"type": "version_conflict_engine_exception",
                    "reason": f"[{doc_id}]: version conflict, current version [{held}] is higher than the one "
                              f"provided [{header['version']}]"}
        index["versions"][doc_id] = header["version"]
        return None

    def refresh(self, docs, body):
        return 200, {"_shards": {"total": 1, "successful": 1, "failed": 0}}

    def search(self, docs, body):
        hits = []
        if body.get("sort") == [{"doc_id": "asc"}]:
            after = (body.get("search_after") or [""])[0]
            ids = sorted(i for i in docs if i > after)[:body.get("size", 10)]
            hits = [{"_id": i, "_score": None, "sort": [i]} for i in ids]
        aggregations = {name: {"buckets": []} for name in body.get("aggs", {})}
        return 200, {"took": 1, "timed_out": False, "hits": {"total": {"value": len(hits), "relation": "eq"},
                                                             "max_score": None, "hits": hits},
                     "aggregations": aggregations}

    def count(self, docs, body):
        return 200, {"count": len(docs)}

    def mget(self, docs, body):
        return 200, {"docs": [{"_id": i, "found": i in docs, **({"_source": docs[i]} if i in docs else {})}
                              for i in body["ids"]]}


class RecordingNode(BaseNode):
    cluster: Cluster

    def perform_request(self, method, target, body=None, headers=None, request_timeout=None):
        url = urlsplit(target)
        text = body.decode() if body else ""
        if text and "ndjson" in (headers or {}).get("content-type", ""):
            parsed = [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            parsed = json.loads(text) if text else None
        self.cluster.requests.append({"method": method, "path": url.path, "params": parse_qs(url.query),
                                      "body": parsed, "headers": dict(headers or {}), "timeout": request_timeout,
                                      "ca_certs": self.config.ca_certs})
        if self.cluster.down:
            raise TransportConnectionError("Connection refused (the fake cluster is down)")
        status, answer = self.cluster.handle(method, url.path, parse_qs(url.query), parsed)
        self.cluster.requests[-1]["answer"] = (status, answer)
        meta = ApiResponseMeta(status=status, http_version="1.1", duration=0.0, node=self.config,
                               headers=HttpHeaders({"x-elastic-product": "Elasticsearch",
                                                    "content-type": "application/json"}))
        return NodeApiResponse(meta, json.dumps(answer).encode())
