"""The console on a 390 px phone: no sideways scrolling on the dashboard, the participants list and the
event forms; chart labels of 12 px at least; touch targets 24 px high in the console, 44 px at the station."""
from datetime import UTC, datetime

import pytest

from app.checkin.services import check_in
from app.events.services import add_agenda_item
from app.extensions import db
from app.models import Event
from tests.factories import PASSWORD

PAGES = [
    "/admin/", "/admin/acara/bimtek-uji", "/admin/acara/bimtek-uji/peserta", "/admin/acara/bimtek-uji/ubah",
    "/admin/acara/baru", "/admin/acara/bimtek-uji/agenda", "/admin/acara/bimtek-uji/opd",
    "/admin/acara/bimtek-uji/impor", "/admin/acara/bimtek-uji/spj", "/admin/acara/bimtek-uji/materi",
    "/admin/pengguna", "/akun/sandi",
]

# Targets smaller than the rule: their boxes, by text, for the message.
SMALL_TARGETS = """(minimum) => [...document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary')]
  .filter((el) => el.offsetParent !== null && !el.closest('.visually-hidden'))
  .filter((el) => !(el.tagName === 'A' && el.closest('p, li, td, small, .muted, .hint, figcaption, footer')
                    && !el.classList.contains('btn')))  // a link in a sentence: WCAG's inline exception
  .map((el) => [el, el.getBoundingClientRect()])
  .filter(([el, box]) => box.height < minimum && !(el.type === 'checkbox' || el.type === 'radio') || (
    (el.type === 'checkbox' || el.type === 'radio') && (box.height < minimum || box.width < minimum)))
  .map(([el, box]) => `${el.tagName} ${(el.textContent || el.name || '').trim().slice(0, 30)} ${box.height}`)"""


@pytest.fixture
def phone_admin(phone_page, make):
    """The phone-sized page, signed in as an admin, with an event of 32 OPDs and some attendance."""
    event = make.event(opds=32, quota=3, capacity=200)
    for number in range(6):
        registration = make.registration(event, make.event_organization_list(event)[number],
                                         full_name=f"Peserta Dengan Nama Cukup Panjang {number}")
        check_in(registration, event.days[0], method="scanner", now=datetime(2022, 6, 13, 1, number, tzinfo=UTC))
    db.session.commit()
    make.user()
    phone_page.goto("/masuk/")
    phone_page.get_by_label("E-mail").fill("admin@example.go.id")
    phone_page.get_by_label("Kata sandi").fill(PASSWORD)
    phone_page.get_by_role("button", name="Masuk").click()
    phone_page.wait_for_url("/")  # the home page; "**/" matches /masuk/ itself
    return phone_page


def test_console_pages_fit_390_px_with_big_enough_targets(phone_admin):
    page = phone_admin
    overflowing, small = {}, {}
    for path in PAGES:
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            overflowing[path] = width
        targets = page.evaluate(SMALL_TARGETS, 24)
        if targets:
            small[path] = targets
    assert (overflowing, small) == ({}, {})


def test_chart_labels_are_at_least_12_px(phone_admin):
    page = phone_admin
    page.goto("/admin/acara/bimtek-uji")
    sizes = page.evaluate("""() => [...document.querySelectorAll('.chart svg text')]
        .map((t) => t.getBoundingClientRect().height / (t.getBBox().height || 1)
                    * parseFloat(getComputedStyle(t).fontSize))""")
    assert sizes and min(sizes) >= 12, sizes


def test_station_targets_are_44_px_high(phone_admin):
    page = phone_admin
    page.goto("/e/bimtek-uji/checkin")
    page.wait_for_selector("button")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator(".station button:visible, .station input:visible").count() >= 2  # something to check
    assert page.evaluate(SMALL_TARGETS.replace("'a[href], button", "'.station a[href], .station button"), 44) == []


def test_the_jp_calculation_fits_390_px(phone_admin):
    event = db.session.execute(db.select(Event).filter_by(slug="bimtek-uji")).scalar_one()
    for starts, ends, title in (("07:30", "08:30", "Registrasi peserta dan pembagian perlengkapan"),
                                ("08:30", "10:30", "Penyusunan rencana aksi kota cerdas bersama seluruh OPD"),
                                ("10:00", "12:00", "Kelas paralel: tata kelola data dan interoperabilitas"),
                                ("12:00", "13:00", "ISHOMA")):
        add_agenda_item(event, event.days[0], starts, ends, title, "Tim Pendamping")
    db.session.commit()
    page = phone_admin
    page.goto("/admin/acara/bimtek-uji/sertifikat")
    assert "210 menit ÷ 45" in page.locator("#jp-total").inner_text()  # 08.30–12.00, the overlap once
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.evaluate(SMALL_TARGETS.replace("'a[href], button", "'#jp a[href], #jp button"), 24) == []
