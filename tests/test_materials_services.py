"""The materials services, without HTTP: the file follows its row, on SQLite and PostgreSQL."""
import io

import pytest
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.materials.checks import UploadPolicy
from app.materials.refused import MaterialRefused
from app.materials.services import (
    Upload,
    UploadsRefused,
    delete_material,
    group_materials,
    material_groups,
    move_material,
    replace_material_file,
    update_material,
    upload_materials,
)
from app.materials.sniffing import TYPES
from app.models import Material
from app.storage import LocalStorage, Storage, storage_from_config
from tests import materials_support as samples

POLICY = UploadPolicy(allowed=frozenset(TYPES), max_bytes=1024 * 1024)


@pytest.fixture
def storage(app):
    return LocalStorage(app.config["UPLOAD_FOLDER"])


def upload(event, storage, *files, agenda_item_id=None, visibility="participants", **kwargs):
    uploads = [Upload(name, io.BytesIO(data), title) for name, data, title in files]
    return upload_materials(event, uploads, agenda_item_id=agenda_item_id, visibility=visibility,
                            policy=POLICY, storage=storage, **kwargs)


def all_materials():
    return db.session.execute(db.select(Material).order_by(Material.id)).scalars().all()


def stored_bytes(storage, material):
    with storage.open(material.stored_name) as handle:
        return handle.read()


def test_several_files_are_stored_under_random_names_in_order(app, make, storage):
    event = make.event()
    item = samples.session(event)
    first, second = upload(event, storage, ("Paparan Kadis.pdf", samples.pdf(), ""),
                           ("foto.png", samples.image(), "  Foto   kegiatan "), agenda_item_id=item.id)
    db.session.commit()
    assert (first.title, second.title) == ("Paparan Kadis", "Foto kegiatan")
    assert (first.position, second.position) == (0, 1)
    assert first.original_name == "Paparan Kadis.pdf" and first.size == len(samples.pdf())
    assert stored_bytes(storage, first) == samples.pdf()
    on_disk = samples.stored_files(app)
    assert len(on_disk) == 2 and all("Paparan" not in str(path) and "foto" not in str(path) for path in on_disk)
    [third] = upload(event, storage, ("Notulen.docx", samples.docx(), ""), agenda_item_id=item.id)
    assert third.position == 2


def test_one_bad_file_refuses_the_whole_upload_and_stores_nothing(app, make, storage):
    event = make.event()
    with pytest.raises(UploadsRefused) as refused:
        upload(event, storage, ("baik.pdf", samples.pdf(), ""), ("virus.pdf", samples.EXE, ""),
               ("kosong.pdf", b"", ""))
    assert [(r.name, r.code) for r in refused.value.refusals] == [("virus.pdf", "dangerous"), ("kosong.pdf", "empty")]
    db.session.rollback()
    assert all_materials() == [] and samples.stored_files(app) == []


def test_a_failed_database_step_leaves_no_file_behind(app, make, storage):
    event = make.event()
    with pytest.raises(IntegrityError):
        upload(event, storage, ("a.pdf", samples.pdf(), ""), uploaded_by_id=987654)
    db.session.rollback()
    assert all_materials() == [] and samples.stored_files(app) == []


def test_an_upload_rolled_back_instead_of_committed_leaves_no_file(app, make, storage):
    event = make.event()
    upload(event, storage, ("a.pdf", samples.pdf(), ""))
    assert len(samples.stored_files(app)) == 1
    db.session.rollback()
    assert samples.stored_files(app) == []


def test_an_agenda_item_of_another_event_or_an_unknown_visibility_is_refused(app, make, storage):
    event = make.event()
    other_item = samples.session(make.event(slug="lain"))
    with pytest.raises(MaterialRefused) as refused:
        upload(event, storage, ("a.pdf", samples.pdf(), ""), agenda_item_id=other_item.id)
    assert refused.value.code == "agenda_unknown"
    with pytest.raises(MaterialRefused) as refused:
        upload(event, storage, ("a.pdf", samples.pdf(), ""), visibility="semua")
    assert refused.value.code == "visibility_unknown"
    assert samples.stored_files(app) == []


def test_deleting_deletes_the_file_once_committed(app, make, storage):
    event = make.event()
    [material] = upload(event, storage, ("a.pdf", samples.pdf(), ""))
    db.session.commit()
    delete_material(material, storage)
    db.session.rollback()
    assert len(samples.stored_files(app)) == 1 and len(all_materials()) == 1
    delete_material(all_materials()[0], storage)
    db.session.commit()
    assert samples.stored_files(app) == [] and all_materials() == []


def test_replacing_keeps_title_and_place_and_swaps_the_file(app, make, storage):
    event = make.event()
    item = samples.session(event)
    [material] = upload(event, storage, ("v1.pdf", samples.pdf(b"v1"), "Paparan"), agenda_item_id=item.id,
                        visibility="public")
    db.session.commit()
    old_name = material.stored_name
    with pytest.raises(MaterialRefused):
        replace_material_file(material, Upload("v2.pdf", io.BytesIO(samples.EXE)), policy=POLICY, storage=storage)
    db.session.rollback()
    assert material.stored_name == old_name and len(samples.stored_files(app)) == 1
    replace_material_file(material, Upload("v2.pptx", io.BytesIO(samples.zip_of(
        {"[Content_Types].xml": "x", "ppt/presentation.xml": "x"}))), policy=POLICY, storage=storage)
    db.session.commit()
    assert (material.title, material.agenda_item_id, material.visibility) == ("Paparan", item.id, "public")
    assert material.original_name == "v2.pptx" and material.content_type == TYPES["pptx"].mimetype
    assert not storage.exists(old_name) and storage.exists(material.stored_name)
    assert len(samples.stored_files(app)) == 1


def test_moving_up_and_down_and_to_another_session(app, make, storage):
    event = make.event()
    first_item, second_item = samples.session(event), samples.session(event, "Diskusi", starts="10:00", ends="11:00")
    a, b, c = upload(event, storage, *[(f"{n}.pdf", samples.pdf(n.encode()), "") for n in "abc"],
                     agenda_item_id=first_item.id)
    [d] = upload(event, storage, ("d.pdf", samples.pdf(b"d"), ""), agenda_item_id=second_item.id)
    db.session.commit()

    def titles(item):
        return [m.title for m in group_materials(event, item.id)]

    move_material(c, -1)
    assert titles(first_item) == ["a", "c", "b"]
    move_material(a, -1)  # already first
    move_material(b, 1)  # already last
    assert titles(first_item) == ["a", "c", "b"]
    update_material(a, title="Paparan A", visibility="public", agenda_item_id=second_item.id)
    db.session.commit()
    assert titles(first_item) == ["c", "b"] and titles(second_item) == ["d", "Paparan A"]
    update_material(d, title="", visibility="public", agenda_item_id=None)
    assert d.title == "d"  # an emptied title falls back to the file name
    with pytest.raises(MaterialRefused):
        update_material(d, title="x" * 301, visibility="public", agenda_item_id=None)


def test_groups_put_the_whole_event_first_then_sessions_in_time_order(app, make, storage):
    event = make.event()
    late = samples.session(event, "Penutupan", day=1, starts="15:00", ends="16:00")
    early = samples.session(event, "Pembukaan", starts="08:00", ends="08:30")
    upload(event, storage, ("late.pdf", samples.pdf(b"1"), ""), agenda_item_id=late.id, visibility="public")
    upload(event, storage, ("early.pdf", samples.pdf(b"2"), ""), agenda_item_id=early.id)
    upload(event, storage, ("umum.pdf", samples.pdf(b"3"), ""), visibility="public")
    db.session.commit()
    db.session.expire_all()
    groups = material_groups(event)
    assert [(g.key, [m.title for m in g.materials]) for g in groups] == [
        (None, ["umum"]), (early.id, ["early"]), (late.id, ["late"])]
    assert [g.key for g in material_groups(event, public_only=True)] == [None, late.id]
    assert len(material_groups(event, keep_empty=True)) == 3


class MemoryStorage(Storage):
    """A stand-in for shared storage, to show that the store is chosen by configuration."""

    files = {}

    @classmethod
    def from_config(cls, config):
        return cls()

    def save(self, stream):
        name = f"{len(self.files):032x}"
        self.files[name] = stream.read()
        return name

    def open(self, name):
        return io.BytesIO(self.files[name])

    def delete(self, name):
        self.files.pop(name, None)

    def exists(self, name):
        return name in self.files


def test_the_storage_is_chosen_by_configuration(app):
    assert isinstance(storage_from_config(app.config), LocalStorage)
    chosen = storage_from_config({"MATERIAL_STORAGE": "tests.test_materials_services:MemoryStorage"})
    assert isinstance(chosen, MemoryStorage)


def test_the_local_storage_refuses_names_it_did_not_make(app, storage):
    for name in ("../../config.py", "a" * 32 + "/../x", "ABC", ""):
        with pytest.raises(ValueError):
            storage.open(name)
