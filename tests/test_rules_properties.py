"""Properties of the participant rules over arbitrary text (Hypothesis): each cleaner answers with a
value or InvalidValue, never another error, and what it keeps is clean and stays the same when
cleaned again."""
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from app.values import (
    BIDI_CONTROLS,
    PARTICIPANT_CLEANERS,
    InvalidValue,
    clean_nip,
    clean_text,
)

# Text heavy in the characters the rules are about: combining marks, spaces, format characters,
# bidi controls, other scripts' digits.
TRICKY = st.sampled_from(list("\u0301\u0308\u00a0\u2007\u200b\u200c\u200d\u2060\ufeff\u00ad\u3164\u2800\t\n\r "
                              "\u202e\u2067\u200f\u061c١٢３４²")) | st.characters()
TEXT = st.lists(TRICKY, max_size=40).map("".join) | st.text(max_size=40)


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_clean_text_keeps_only_clean_text_and_is_idempotent(typed):
    try:
        kept = clean_text(typed, required=False)
    except InvalidValue as error:
        assert error.code in {"bidi_control", "invisible", "too_long"}
        return
    if kept is None:
        return
    assert unicodedata.is_normalized("NFC", kept)
    assert kept == kept.strip() and "  " not in kept
    assert not any(ch in BIDI_CONTROLS or unicodedata.category(ch) in {"Cf", "Cc"} for ch in kept)
    assert clean_text(kept, required=False) == kept


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(PARTICIPANT_CLEANERS)), TEXT, st.booleans())
def test_every_participant_rule_answers_a_value_or_invalid_value(field, typed, foreign):
    try:
        kept = PARTICIPANT_CLEANERS[field](typed, foreign)
    except InvalidValue:
        return
    if kept is not None:
        assert PARTICIPANT_CLEANERS[field](kept, foreign) == kept


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789", min_size=18, max_size=18))
def test_a_nip_is_kept_only_when_every_part_is_right(digits):
    try:
        kept = clean_nip(digits)
    except InvalidValue as error:
        assert error.code.startswith("nip_")
        return
    assert kept == digits and digits[14] in "12" and digits[15:] != "000"
    assert 1 <= int(digits[12:14]) <= 12 and digits[8:14] > digits[0:6]
