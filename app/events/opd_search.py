"""How participants find their OPD in the form: short name, acronym, the aliases people use, and the
places left in each OPD's quota."""
import re
from dataclasses import dataclass

from sqlalchemy import func, union_all

from app.extensions import db
from app.models import STATUS_REGISTERED, EventOrganization, Organization, Registration, utcnow
from app.models.registration import ROLE_PESERTA
from app.models.waitlist import WaitlistEntry, WaitStatus
from app.values import normalize_heading

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


# "Dinas Kesehatan Kota Serang" is the same OPD as "Dinas Kesehatan".
_REGION_SUFFIX = re.compile(r"\s+(kota|kabupaten|kab)\s+\S+(\s+\S+)?$")


def normalize_opd(text):
    """The ways an OPD as typed is compared, most exact first: case and punctuation never count, and
    then neither does a region suffix ("Dinas Kesehatan Kota Serang." is also "dinas kesehatan",
    "Bappeda Kota Serang" also "bappeda")."""
    plain = normalize_heading(text)
    stripped = _REGION_SUFFIX.sub("", plain)
    return [plain] if stripped == plain else [plain, stripped]


def opd_names(short_name, name):
    """What exactly names this OPD: its short and full names (normalised, also without spaces) and each
    of its aliases ("kominfo", "dukcapil", "satpol"). Its own name loses a region suffix only where two
    words or more are left: "Kecamatan Kota Baru" is not "kecamatan"."""
    keys = set()
    for text in (short_name, name):
        for plain in normalize_opd(text):
            if plain == normalize_heading(text) or len(plain.split()) >= 2:
                keys |= {plain, plain.replace(" ", "")}
    keys |= {alias for keys_, aliases in ALIASES if all(key in (name or "").lower() for key in keys_)
             for alias in aliases.split()}
    return keys - {""}


def search_matches(typed, search):
    """The form's search (static/js/register.js): every typed word is part of the OPD's search text."""
    words = typed.lower().split()
    return bool(words) and all(word in search for word in words)


class OpdMatcher:
    """Which OPDs a name typed in a list means, by the rules of the registration form's OPD search: first
    exactly (a name, short name or alias), else every word found in the search text. Several: it is not
    decided here."""

    def __init__(self, organizations):
        self.organizations = list(organizations)
        self._names = {organization.id: opd_names(organization.short_name, organization.name)
                       for organization in self.organizations}
        self._search = {organization.id: search_text(organization.short_name, organization.name)
                        for organization in self.organizations}

    def candidates(self, typed):
        """The OPDs `typed` may mean: none, one, or several (ambiguous)."""
        forms = [plain for plain in normalize_opd(typed) if plain]
        for plain in forms:
            exact = [o for o in self.organizations if plain in self._names[o.id] or plain.replace(" ", "") in
                     self._names[o.id]]
            if exact:
                return exact
        for plain in reversed(forms):  # by words: without the region first
            found = [o for o in self.organizations if search_matches(plain, self._search[o.id])]
            if found:
                return found
        return []


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
    """The OPDs of `event` by id, each with its search text and places left (one query): the participants'
    seats and those kept for the waiting list's offers are taken."""
    seats = (
        db.select(Registration.organization_id)
        .where(Registration.event_id == event.id, Registration.status == STATUS_REGISTERED,
               Registration.role == ROLE_PESERTA)
    )
    held = (
        db.select(WaitlistEntry.organization_id)
        .where(WaitlistEntry.event_id == event.id, WaitlistEntry.status == WaitStatus.OFFERED,
               WaitlistEntry.hold_until > utcnow())
    )
    seats_and_holds = union_all(seats, held).subquery()
    taken = (
        db.select(seats_and_holds.c.organization_id, func.count().label("taken"))
        .group_by(seats_and_holds.c.organization_id)
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
