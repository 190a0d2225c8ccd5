"""Refuse NUL characters in what a request carries, before any of it reaches the database.

PostgreSQL cannot store or compare text containing NUL (0x00): a slug, ticket token,
search text or form field with one would fail in the driver and answer 500. No real
input has one, so such a request is answered 400 wherever it arrives.
"""
from flask import abort, request

NUL = "\x00"
MAX_JSON_BYTES = 64 * 1024


def _has_nul(multidict):
    return any(NUL in key or NUL in value for key, value in multidict.items(multi=True))


def refuse_nul_characters():
    if NUL in request.path or _has_nul(request.args):
        abort(400)
    if request.method in {"POST", "PUT", "PATCH", "DELETE"}:
        if request.is_json:
            # Read before anyone is authenticated, so only as much as a check-in can need (else 413).
            request.max_content_length = MAX_JSON_BYTES
            # JSON can only carry NUL escaped; a raw one makes the body invalid JSON (400) anyway.
            if b"\\u0000" in request.get_data(cache=True):
                abort(400)
        elif _has_nul(request.form):
            abort(400)


def init_input_guard(app):
    app.before_request(refuse_nul_characters)
