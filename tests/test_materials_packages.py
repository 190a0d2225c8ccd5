"""Issue 9, item 4: uploads judged by content, inside ZIPs and Office packages too; names shown without bidi tricks.

Each upload goes through the committee's materials page; the refusal names the file and
nothing is stored. These files were accepted before.
"""
import io
import stat
import zipfile

import pytest

from app.extensions import db
from app.models import Material
from tests import materials_support as samples
from tests.materials_support import PAGE, alerts, post_files


def stored():
    return db.session.execute(db.select(Material)).scalars().all()


def zip_with(entries, *, symlink=None):
    """A ZIP of `entries` {name: bytes}; `symlink` (name, target) adds a symbolic-link entry."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink[0])
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, symlink[1])
    return out.getvalue()


def docx_with(extra):
    """A Word package with extra parts {name: bytes} (macros, embedded objects …)."""
    return zip_with({"[Content_Types].xml": b"<Types/>", "_rels/.rels": b"<Relationships/>",
                     "word/document.xml": b"<w:document/>", **extra})


def parts_of(package):
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


PPTX_CONTENT_TYPES = (b'<Types><Override ContentType="application/vnd.ms-powerpoint.presentation'
                      b'.macroEnabled.main+xml"/></Types>')


def refused(client, name, content):
    response = post_files(client, [(name, content)])
    assert response.status_code == 422, name
    assert stored() == []
    return " ".join(alerts(response))


@pytest.mark.parametrize("entries, why", [
    ({"catatan.txt": b"hello"}, "jenis"),  # not on the allow-list, though harmless
    ({"foto.png": samples.pdf()}, "tidak sesuai"),  # content does not match its name
    ({"Paparan.pdf": samples.EXE}, "program"),  # a program called .pdf
    ({"laporan.pdf ": samples.pdf()}, "tidak aman"),  # trailing space
    ({"laporan.pdf.": samples.pdf()}, "tidak aman"),  # trailing dot
    ({"evil\u202eexe.pdf": samples.pdf()}, "tidak aman"),  # right-to-left override
    ({"a\u200bb.pdf": samples.pdf()}, "tidak aman"),  # zero-width space
    ({"/etc/cron.d/x.pdf": samples.pdf()}, "tidak aman"),  # absolute
    ({"C:/x.pdf": samples.pdf()}, "tidak aman"),
    ({"a/../../x.pdf": samples.pdf()}, "tidak aman"),
    ({"1.zip": zip_with({"2.zip": zip_with({"3.zip": zip_with({"a.pdf": samples.pdf()})})})}, "terlalu dalam"),
    ({"dalam.zip": zip_with({"setup.exe": samples.EXE})}, "program"),  # a nested archive is inspected
    ({"Notulen.docx": docx_with({"word/vbaProject.bin": samples.ole2("VBA")})}, "makro"),
])
def test_every_zip_entry_goes_through_the_allow_list_by_content(client, admin_with_an_event, entries, why):
    message = refused(client, "Arsip.zip", zip_with(entries))
    assert "Arsip.zip" in message and why in message


def test_a_symlink_entry_is_refused(client, admin_with_an_event):
    message = refused(client, "Arsip.zip", zip_with({"a.pdf": samples.pdf()}, symlink=("b.pdf", "/etc/passwd")))
    assert "tidak aman" in message


def test_a_zip_bomb_is_refused_without_being_expanded(client, admin_with_an_event):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("besar.pdf", samples.pdf() + b"\0" * (200 * 1024 * 1024))
    assert len(out.getvalue()) < 1024 * 1024
    assert "terlalu besar" in refused(client, "Arsip.zip", out.getvalue())


def test_a_clean_zip_with_a_nested_zip_and_an_office_file_is_accepted(client, admin_with_an_event):
    content = zip_with({"materi/a.pdf": samples.pdf(), "materi/": b"", "foto.png": samples.image(),
                        "lampiran.zip": zip_with({"b.pdf": samples.pdf(b"b")}), "Rekap.xlsx": samples.xlsx()})
    assert post_files(client, [("Arsip.zip", content)]).status_code == 303
    assert len(stored()) == 1


@pytest.mark.parametrize("name, content", [
    ("Notulen.docx", docx_with({"word/vbaProject.bin": samples.ole2("VBA", "dir")})),
    ("Notulen.docx", docx_with({"word/embeddings/oleObject1.bin": samples.ole2("Ole10Native")})),
    ("Notulen.docx", docx_with({"word/embeddings/setup.exe": samples.EXE})),
    ("Notulen.docx", docx_with({"word/activeX/activeX1.bin": b"x"})),
    ("Rekap.xlsx", zip_with({**parts_of(samples.xlsx()), "xl/vbaProject.bin": samples.ole2("VBA")})),
    ("Paparan.pptx", zip_with({"[Content_Types].xml": PPTX_CONTENT_TYPES, "ppt/presentation.xml": b"<p/>"})),
    ("Lama.doc", samples.ole2("WordDocument", "Macros", "VBA")),
    ("Lama.xls", samples.ole2("Workbook", "_VBA_PROJECT_CUR")),
])
def test_office_files_with_macros_programs_or_ole_objects_are_refused(app, client, admin_with_an_event, name, content):
    app.config["ALLOWED_UPLOAD_TYPES"] = [*app.config["ALLOWED_UPLOAD_TYPES"], "doc", "xls", "ppt"]
    message = refused(client, name, content)
    assert name in message and ("makro" in message or "program" in message)


@pytest.mark.parametrize("name, content", [
    ("Lama.doc", samples.ole2("1Table", "WordDocument")),
    ("Lama.xls", samples.ole2("Workbook")),
    ("Lama.ppt", samples.ole2("Current User", "PowerPoint Document")),
])
def test_legacy_office_files_are_refused_unless_the_install_allows_them(app, client, admin_with_an_event, name,
                                                                         content):
    # Their macros can hide inside the main stream (PowerPoint VBA, Excel 4.0 sheets), where no check reaches.
    assert "jenis berkas ini tidak diizinkan" in refused(client, name, content)
    app.config["ALLOWED_UPLOAD_TYPES"] = [*app.config["ALLOWED_UPLOAD_TYPES"], "doc", "xls", "ppt"]
    assert post_files(client, [(name, content)]).status_code == 303


def test_an_office_file_with_a_chart_workbook_embedded_is_accepted(client, admin_with_an_event):
    content = zip_with({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>",
                        "ppt/embeddings/Microsoft_Excel_Worksheet.xlsx": samples.xlsx(),
                        "ppt/media/image1.png": samples.image()})
    assert post_files(client, [("Paparan.pptx", content)]).status_code == 303


def test_a_file_name_is_stored_and_shown_without_bidi_controls(client, admin_with_an_event, make):
    response = post_files(client, [("evil\u202eexe.pdf", samples.pdf())], visibility="public")
    assert response.status_code == 303
    [material] = stored()
    assert material.original_name == "evilexe.pdf"
    assert material.title == "evilexe"
    page = client.get(PAGE).get_data(as_text=True)
    assert "\u202e" not in page and "evilexe.pdf" in page
    download = client.get(f"/e/bimtek-uji/materi/{material.id}")
    assert download.status_code == 200, download.get_data(as_text=True)[-800:]
    assert "\u202e" not in download.headers["Content-Disposition"]
    assert "%E2%80%AE" not in download.headers["Content-Disposition"]


def test_a_name_stored_before_with_bidi_controls_is_shown_without_them(client, admin_with_an_event, make):
    assert post_files(client, [("laporan.pdf", samples.pdf())], visibility="public").status_code == 303
    [material] = stored()
    material.original_name = "evil\u202eexe.pdf"
    db.session.commit()
    assert "\u202e" not in client.get(PAGE).get_data(as_text=True)
    download = client.get(f"/e/bimtek-uji/materi/{material.id}")
    assert "%E2%80%AE" not in download.headers["Content-Disposition"]
    assert "\u202e" not in download.headers["Content-Disposition"]
    bundle = client.get("/e/bimtek-uji/materi/umum.zip")
    assert zipfile.ZipFile(io.BytesIO(bundle.data)).namelist() == ["evilexe.pdf"]
