import pytest

from app.values import InvalidValue, clean_email, clean_nip, clean_participant, clean_phone


@pytest.mark.parametrize("typed, stored", [
    ("198001012005011001", "198001012005011001"),
    ("19800101 200501 1 001", "198001012005011001"),
    ("", None),
    ("   ", None),
    # Full-width or other-script digits (some phone keyboards) are stored as 0-9, so that the same NIP
    # cannot be registered twice and the desk finds it.
    ("１９８００１０１ ２００５０１ １ ００１", "198001012005011001"),
    ("١٩٨٠٠١٠١٢٠٠٥٠١١٠٠١", "198001012005011001"),
])
def test_nip_is_18_digits_or_nothing(typed, stored):
    assert clean_nip(typed) == stored


@pytest.mark.parametrize("typed", ["12345", "1980010120050110011", "19800101200501100A", "19800101200501100²"])
def test_nip_of_wrong_shape_is_refused(typed):
    with pytest.raises(InvalidValue) as error:
        clean_nip(typed)
    assert error.value.code == "nip_invalid"


@pytest.mark.parametrize("typed", ["081234567890", "0812-3456-7890", "+62 812 3456 7890", "6281234567890"])
def test_phone_is_normalised_to_plus_62(typed):
    assert clean_phone(typed) == "+6281234567890"


@pytest.mark.parametrize("typed, code", [("", "required"), ("12", "phone_invalid"), ("abc", "phone_invalid")])
def test_bad_phone_is_refused(typed, code):
    with pytest.raises(InvalidValue) as error:
        clean_phone(typed)
    assert error.value.code == code


def test_email_is_lowercased_and_checked():
    assert clean_email(" Budi@SerangKota.go.id ") == "budi@serangkota.go.id"
    with pytest.raises(InvalidValue):
        clean_email("budi@")


def test_clean_participant_reports_every_bad_field():
    cleaned, errors = clean_participant(
        {"full_name": "  Siti   Aminah ", "nip": "1", "position": "", "phone": "0812", "email": "x"}
    )
    assert cleaned["full_name"] == "Siti Aminah"
    assert errors == {"nip": "nip_invalid", "position": "required", "phone": "phone_invalid", "email": "email_invalid"}
