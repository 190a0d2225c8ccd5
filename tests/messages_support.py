"""For the messages tests: the messages page of the test event, its future dates, the outbox, saved templates,
the WhatsApp links opened."""
from datetime import date
from urllib.parse import urlsplit

from app.extensions import db
from app.models import OutboxMessage

FUTURE = (date(2030, 6, 13), date(2030, 6, 14))


PAGE = "/admin/acara/bimtek-uji/pesan"


def outbox():
    db.session.expire_all()
    return db.session.execute(db.select(OutboxMessage).order_by(OutboxMessage.id)).scalars().all()


def opened_whatsapp(client, message):
    """ "Buka WhatsApp": the wa.me address the committee's browser is sent to, split."""
    response = client.get(f"/admin/acara/bimtek-uji/pesan/{message.id}/whatsapp")
    assert response.status_code == 302 and response.headers["Location"].startswith("https://wa.me/")
    return urlsplit(response.headers["Location"])


def save(url, subject, body, kind="reminder_before", action="save", client=None):
    return client.post(url, data={f"{kind}-subject": subject, f"{kind}-body": body, "action": action})
