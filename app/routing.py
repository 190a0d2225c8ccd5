"""Ids and numbers from URLs and forms, and where a redirect may lead: one rule each, for the whole app.

PostgreSQL's integer stops at 2**31 - 1 and SQLite's at 2**63 - 1; a bigger number
must mean "not found", never an overflow error from the database driver. Only ASCII
digits make a number: `"²".isdigit()` is True but `int("²")` raises, and `int("٣")` is 3,
so `isdigit()` then `int()` either crashes or reads what nobody typed on purpose.
"""
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: a non-negative integer up to MAX_ID, else the route does not match."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def parse_number(text, maximum):
    """A whole number 0..maximum written in ASCII digits (spaces around allowed), else None."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(maximum)):
        return None
    value = int(text)
    return value if value <= maximum else None


def parse_id(text):
    """The id in a form value or query argument, or None if it is empty, not a number or out of range."""
    return parse_number(text, MAX_ID)


def local_path(target):
    """`target` if it is a path on this site, else None.

    Browsers drop tabs and newlines from a URL and read a backslash as a slash, so
    '/\\t/evil.example' or '/\\\\evil.example' would lead to another site; they are refused,
    as is anything with a control character (which cannot go in a Location header).
    """
    if not target or not target.startswith("/") or "\\" in target:
        return None
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return None
    if target.startswith("//"):
        return None
    return target
