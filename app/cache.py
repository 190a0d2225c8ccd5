"""Per-process memos whose entries are trusted for a few seconds at most.

Only for facts whose staleness is harmless and bounded: the check-in API remembers a
bearer token's user, an operator's assignment to an event and an event's time zone and
days for CHECKIN_CACHE_SECONDS (5 s by default). Every process (gunicorn worker) keeps
its own memo and nothing assumes there is only one: an entry older than the bound is
looked up again, so a revoked token, a deactivated user or a removed operator is refused
everywhere within that many seconds. Only found things are remembered (a None or False
is asked again next time), so what was just created works at once. The database stays
the judge of everything that must be exact (who checked in first).
"""
from time import monotonic

from flask import current_app

_MEMOS: list["Memo"] = []


class Memo:
    """key → value, each entry kept `CHECKIN_CACHE_SECONDS` (0 turns the memo off)."""

    def __init__(self, max_entries=4096):
        self.entries = {}
        self.max_entries = max_entries
        _MEMOS.append(self)

    def get(self, key, load):
        """The remembered value for `key` if young enough, else `load()` (remembered if truthy)."""
        now = monotonic()
        entry = self.entries.get(key)
        if entry is not None and entry[0] > now:
            return entry[1]
        value = load()
        seconds = current_app.config["CHECKIN_CACHE_SECONDS"]
        if value and seconds > 0:
            if len(self.entries) >= self.max_entries:
                self.entries.clear()  # crude but bounded: a flood of keys cannot grow the process
            self.entries[key] = (now + seconds, value)
        return value

    def forget(self, key):
        self.entries.pop(key, None)


def forget_everything():
    """Empty every memo of this process (tests do between tests: ids are reused after a wipe)."""
    for memo in _MEMOS:
        memo.entries.clear()
