"""The reference event: Diskominfo Kota Serang's Smart City masterplan Bimtek, June 2022."""
from datetime import date, timedelta

from app.events.services import (
    SEED_DATA,
    add_agenda_item,
    add_organizations_to_event,
    create_event,
    read_organizations_csv,
    upsert_organizations,
)
from app.extensions import db
from app.models import Event, EventStatus, utcnow
from app.tenants.services import create_tenant, find_tenant

DEMO_SLUG = "bimtek-smart-city-serang-2022"
# The tenant migration 0007 moves existing data into, too.
DEMO_TENANT = ("kota-serang", "Pemerintah Kota Serang", "Kota Serang")
DEMO_LETTERHEAD = (
    "PEMERINTAH KOTA SERANG\nDINAS KOMUNIKASI, INFORMATIKA, SANDI DAN STATISTIK\nJl. Jenderal Sudirman No. 5, Serang"
)
DEMO_CONTACT = "Diskominfo Kota Serang, diskominfo@serangkota.go.id"
DEMO_QUOTA = 3

AGENDA = {
    1: [
        ("07:30", "08:30", "Registrasi peserta", "Panitia"),
        ("08:30", "09:00", "Pembukaan dan sambutan", "Wali Kota Serang"),
        ("09:00", "10:30", "Kebijakan Gerakan Menuju 100 Smart City", "Kementerian Komunikasi dan Informatika"),
        ("10:45", "12:00", "Enam dimensi kota cerdas dan analisis kesiapan daerah", "Tim Pendamping Smart City"),
        ("13:00", "15:00", "Analisis strategis dan potensi daerah per OPD", "Tim Pendamping Smart City"),
        ("15:15", "16:30", "Diskusi kelompok per dimensi", "Fasilitator"),
    ],
    2: [
        ("07:30", "08:30", "Registrasi peserta", "Panitia"),
        ("08:30", "10:30", "Penyusunan quick win program unggulan", "Tim Pendamping Smart City"),
        ("10:45", "12:00", "Rencana aksi dan peta jalan masterplan", "Tim Pendamping Smart City"),
        ("13:00", "15:00", "Presentasi hasil kelompok", "Perwakilan OPD"),
        ("15:00", "15:30", "Rencana tindak lanjut dan penutupan", "Kepala Diskominfo Kota Serang"),
    ],
}


def seed_demo():
    """Create the demo tenant and event once; running it again adds nothing. Returns (event, created)."""
    tenant = find_tenant(DEMO_TENANT[0])
    if tenant is None:
        tenant, _created = create_tenant(*DEMO_TENANT)
        tenant.letterhead, tenant.privacy_contact = DEMO_LETTERHEAD, DEMO_CONTACT
        db.session.flush()
    organizations = upsert_organizations(read_organizations_csv(SEED_DATA / "kota_serang_opd.csv"), tenant)
    event = db.session.execute(db.select(Event).filter_by(slug=DEMO_SLUG)).scalar_one_or_none()
    created = event is None
    if created:
        event = create_event(
            tenant=tenant,
            slug=DEMO_SLUG,
            title="Bimtek Penyusunan Masterplan Kota Cerdas (Smart City) dan Quickwin Program Unggulan Tahap 1",
            organizer_name="Dinas Komunikasi dan Informatika Kota Serang",
            venue="Hotel Flamenggo, Serang",
            description=(
                "Bimbingan teknis bagi seluruh OPD Kota Serang untuk menyusun masterplan kota cerdas "
                "dan program unggulan quick win tahap 1."
            ),
            dates=[date(2022, 6, 13), date(2022, 6, 14)],
            default_quota=DEMO_QUOTA,
            status=EventStatus.OPEN,
            # Registration would close by itself after the last day (2022): the demo keeps it open
            # for a year from seeding, so that `make run` shows the whole flow.
            registration_closes_at=utcnow() + timedelta(days=365),
        )
        for number, day in enumerate(event.days, start=1):
            for starts, ends, title, speaker in AGENDA[number]:
                add_agenda_item(event, day, starts, ends, title, speaker)
    add_organizations_to_event(event, organizations, quota=DEMO_QUOTA)
    db.session.flush()
    return event, created
