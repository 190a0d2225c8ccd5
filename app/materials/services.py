"""Session materials: attach, rename, replace, reorder and delete; the stored file follows its row.

Services take plain arguments and never commit. Every file of a request is checked
before any is stored; a file stored for a row that is not committed is deleted,
and a deleted row's file goes when the deletion is committed (storage.py).
"""
import re
from dataclasses import dataclass, field

from sqlalchemy import func

from app.events.lookup import find_agenda_item
from app.extensions import db
from app.materials.checks import check_upload
from app.materials.names import visible_name
from app.materials.refused import MaterialRefused
from app.models import VISIBILITY_PARTICIPANTS, VISIBILITY_PUBLIC, AgendaItem, CertificateSettings, Material, utcnow
from app.storage import delete_after_commit, delete_unless_committed

VISIBILITIES = (VISIBILITY_PARTICIPANTS, VISIBILITY_PUBLIC)
MAX_TITLE_LENGTH = 300


@dataclass
class Upload:
    """One file as received: the name the browser sent, a seekable binary stream, an optional title."""

    name: str
    stream: object
    title: str = ""


class UploadsRefused(Exception):
    """Some files of an upload were refused; none of them was stored."""

    def __init__(self, refusals):
        super().__init__(", ".join(refusal.code for refusal in refusals))
        self.refusals = refusals


@dataclass
class MaterialGroup:
    """The materials of one agenda item, or of the whole event when `agenda_item` is None."""

    agenda_item: AgendaItem | None
    materials: list = field(default_factory=list)

    @property
    def key(self):
        return self.agenda_item.id if self.agenda_item else None


def material_groups(event, *, public_only=False, keep_empty=False):
    """The event's materials grouped: the whole event's first, then each agenda item in time order."""
    query = db.select(Material).where(Material.event_id == event.id).order_by(Material.position, Material.id)
    if public_only:
        query = query.where(Material.visibility == VISIBILITY_PUBLIC)
    groups = {None: MaterialGroup(None)}
    for item in event.agenda_items:
        groups[item.id] = MaterialGroup(item)
    for material in db.session.execute(query).scalars():
        groups[material.agenda_item_id].materials.append(material)
    return [group for group in groups.values() if keep_empty or group.materials]


def group_materials(event, agenda_item_id, *, public_only=False):
    """The materials of one group (an agenda item's, or the whole event's for None), in order."""
    query = db.select(Material).where(Material.event_id == event.id).order_by(Material.position, Material.id)
    query = query.where(
        Material.agenda_item_id.is_(None) if agenda_item_id is None else Material.agenda_item_id == agenda_item_id
    )
    if public_only:
        query = query.where(Material.visibility == VISIBILITY_PUBLIC)
    return db.session.execute(query).scalars().all()


def find_material(event, material_id):
    return db.session.execute(
        db.select(Material).filter_by(id=material_id, event_id=event.id)
    ).scalar_one_or_none()


def clean_title(value, file_name):
    """The title as typed, whitespace tidied; the file name without its extension when left empty."""
    title = re.sub(r"\s+", " ", visible_name(value)).strip()
    if not title:
        stem, dot, _extension = file_name.rpartition(".")
        title = re.sub(r"\s+", " ", stem if dot and stem else file_name).strip()
    if len(title) > MAX_TITLE_LENGTH:
        raise MaterialRefused("title_too_long", file_name)
    return title


def _check_place(event, agenda_item_id, visibility):
    if visibility not in VISIBILITIES:
        raise MaterialRefused("visibility_unknown")
    if agenda_item_id is not None and find_agenda_item(event, agenda_item_id) is None:
        raise MaterialRefused("agenda_unknown")


def _next_position(event, agenda_item_id):
    group = Material.agenda_item_id.is_(None) if agenda_item_id is None else Material.agenda_item_id == agenda_item_id
    highest = db.session.execute(
        db.select(func.max(Material.position)).where(Material.event_id == event.id, group)
    ).scalar_one()
    return 0 if highest is None else highest + 1


def stored_file_in_use(name):
    """Whether a material (of any event) or certificate settings still refer to the stored file `name`:
    a copied event ("Salin acara") shares its source's files."""
    held_by_material = db.select(Material.id).where(Material.stored_name == name).exists()
    held_by_settings = db.select(CertificateSettings.id).where(
        (CertificateSettings.signer_image == name) | (CertificateSettings.background == name)
    ).exists()
    return db.session.execute(db.select(held_by_material | held_by_settings)).scalar_one()


def release_stored_file(storage, name):
    """The caller's row no longer refers to `name` (flushed): its file goes once committed, unless
    another row still holds it. Two events releasing a shared file at the same moment may both keep
    it: a file left over, never one lost."""
    if not stored_file_in_use(name):
        delete_after_commit(db.session, storage, name)


def _store(storage, stream):
    stream.seek(0)
    name = storage.save(stream)
    delete_unless_committed(db.session, storage, name)
    return name


def upload_materials(event, uploads, *, agenda_item_id, visibility, policy, storage, uploaded_by_id=None):
    """Attach the uploaded files to `event` (or to one of its agenda items), all of them or none.

    Raises UploadsRefused listing every refused file (nothing is stored then), or
    MaterialRefused for a bad agenda item or visibility. Returns the new Materials.
    """
    if not uploads:
        raise MaterialRefused("no_files")
    _check_place(event, agenda_item_id, visibility)
    checked, refusals = [], []
    for upload in uploads:
        try:
            file = check_upload(upload.name, upload.stream, policy)
            checked.append((upload, file, clean_title(upload.title, file.original_name)))
        except MaterialRefused as refusal:
            refusals.append(refusal)
    if refusals:
        raise UploadsRefused(refusals)

    position = _next_position(event, agenda_item_id)
    materials = []
    for offset, (upload, file, title) in enumerate(checked):
        material = Material(
            event_id=event.id,
            agenda_item_id=agenda_item_id,
            title=title,
            original_name=file.original_name,
            stored_name=_store(storage, upload.stream),
            content_type=file.mimetype,
            size=file.size,
            visibility=visibility,
            position=position + offset,
            uploaded_by_id=uploaded_by_id,
        )
        db.session.add(material)
        materials.append(material)
    db.session.flush()
    return materials


def update_material(material, *, title, visibility, agenda_item_id):
    """Rename a material, change who may download it, or move it to another agenda item (at its end)."""
    _check_place(material.event, agenda_item_id, visibility)
    material.title = clean_title(title, material.original_name)
    material.visibility = visibility
    if agenda_item_id != material.agenda_item_id:
        material.position = _next_position(material.event, agenda_item_id)
        material.agenda_item_id = agenda_item_id
    material.updated_at = utcnow()
    db.session.flush()
    return material


def replace_material_file(material, upload, *, policy, storage):
    """Put a new file behind a material, keeping its title, place and visibility; the old file goes on commit."""
    if upload is None:
        raise MaterialRefused("no_files")
    file = check_upload(upload.name, upload.stream, policy)
    old_name = material.stored_name
    material.stored_name = _store(storage, upload.stream)
    material.original_name = file.original_name
    material.content_type = file.mimetype
    material.size = file.size
    material.updated_at = utcnow()
    db.session.flush()
    release_stored_file(storage, old_name)
    return material


def move_material(material, offset):
    """Move a material `offset` places within its group (-1 up, +1 down); the ends stay put."""
    siblings = group_materials(material.event, material.agenda_item_id)
    index = siblings.index(material)
    target = index + offset
    if 0 <= target < len(siblings):
        siblings[index], siblings[target] = siblings[target], siblings[index]
    for position, sibling in enumerate(siblings):
        sibling.position = position
    db.session.flush()


def delete_material(material, storage):
    """Delete the material; its file is deleted when this is committed, unless a copy of the event
    still refers to it."""
    name = material.stored_name
    db.session.delete(material)
    db.session.flush()
    release_stored_file(storage, name)
