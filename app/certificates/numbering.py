"""Certificate numbers from the event's pattern, e.g. "800/{seq:03d}/Diskominfo/{year}"."""
import re
import string
from datetime import date
from typing import NamedTuple

FIELDS = ("seq", "year", "month", "roman_month")
# A field's format: nothing, or a width of at most MAX_WIDTH, zero-padded or not ("{seq:03d}", "{month:02}").
# A width of a billion ("{seq:0999999999d}") would make the worker build a gigabyte per number.
MAX_WIDTH = 6
SPEC = re.compile(r"0?([1-9][0-9]*)?d?")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


class PatternError(ValueError):
    """The pattern cannot make numbers: a code for the message, and the offending part."""

    def __init__(self, code, part=""):
        super().__init__(code)
        self.code = code
        self.part = part


def _values(seq, issued_on):
    return {"seq": seq, "year": issued_on.year, "month": issued_on.month, "roman_month": ROMAN[issued_on.month - 1]}


def check_pattern(pattern):
    """Raise PatternError unless `pattern` names only {seq} {year} {month} {roman_month}, {seq} among them.

    Only plain names, with no format spec but a width of at most MAX_WIDTH (`{seq:03d}`): no attribute or
    index lookups (`{seq.__class__}`), no fill, alignment or precision.
    """
    if not pattern or len(pattern) > 150:
        raise PatternError("length")
    names = set()
    try:
        for _text, name, spec, conversion in string.Formatter().parse(pattern):
            if name is None:
                continue
            if name not in FIELDS or conversion is not None or "{" in (spec or ""):
                raise PatternError("unknown_field", name)
            width = SPEC.fullmatch(spec or "")
            if width is None or (width.group(1) and int(width.group(1)) > MAX_WIDTH):
                raise PatternError("width", f"{{{name}:{spec}}}")
            names.add(name)
        if "seq" not in names:
            raise PatternError("no_seq")
        format_number(pattern, 1, date(2022, 6, 14))
    except PatternError:
        raise
    except (ValueError, TypeError, IndexError, KeyError):
        raise PatternError("malformed") from None


def format_number(pattern, seq, issued_on):
    """The number of the `seq`-th certificate issued on `issued_on` (a date)."""
    return pattern.format_map(_values(seq, issued_on))


def number_matcher(pattern, issued_on):
    """A regex matching every number `pattern` makes on `issued_on`, whatever the seq; its group 1 is the seq."""
    values = _values(0, issued_on)
    parts = []
    for text, name, spec, _conversion in string.Formatter().parse(pattern):
        parts.append(re.escape(text))
        if name == "seq":
            parts.append(r"\s*0*(\d+)")
        elif name is not None:
            parts.append(re.escape(format(values[name], spec or "")))
    return re.compile("".join(parts))


class Collision(NamedTuple):
    number: str  # the first number of another event's that this numbering would make again
    next_seq: int  # the sequence to start from to make none of theirs again


def first_collision(pattern, start, issued_on, numbers):
    """The Collision of numbering from seq `start` on `issued_on` with `numbers` (another event's, already
    issued), or None."""
    matcher = number_matcher(pattern, issued_on)
    taken = sorted((int(found.group(1)), number) for number in numbers if (found := matcher.fullmatch(number)))
    clash = next((number for seq, number in taken if seq >= start), None)
    return None if clash is None else Collision(clash, taken[-1][0] + 1)
