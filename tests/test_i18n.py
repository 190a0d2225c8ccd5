"""Every user-facing string has its English translation."""
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
SOURCES = (("app", [("**.py", "python")]), ("templates", [("**.html", "jinja2")]))


def source_messages():
    keywords = dict(DEFAULT_KEYWORDS, _l=None)
    found = set()
    for folder, method_map in SOURCES:
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder, method_map=method_map, keywords=keywords
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_message_is_translated_to_english():
    with open(ROOT / "app/translations/en/LC_MESSAGES/messages.po", "rb") as handle:
        english = {
            (m.id if isinstance(m.id, str) else m.id[0]): m.string for m in read_po(handle) if m.id
        }
    wanted = source_messages()
    assert len(wanted) > 50
    assert sorted(m for m in wanted if not english.get(m)) == []
