"""Who has not come yet (issue 24): per day, names, OPD, phone and a WhatsApp link, by OPD, as .xlsx, and the
"belum tercatat hadir" message to them in one action — the same people the message's audience holds."""
import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from app.extensions import db
from app.messages.reminders import materialise_due_reminders
from app.models import KIND_ABSENT, OutboxMessage, PersonalDataAccess, ScheduledReminder
from tests.certificates_support import attend
from tests.factories import event_organization_list


@pytest.fixture
def today_event(make):
    """An event on today and tomorrow (Asia/Jakarta), three people: one present today."""
    today = datetime.now(UTC).astimezone(ZoneInfo("Asia/Jakarta")).date()
    event = make.event(dates=(today, today + timedelta(days=1)))
    opds = event_organization_list(event)
    present = make.registration(event, opds[0], full_name="Ani Hadir")
    make.registration(event, opds[0], full_name="Budi Belum", phone="+6281234560001")
    make.registration(event, opds[1], full_name="=HYPERLINK(\"x\")", phone="+6281234560002")
    attend(present, event.days[0])
    return event


def test_the_list_names_who_is_not_in_yet_today_with_a_whatsapp_link(client, admin_with_tenant, today_event):
    page = client.get(f"/admin/acara/{today_event.slug}/belum-hadir").get_data(as_text=True)
    assert "2 orang belum tercatat hadir" in page
    assert "Budi Belum" in page and "Ani Hadir" not in page
    assert "https://wa.me/6281234560001" in page
    assert db.session.execute(db.select(PersonalDataAccess).filter_by(action="export")).scalars().first() is not None
    second_day = today_event.days[1]
    tomorrow = client.get(f"/admin/acara/{today_event.slug}/belum-hadir?hari={second_day.id}").get_data(as_text=True)
    assert "3 orang belum tercatat hadir" in tomorrow
    # Tomorrow has not begun: no message button for it.
    assert "Kirim pesan" not in tomorrow and "Kirim pesan" in page


def test_the_list_narrows_to_one_opd_and_downloads_as_text_cells(client, admin_with_tenant, today_event):
    opds = event_organization_list(today_event)
    page = client.get(f"/admin/acara/{today_event.slug}/belum-hadir?opd={opds[0].id}").get_data(as_text=True)
    assert "1 orang belum tercatat hadir" in page and "Budi Belum" in page
    answer = client.get(f"/admin/acara/{today_event.slug}/belum-hadir.xlsx")
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.data)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    names = [row[1] for row in rows]
    assert sorted(names) == sorted(["Budi Belum", '=HYPERLINK("x")'])
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    phones = {row[1]: row[5] for row in rows}
    assert phones["Budi Belum"] == "+6281234560001"


def test_one_action_sends_the_message_to_those_still_absent_and_a_double_click_sends_once(client, admin_with_tenant,
                                                                                           today_event):
    url = f"/admin/acara/{today_event.slug}/belum-hadir/kirim"
    day = today_event.days[0]
    assert client.post(url, data={"hari": day.id}).status_code == 303
    assert client.post(url, data={"hari": day.id}).status_code == 303
    reminders = db.session.execute(db.select(ScheduledReminder).filter_by(kind=KIND_ABSENT)).scalars().all()
    assert len(reminders) == 1 and reminders[0].audience == f"absent:{day.id}"
    assert materialise_due_reminders(now=datetime.now(UTC) + timedelta(minutes=1)) == 1
    recipients = db.session.execute(db.select(OutboxMessage.recipient).filter_by(kind=KIND_ABSENT)).scalars().all()
    assert len(recipients) == 2  # Budi and the other, not Ani


def test_no_message_before_the_day_begins(client, admin_with_tenant, make):
    event = make.event(dates=(date(2030, 6, 13), date(2030, 6, 14)))
    make.registration(event)
    answer = client.post(f"/admin/acara/{event.slug}/belum-hadir/kirim", data={"hari": event.days[0].id})
    assert answer.status_code == 303
    assert db.session.execute(db.select(ScheduledReminder)).scalars().all() == []
    assert "setelah hari itu dimulai" in client.get(answer.headers["Location"]).get_data(as_text=True)


def test_an_operator_or_another_tenant_cannot_see_the_list(client, auth, make, today_event):
    make.user("meja@example.go.id", role="operator", tenant=today_event.tenant)
    auth.login("meja@example.go.id")
    assert client.get(f"/admin/acara/{today_event.slug}/belum-hadir").status_code in (403, 404)
    auth.logout()
    other = make.tenant("kota-lain", "Kota Lain")
    make.user("lain@example.go.id", tenant=other)
    auth.login("lain@example.go.id")
    assert client.get(f"/admin/acara/{today_event.slug}/belum-hadir").status_code == 404
    assert client.get(f"/admin/acara/{today_event.slug}/belum-hadir.xlsx").status_code == 404
