"""Which agenda items count for JP (jam pelajaran) when the committee has not said.

Registration, opening and closing, speeches, prayers and breaks are not teaching time; a BKPSDM
checks the JP on a certificate, so they stay out unless the committee ticks them back in.
Migration 0017_agenda_jp keeps a copy of these words (a migration must not import app code).
"""
import re

NOT_TEACHING = re.compile(
    r"\b(registrasi|registration|pembukaan|penutupan|sambutan|ishoma|istirahat|coffee[\s-]*break|rehat|doa)\b",
    re.IGNORECASE,
)


def counts_for_jp_by_title(title):
    """True unless the title names registration, an opening, closing or speech, a break or a prayer."""
    return NOT_TEACHING.search(title or "") is None
