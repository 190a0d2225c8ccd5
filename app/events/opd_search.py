"""How participants find their OPD in the form: short name, acronym, the aliases people use, and the
places left in each OPD's quota."""
import re
from dataclasses import dataclass

from sqlalchemy import func

from app.extensions import db
from app.models import STATUS_REGISTERED, EventOrganization, Organization, Registration

# Words in an OPD's full name → what people call it. Lower case; several aliases per entry.
ALIASES = (
    (("komunikasi", "informatika"), "diskominfo kominfo dinkominfo"),
    (("perencanaan pembangunan",), "bappeda bapeda"),
    (("penanggulangan bencana",), "bpbd"),
    (("polisi pamong praja",), "satpol pp satpolpp pol pp"),
    (("kependudukan", "pencatatan sipil"), "disdukcapil dukcapil capil"),
    (("pendidikan",), "dindik disdik dinas pendidikan"),
    (("kesehatan",), "dinkes"),
    (("perhubungan",), "dishub"),
    (("dinas sosial",), "dinsos"),
    (("pekerjaan umum",), "dpupr pupr pu"),
    (("perumahan",), "disperkim perkim dprkp"),
    (("lingkungan hidup",), "dlh"),
    (("keuangan", "aset"), "bpkad"),
    (("kepegawaian",), "bkpsdm bkd"),
    (("pendapatan",), "bapenda"),
    (("kesatuan bangsa",), "kesbangpol"),
    (("tenaga kerja",), "disnaker naker"),
    (("perindustrian",), "disperindag disperdagin"),
    (("perdagangan",), "disperindag"),
    (("koperasi",), "diskop koperasi ukm"),
    (("penanaman modal",), "dpmptsp perizinan"),
    (("pariwisata",), "dispar disparbud"),
    (("pemuda", "olahraga"), "dispora"),
    (("ketahanan pangan",), "dkp ketapang"),
    (("pertanian",), "distan"),
    (("perpustakaan",), "dispusip perpusda"),
    (("pemberdayaan perempuan",), "dp3a dp3akb"),
    (("keluarga berencana",), "dp2kb kb"),
    (("sekretariat daerah",), "setda"),
    (("sekretariat dprd",), "setwan dprd"),
    (("inspektorat",), "itda irda"),
    (("pemadam kebakaran",), "damkar"),
    (("rumah sakit",), "rsud"),
    (("kecamatan",), "kec camat"),
    (("kelurahan",), "kel lurah"),
)


def search_text(short_name, name):
    """Everything a person might type to find this OPD, lower case."""
    full = (name or "").lower()
    words = [full, (short_name or "").lower(), re.sub(r"[^a-z0-9]", "", (short_name or "").lower())]
    words += [aliases for keys, aliases in ALIASES if all(key in full for key in keys)]
    return " ".join(word for word in words if word)


@dataclass
class OpdOption:
    id: int
    name: str
    short_name: str
    search: str
    left: int | None  # None: no limit

    @property
    def full(self):
        return self.left is not None and self.left <= 0


def opd_options(event):
    """The OPDs of `event` by id, each with its search text and places left (one query)."""
    taken = (
        db.select(Registration.organization_id, func.count().label("taken"))
        .where(Registration.event_id == event.id, Registration.status == STATUS_REGISTERED)
        .group_by(Registration.organization_id)
        .subquery()
    )
    rows = db.session.execute(
        db.select(Organization.id, Organization.short_name, Organization.name, EventOrganization.quota,
                  func.coalesce(taken.c.taken, 0))
        .join(EventOrganization, EventOrganization.organization_id == Organization.id)
        .outerjoin(taken, taken.c.organization_id == Organization.id)
        .where(EventOrganization.event_id == event.id)
    ).all()
    found = {}
    for organization_id, short_name, name, quota, count in rows:
        quota = quota if quota is not None else event.default_quota
        found[organization_id] = OpdOption(organization_id, name, short_name, search_text(short_name, name),
                                           None if quota is None else max(quota - count, 0))
    return found
