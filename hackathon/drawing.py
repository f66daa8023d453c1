"""The verifiable draw, as pure functions (no database): what anyone can recompute.

The procedure (version "mod-cumulative-v1"), stated exactly:

1. The frozen record is a JSON object. Its canonical bytes are its UTF-8 encoding with keys sorted,
   no whitespace between tokens (separators "," and ":"), non-ASCII characters written as they are
   (not \\u-escaped); integers only, no floats. `list_hash` = lowercase hex SHA-256 of those bytes.
2. The entropy value is the public value named in the record's `entropy_source`, typed at the draw,
   normalised: Unicode NFC, surrounding whitespace removed, each run of whitespace replaced by one
   space. It may not be empty.
3. `seed` = lowercase hex SHA-256 of the UTF-8 bytes of `list_hash` (64 hex characters) immediately
   followed by the entropy value (no separator). In a shell:
   `printf '%s%s' "$LIST_HASH" "$ENTROPY" | sha256sum`.
4. Read the seed's 32 bytes as one unsigned big-endian integer N. With W the sum of the weights of
   the record's `issues` (in the order they are listed: ascending id), r = N mod W.
5. Walk the issues in that order adding up their weights; the winner is the first issue whose
   running total is greater than r.

Python's and every other language's random generators play no part: only SHA-256 and integer
arithmetic, so that the result can be recomputed anywhere.
"""

import hashlib
import json
import re
import unicodedata

PROCEDURE = "mod-cumulative-v1"
_WHITESPACE = re.compile(r"\s+")


def canonical_bytes(record: dict) -> bytes:
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def list_hash(record: dict) -> str:
    return hashlib.sha256(canonical_bytes(record)).hexdigest()


def hash_of_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def normalise_entropy(value: str) -> str:
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", value or "")).strip()


def clean_text(value: str) -> str:
    """Titles in the record: one line, no control characters, so every JSON encoder agrees."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", value or "")).strip()


def compute_seed(hash_hex: str, entropy_value: str) -> str:
    return hashlib.sha256((hash_hex + entropy_value).encode("utf-8")).hexdigest()


def pick_index(seed_hex: str, weights: list[int]) -> tuple[int, int, int]:
    """(index of the winner, r, total weight) for a seed and weights listed in the record's order."""
    total = sum(weights)
    if total <= 0 or any(w <= 0 for w in weights):
        raise ValueError("weights must be positive")
    r = int.from_bytes(bytes.fromhex(seed_hex), "big") % total
    running = 0
    for index, weight in enumerate(weights):
        running += weight
        if r < running:
            return index, r, total
    raise AssertionError("unreachable: r < total")


def recompute(record_bytes: bytes, entropy_value: str) -> dict:
    """Everything a verifier computes from the published bytes and the entropy value."""
    record = json.loads(record_bytes.decode("utf-8"))
    issues = record["issues"]
    h = hash_of_bytes(record_bytes)
    seed = compute_seed(h, entropy_value)
    index, r, total = pick_index(seed, [issue["weight"] for issue in issues])
    return {"list_hash": h, "seed": seed, "r": r, "total_weight": total, "winner_index": index,
            "winner_id": issues[index]["id"], "winner_title": issues[index]["title"],
            "canonical": canonical_bytes(record) == record_bytes}


STANDALONE_SCRIPT = r'''#!/usr/bin/env python3
"""Recompute a draw of the Service lab (Mairie de demain) with Python's standard library only.

Usage: python3 verifier_tirage.py            (uses the published data embedded below)
       python3 verifier_tirage.py record.json "ENTROPY VALUE"   (checks your own copy)
Check the entropy value yourself against its public source (named in the record).
"""
import hashlib
import json
import sys

PUBLISHED = __PUBLISHED__


def main():
    record_text = PUBLISHED["record"]
    entropy = PUBLISHED["entropy_value"]
    if len(sys.argv) == 3:
        with open(sys.argv[1], encoding="utf-8") as handle:
            record_text = handle.read()
        entropy = " ".join(sys.argv[2].split())
    data = record_text.encode("utf-8")
    record = json.loads(data)
    canonical = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    list_hash = hashlib.sha256(data).hexdigest()
    seed = hashlib.sha256((list_hash + entropy).encode("utf-8")).hexdigest()
    weights = [issue["weight"] for issue in record["issues"]]
    total = sum(weights)
    r = int.from_bytes(bytes.fromhex(seed), "big") % total
    running = 0
    for winner in record["issues"]:
        running += winner["weight"]
        if r < running:
            break
    print("canonical form:  ", "yes" if canonical == data else "NO")
    print("list hash:       ", list_hash)
    if "replaces" in record:
        print("redraw of draw:  ", record["replaces"]["draw_id"], "(list hash", record["replaces"]["list_hash"] + ")")
        print("redraw kind:     ", record.get("redraw_kind", ""))
        print("public reason:   ", record.get("reason", ""))
    print("entropy source:  ", record["entropy_source"])
    print("value public at: ", record.get("entropy_available_at"))
    print("entropy value:   ", entropy)
    print("seed:            ", seed)
    print("r = seed mod", total, "=", r)
    print("winner:          ", winner["id"], winner["title"])
    ok = (canonical == data and list_hash == PUBLISHED["list_hash"] and seed == PUBLISHED["seed"]
          and winner["id"] == PUBLISHED["winner_id"])
    print("MATCHES THE PUBLISHED RESULT" if ok else "DOES NOT MATCH THE PUBLISHED RESULT")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
'''


def standalone_script(*, record_text: str, entropy_value: str, list_hash_hex: str, seed: str, winner_id: int) -> str:
    published = {"record": record_text, "entropy_value": entropy_value, "list_hash": list_hash_hex,
                 "seed": seed, "winner_id": winner_id}
    # repr() of a dict of str/int is a valid Python literal, whatever the titles contain.
    return STANDALONE_SCRIPT.replace("__PUBLISHED__", repr(published), 1)
