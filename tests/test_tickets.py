"""Tickets: an unguessable token, a QR that decodes to it, a page that shows one person only."""
import io
import math
import re
from collections import Counter
from datetime import UTC

import zxingcpp
from PIL import Image

from app.models import new_ticket_token


def decode(png_bytes):
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png_bytes)))
    return [(r.format.name, r.text) for r in results]


def test_tokens_are_256_random_bits_in_url_safe_text():
    tokens = [new_ticket_token() for _ in range(2000)]
    assert len(set(tokens)) == len(tokens)
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{43}", t) for t in tokens)
    # Every position varies over the whole alphabet: nothing sequential or fixed.
    symbols = Counter("".join(t[:42] for t in tokens))
    assert len(symbols) == 64
    entropy = -sum(c / sum(symbols.values()) * math.log2(c / sum(symbols.values())) for c in symbols.values())
    assert entropy > 5.9  # of a possible 6 bits per character; 42 characters ≫ 128 bits


def test_the_qr_png_decodes_to_the_token_alone(client, make):
    registration = make.registration(make.event())
    response = client.get(f"/tiket/{registration.ticket_token}/qr.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert decode(response.data) == [("QRCode", registration.ticket_token)]


def test_the_saved_ticket_image_holds_a_readable_qr(client, make):
    registration = make.registration(make.event())
    response = client.get(f"/tiket/{registration.ticket_token}/tiket.png")
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert decode(response.data) == [("QRCode", registration.ticket_token)]


def test_the_qr_is_level_m_or_higher_and_small(make):
    import qrcode

    from app.tickets.images import _qr

    code = _qr(new_ticket_token())
    assert code.error_correction in (qrcode.constants.ERROR_CORRECT_M, qrcode.constants.ERROR_CORRECT_Q,
                                     qrcode.constants.ERROR_CORRECT_H)
    assert code.version <= 4


def test_the_svg_qr_is_served(client, make):
    registration = make.registration(make.event())
    response = client.get(f"/tiket/{registration.ticket_token}/qr.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert response.data.lstrip().startswith(b"<?xml") and b"<svg" in response.data


def test_a_ticket_page_shows_its_own_participant_only(client, make):
    event = make.event()
    mine = make.registration(event, full_name="Rina Marlina")
    other = make.registration(event, full_name="Dedi Kurniawan")
    page = client.get(f"/tiket/{mine.ticket_token}").get_data(as_text=True)
    assert "Rina Marlina" in page and "Dedi Kurniawan" not in page
    assert other.ticket_token not in page
    # Personal data stays off the ticket, which may be shown at a desk or shared.
    assert mine.nip not in page and mine.email not in page and mine.phone not in page


def test_ticket_pages_are_private_and_not_indexed(client, make):
    registration = make.registration(make.event())
    response = client.get(f"/tiket/{registration.ticket_token}")
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response.headers["Cache-Control"]
    assert 'name="robots" content="noindex"' in response.get_data(as_text=True)


def test_guessing_a_ticket_or_using_a_registration_id_finds_nothing(client, make):
    registration = make.registration(make.event())
    for guess in (str(registration.id), registration.ticket_token[:-1], registration.ticket_token.upper(), "x" * 500):
        assert client.get(f"/tiket/{guess}").status_code == 404
        assert client.get(f"/tiket/{guess}/qr.png").status_code == 404


def test_the_ticket_page_offers_save_share_and_reopen(client, make):
    registration = make.registration(make.event())
    page = client.get(f"/tiket/{registration.ticket_token}").get_data(as_text=True)
    assert f"/tiket/{registration.ticket_token}/tiket.png" in page
    # WhatsApp to the participant's own number, through a redirect (the page never shows the number).
    assert f'href="/tiket/{registration.ticket_token}/whatsapp"' in page and "kirim ke nomor" in page.lower()
    assert f'value="http://localhost/tiket/{registration.ticket_token}"' in page
    assert "Hari 1: Senin, 13 Juni 2022" in page and "Hari 2: Selasa, 14 Juni 2022" in page


def test_the_ticket_shows_the_days_its_holder_was_checked_in(client, make):
    from datetime import datetime

    from app.checkin.services import check_in
    from app.extensions import db

    event = make.event()
    registration = make.registration(event)
    page = client.get(f"/tiket/{registration.ticket_token}").get_data(as_text=True)
    assert "Sudah hadir" not in page
    check_in(registration, event.days[0], method="scanner",
             now=datetime(2022, 6, 13, 0, 58, tzinfo=UTC))
    db.session.commit()
    page = client.get(f"/tiket/{registration.ticket_token}").get_data(as_text=True)
    assert "Sudah hadir, pukul 07.58 WIB" in page
    assert page.count("Sudah hadir") == 1
