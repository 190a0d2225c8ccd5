"""JP from the agenda, as the Sertifikat page shows it: only items counted for JP, overlaps once per day,
the total ÷ 45 and its rounding, and the items left out with a link to change them."""
import re

from app.certificates.issuing import active_certificate
from app.demo.seed import DEMO_SLUG
from app.extensions import db
from app.models import AgendaItem, Event
from tests.certificates_support import attend


def add(client, event, day, starts, ends, title, **fields):
    response = client.post(f"/admin/acara/{event.slug}/agenda", data={
        "day": day.id, "starts": starts, "ends": ends, "title": title, **fields})
    assert response.status_code == 303


def test_overlapping_sessions_count_once_and_breaks_not_at_all(make, client, auth):
    event = make.event()
    make.user()
    auth.login("admin@example.go.id")
    first, second = event.days
    add(client, event, first, "07:30", "08:30", "Registrasi peserta")
    add(client, event, first, "08:30", "10:00", "Kelas A: Satu Data")       # 90
    add(client, event, first, "09:00", "10:30", "Kelas B: SPBE")            # 90, 60 of them alongside A
    add(client, event, first, "09:15", "09:45", "Kelas C: Statistik")       # inside A and B
    add(client, event, first, "10:30", "11:15", "Praktik")                  # 45, right after: no gap, no overlap
    add(client, event, first, "12:00", "13:00", "ISHOMA")
    add(client, event, second, "08:00", "09:30", "Diskusi kelompok")        # 90
    add(client, event, second, "10:00", "", "Penyerahan hasil")             # no end time: adds nothing
    add(client, event, second, "09:30", "10:00", "Sambutan penutup", counts_for_jp="yes")  # 30, ticked back in

    page = client.get(f"/admin/acara/{event.slug}/sertifikat").get_data(as_text=True)
    # Day 1: 08:30–10:30 (120) + 10:30–11:15 (45) = 165; day 2: 90 + 30 = 120; 285 ÷ 45 = 6.33 → 6 JP.
    assert "Agenda: 285 menit sesi = 6 JP." in page
    assert "285 menit ÷ 45 = 6,33 → dibulatkan ke bawah: 6 JP" in page
    assert "dihitung sekali: 90 menit tidak ditambahkan lagi." in page  # 90 + 90 + 30 + 45 − 165
    for title, times, minutes in (("Kelas A: Satu Data", "08.30–10.00", 90), ("Kelas C: Statistik", "09.15–09.45", 30),
                                  ("Sambutan penutup", "09.30–10.00", 30)):
        assert re.search(rf'<tr><td>{title}</td><td>{times}</td>\s*<td class="num">{minutes}</td>', page)
    assert re.search(r'Jumlah hari 1</th><th class="num">165<', page)
    assert re.search(r'Jumlah hari 2</th><th class="num">120<', page)
    not_counted = page.split('id="jp-not-counted"')[1].split("</ul>")[0]
    ishoma = db.session.execute(db.select(AgendaItem).filter_by(title="ISHOMA")).scalar_one()
    assert "Registrasi peserta" in not_counted and "Hari 1 · 12.00–13.00" in not_counted
    assert f'href="/admin/acara/{event.slug}/agenda/{ishoma.id}"' in not_counted
    assert "Kelas A" not in not_counted and "Penyerahan hasil" not in not_counted
    assert "Tanpa jam selesai" in page and "Penyerahan hasil" in page

    # The certificate carries what the page says; rounding up is shown and applied too.
    client.post(f"/admin/acara/{event.slug}/sertifikat", data={
        "jp_override": "", "jp_rounding": "up", "min_days": "", "number_pattern": "{seq:03d}/SERT/{year}",
        "signer_name": "", "signer_nip": "", "signer_position": "", "issue_date": "", "issue_place": ""})
    assert "285 menit ÷ 45 = 6,33 → dibulatkan ke atas: 7 JP" in client.get(
        f"/admin/acara/{event.slug}/sertifikat").get_data(as_text=True)
    person = make.registration(event)
    attend(person, *event.days)
    client.post(f"/admin/acara/{event.slug}/sertifikat/terbitkan")
    assert active_certificate(person).jp == 7


def test_the_demo_event_comes_out_at_its_real_15_jp(runner, make, client, auth):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    event = db.session.execute(db.select(Event).filter_by(slug=DEMO_SLUG)).scalar_one()
    make.user()
    auth.login("admin@example.go.id")
    page = client.get(f"/admin/acara/{event.slug}/sertifikat").get_data(as_text=True)
    # Day 1: 90 + 75 + 120 + 75 sessions; day 2: 120 + 75 + 120. Registration, the opening speeches and
    # the closing are left out (they made 19 JP when every item with an end time counted).
    assert "675 menit ÷ 45 = 15 → dibulatkan ke bawah: 15 JP" in page
    not_counted = page.split('id="jp-not-counted"')[1].split("</ul>")[0]
    assert not_counted.count("Registrasi peserta") == 2
    assert "Pembukaan dan sambutan" in not_counted and "Rencana tindak lanjut dan penutupan" in not_counted
    assert "Diskusi kelompok per dimensi" not in not_counted
