"""Refuse what no real request carries, before any of it reaches a route or the database.

- NUL characters (0x00): PostgreSQL cannot store or compare text containing them, so a slug,
  ticket token, search text or form field with one would fail in the driver and answer 500.
- JSON nested deeper than MAX_JSON_DEPTH: Python's parser recurses once per level, and a
  10 KB body of 5,000 "[" raised RecursionError. No body the app reads is more than three deep.
- JSON strings holding a lone UTF-16 surrogate ("\\ud800"): valid JSON, but no text a database
  driver can encode.

Such a request is answered 400 wherever it arrives; an API caller gets the check-in contract's
`invalid_request` body with the reason under `errors.body`.
"""
import re

from flask import abort, make_response, request
from flask_babel import gettext as _

from app.errors import wants_json

NUL = "\x00"
MAX_JSON_BYTES = 64 * 1024
MAX_JSON_DEPTH = 8
# A string (to its closing quote, or to the end of the body when it has none) or a bracket. A string
# always matches in one pass, so the scan is linear whatever the body (no retry at each escaped quote).
_JSON_TOKEN = re.compile(rb'"(?:[^"\\]|\\.?)*(?:"|\Z)|[\[\]{}]', re.DOTALL)
_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_nul(multidict):
    return any(NUL in key or NUL in value for key, value in multidict.items(multi=True))


def json_too_deep(body, limit=MAX_JSON_DEPTH):
    """True if the JSON text `body` (bytes) opens more than `limit` arrays/objects inside each other.

    Counted on the text, brackets inside strings left out, so that the parser is never asked.
    """
    depth = 0
    for token in _JSON_TOKEN.finditer(body):
        bracket = token.group()
        if bracket.startswith(b'"'):
            continue
        if bracket in b"[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def has_lone_surrogate(value):
    """True if a string anywhere in the parsed JSON `value` (keys included) holds half a surrogate pair."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def _refuse_json(message):
    if wants_json():
        abort(make_response({"result": "invalid_request", "errors": {"body": [message]}}, 400))
    abort(400)


def _check_json_body():
    # Read before anyone is authenticated, so only as much as a check-in can need (else 413).
    request.max_content_length = MAX_JSON_BYTES
    body = request.get_data(cache=True)
    # JSON can only carry NUL escaped; a raw one makes the body invalid JSON (400) anyway.
    if b"\\u0000" in body:
        abort(400)
    # Both checks only where they can find something: a body with no more brackets than the limit
    # cannot nest deeper, and a surrogate can only arrive escaped (raw, it is not UTF-8). A scan's
    # body has one "{" and no escape, so the API's hottest request skips both (55 µs of a scan's ~1 ms).
    if body.count(b"[") + body.count(b"{") > MAX_JSON_DEPTH and json_too_deep(body):
        _refuse_json(_("JSON bersarang terlalu dalam (paling banyak %(n)s tingkat).", n=MAX_JSON_DEPTH))
    if b"\\u" in body and has_lone_surrogate(request.get_json(silent=True)):
        _refuse_json(_("Teks JSON memuat karakter Unicode yang tidak sah (surrogate tunggal)."))


def refuse_nul_characters():
    if NUL in request.path or _has_nul(request.args):
        abort(400)
    if request.method in {"POST", "PUT", "PATCH", "DELETE"}:
        if request.is_json:
            _check_json_body()
        elif _has_nul(request.form):
            abort(400)


def init_input_guard(app):
    app.before_request(refuse_nul_characters)
