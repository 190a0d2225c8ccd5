"""File names as people see them: without the invisible characters that change how a name reads.

A right-to-left override makes 'evil\\u202eexe.pdf' display as 'evilfdp.exe'; zero-width
characters make two names look the same. They are removed from every file name the app
stores or shows, and an entry of an uploaded ZIP that carries one is refused.
"""
import re

# Bidi embeddings, overrides, isolates and marks; zero-width spaces and joiners; the BOM; soft hyphen;
# invisible operators and the interlinear annotation marks.
INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]")


def has_invisible(text):
    return bool(INVISIBLE.search(text or ""))


def visible_name(text):
    """`text` without bidi controls and zero-width characters: what a file name may show."""
    return INVISIBLE.sub("", text or "")


def extension_of(name):
    stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot and stem else ""
