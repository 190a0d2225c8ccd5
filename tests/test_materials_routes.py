"""Materials through the routes: the committee uploads, participants and strangers download."""
import io
import re
import zipfile

import pytest

from app.extensions import db
from app.models import Material
from tests import materials_support as samples
from tests.materials_support import PAGE, alerts, post_files


def materials():
    return db.session.execute(db.select(Material).order_by(Material.position, Material.id)).scalars().all()


def test_an_admin_uploads_several_files_with_titles_to_a_session(client, make, admin, app):
    event = make.event()
    item = samples.session(event)
    response = post_files(client, [("Paparan Kadis.pdf", samples.pdf()), ("Foto.png", samples.image())],
                          titles=["Paparan Kepala Dinas", ""], agenda_item=str(item.id), visibility="public")
    assert response.status_code == 303
    assert response.headers["Location"].startswith(PAGE + "#materi-")
    page = client.get(PAGE).get_data(as_text=True)
    assert "2 berkas diunggah." in page
    assert "Paparan Kepala Dinas" in page and "Foto" in page and "PDF · " in page
    assert [(m.title, m.agenda_item_id, m.visibility) for m in materials()] == [
        ("Paparan Kepala Dinas", item.id, "public"), ("Foto", item.id, "public")]
    assert len(samples.stored_files(app)) == 2


def test_the_materials_page_is_for_admins_only(client, make, auth):
    make.event()
    assert client.get(PAGE).status_code == 302  # a stranger is sent to the login page
    assert post_files(client, [("a.pdf", samples.pdf())]).status_code == 302
    make.user("operator@example.go.id", "operator")
    auth.login("operator@example.go.id")
    # The event's console is outside an operator's scope: 404 (app/tenants/access.py).
    assert client.get(PAGE).status_code == 404
    assert post_files(client, [("a.pdf", samples.pdf())]).status_code == 404
    assert materials() == []


@pytest.mark.parametrize("name, content, message", [
    ("Paparan.pdf", samples.EXE, "Paparan.pdf: program atau halaman web tidak diterima, apa pun nama berkasnya."),
    ("Undangan.html", samples.HTML,
     "Undangan.html: jenis berkas ini tidak diizinkan. Yang diizinkan: "
     "DOCX, GIF, JPG, ODP, ODS, ODT, PDF, PNG, PPTX, WEBP, XLSX, ZIP."),
    ("../../../config.pdf", samples.pdf(),
     '../../../config.pdf: nama berkas tidak boleh memuat garis miring, ".." atau karakter kendali.'),
    ("Kosong.pdf", b"", "Kosong.pdf: berkas kosong."),
])
def test_unsafe_files_are_refused_with_a_clear_message_and_nothing_on_disk(client, make, admin, app, name, content,
                                                                          message):
    make.event()
    response = post_files(client, [("Baik.pdf", samples.pdf()), (name, content)])
    assert response.status_code == 422
    assert alerts(response) == [message]
    assert materials() == [] and samples.stored_files(app) == []


def test_a_file_over_the_per_file_limit_is_refused(client, make, admin, app):
    make.event()
    app.config["MAX_UPLOAD_MB"] = 1
    response = post_files(client, [("Besar.pdf", samples.pdf(b"x" * (1024 * 1024)))])
    assert response.status_code == 422
    assert alerts(response) == ["Besar.pdf: lebih besar dari batas 1 MB per berkas."]
    assert materials() == [] and samples.stored_files(app) == []


@pytest.mark.parametrize("csrf", [False, True], ids=["csrf-off", "csrf-on"])
def test_an_upload_over_the_request_limit_gets_the_page_with_a_message(client, make, admin, app, csrf):
    make.event()
    # With CSRF on (as in production) the body is first read by the CSRF check, before the view.
    app.config.update(MAX_UPLOAD_MB=1, MAX_CONTENT_LENGTH=1024 * 1024, WTF_CSRF_ENABLED=csrf)
    response = post_files(client, [("Besar.pdf", samples.pdf(b"x" * (2 * 1024 * 1024)))])
    assert response.status_code == 413
    assert alerts(response) == [
        "Unggahan terlalu besar: paling banyak 1 MB sekali unggah. "
        "Unggah berkas satu per satu atau perkecil ukurannya."]
    assert materials() == [] and samples.stored_files(app) == []


def test_a_too_large_excel_import_is_not_answered_with_the_materials_page(client, make, admin, app):
    make.event()
    app.config.update(MAX_CONTENT_LENGTH=1024 * 1024)
    response = client.post("/admin/acara/bimtek-uji/impor", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(b"x" * (2 * 1024 * 1024)), "peserta.xlsx")})
    assert response.status_code == 413
    assert "Berkas terlalu besar." in response.get_data(as_text=True) and alerts(response) == []


def test_the_page_sits_in_the_event_tabs_and_its_old_address_redirects(client, make, admin):
    event = make.event()
    page = client.get(PAGE).get_data(as_text=True)
    assert f'<a href="{PAGE}" aria-current="page">Materi</a>' in page
    assert f'href="/admin/acara/{event.slug}/peserta"' in page  # the other tabs are there too
    old = client.get(f"/admin/e/{event.slug}/materi?agenda=7")
    assert (old.status_code, old.headers["Location"]) == (308, f"{PAGE}?agenda=7")
    material = upload_one(client, "a.pdf", samples.pdf(), "public")
    moved = client.get(f"/admin/e/{event.slug}/materi/{material.id}/unduh")
    assert (moved.status_code, moved.headers["Location"]) == (308, f"{PAGE}/{material.id}/unduh")
    assert client.get(moved.headers["Location"]).status_code == 200
    assert client.post(f"/admin/e/{event.slug}/materi/{material.id}/hapus").status_code == 404


def test_an_empty_session_links_to_the_form_with_that_session_chosen(client, make, admin):
    event = make.event()
    item = samples.session(event, "Diskusi Panel")
    page = client.get(PAGE).get_data(as_text=True)
    assert f'href="{PAGE}?agenda={item.id}#unggah-judul"' in page
    chosen = client.get(f"{PAGE}?agenda={item.id}").get_data(as_text=True)
    assert re.search(rf'<option value="{item.id}" selected>', chosen)


def test_no_file_chosen_is_refused(client, make, admin):
    make.event()
    response = client.post(PAGE, data={"visibility": "public"}, content_type="multipart/form-data")
    assert response.status_code == 422 and alerts(response) == ["Pilih minimal satu berkas."]


def upload_one(client, name, content, visibility, agenda_item=""):
    response = post_files(client, [(name, content)], visibility=visibility, agenda_item=str(agenda_item))
    assert response.status_code == 303
    return materials()[-1]


def test_downloads_for_strangers_participants_and_other_events(client, make, admin, app):
    event = make.event()
    other_event = make.event(slug="bimtek-lain")
    participant = make.registration(event)
    other_participant = make.registration(other_event)
    public = upload_one(client, "Jadwal Acara.pdf", samples.pdf(b"jadwal"), "public")
    private = upload_one(client, "Paparan Wali Kota – final.pdf", samples.pdf(b"paparan"), "participants")
    client.post("/masuk/keluar")

    # A stranger gets the public file from the event page's link, as an attachment that may not be sniffed.
    response = client.get(f"/e/bimtek-uji/materi/{public.id}")
    assert response.status_code == 200 and response.data == samples.pdf(b"jadwal")
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"] == 'attachment; filename="Jadwal Acara.pdf"'
    assert int(response.headers["Content-Length"]) == len(samples.pdf(b"jadwal"))

    # … but not the participants-only one, whatever URL they try.
    refused = client.get(f"/e/bimtek-uji/materi/{private.id}")
    assert refused.status_code == 403
    assert "khusus peserta terdaftar" in refused.get_data(as_text=True)
    assert client.get(f"/tiket/bukan-token/materi/{private.id}").status_code == 404
    assert client.get(f"/e/bimtek-lain/materi/{public.id}").status_code == 404

    # A participant of this event gets it from their ticket, privately, under its original name.
    response = client.get(f"/tiket/{participant.ticket_token}/materi/{private.id}")
    assert response.status_code == 200 and response.data == samples.pdf(b"paparan")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "filename*=UTF-8''Paparan%20Wali%20Kota%20%E2%80%93%20final.pdf" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"

    # A participant of another event is refused.
    refused = client.get(f"/tiket/{other_participant.ticket_token}/materi/{private.id}")
    assert refused.status_code == 403
    assert "Tiket ini bukan untuk acara materi tersebut." in refused.get_data(as_text=True)
    assert client.get(f"/tiket/{other_participant.ticket_token}/materi/{public.id}").status_code == 403


def test_a_cancelled_registration_keeps_only_the_public_materials(client, make, admin):
    event = make.event()
    registration = make.registration(event)
    public = upload_one(client, "Jadwal.pdf", samples.pdf(b"1"), "public")
    private = upload_one(client, "Paparan.pdf", samples.pdf(b"2"), "participants")
    registration.status = "cancelled"
    db.session.commit()
    assert client.get(f"/tiket/{registration.ticket_token}/materi/{public.id}").status_code == 200
    assert client.get(f"/tiket/{registration.ticket_token}/materi/{private.id}").status_code == 403
    page = client.get(f"/tiket/{registration.ticket_token}").get_data(as_text=True)
    assert "Jadwal" in page and "Paparan" not in page


def zip_contents(response):
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def test_the_zip_holds_exactly_the_agenda_items_files(client, make, admin):
    event = make.event()
    opening, panel = samples.session(event, "Pembukaan"), samples.session(event, "Diskusi Panel", starts="10:00")
    registration = make.registration(event)
    upload_one(client, "Paparan.pdf", samples.pdf(b"1"), "public", opening.id)
    upload_one(client, "Paparan.pdf", samples.pdf(b"2"), "participants", opening.id)
    upload_one(client, "Foto.png", samples.image(), "participants", opening.id)
    upload_one(client, "Lain.pdf", samples.pdf(b"3"), "public", panel.id)
    upload_one(client, "Umum.pdf", samples.pdf(b"4"), "public")

    response = client.get(f"/tiket/{registration.ticket_token}/materi/agenda/{opening.id}.zip")
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/zip"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Materi Pembukaan.zip" in response.headers["Content-Disposition"]
    assert zip_contents(response) == {
        "Paparan.pdf": samples.pdf(b"1"), "Paparan (2).pdf": samples.pdf(b"2"), "Foto.png": samples.image()}

    # Strangers get the public files of the item only; an item of no file, or of another event, gives 404.
    public_zip = client.get(f"/e/bimtek-uji/materi/agenda/{opening.id}.zip")
    assert zip_contents(public_zip) == {"Paparan.pdf": samples.pdf(b"1")}
    assert zip_contents(client.get("/e/bimtek-uji/materi/umum.zip")) == {"Umum.pdf": samples.pdf(b"4")}
    other_item = samples.session(make.event(slug="bimtek-lain"))
    assert client.get(f"/e/bimtek-uji/materi/agenda/{other_item.id}.zip").status_code == 404
    assert client.get(f"/tiket/{registration.ticket_token}/materi/agenda/{other_item.id}.zip").status_code == 404
    assert client.get("/tiket/bukan-token/materi/umum.zip").status_code == 404


def test_event_page_lists_public_materials_and_ticket_page_all_of_them(client, make, admin):
    event = make.event()
    item = samples.session(event, "Paparan Masterplan Smart City")
    registration = make.registration(event)
    public = upload_one(client, "Jadwal.pdf", samples.pdf(b"x" * 1300), "public", item.id)
    private = upload_one(client, "Slide.pdf", samples.pdf(), "participants", item.id)
    client.post("/masuk/keluar")

    event_page = client.get("/e/bimtek-uji").get_data(as_text=True)
    assert "Paparan Masterplan Smart City" in event_page
    assert f'href="/e/bimtek-uji/materi/{public.id}"' in event_page
    assert "PDF · 1,5 KB" in event_page
    assert "Slide" not in event_page and f"/materi/{private.id}" not in event_page

    ticket_page = client.get(f"/tiket/{registration.ticket_token}").get_data(as_text=True)
    for material in (public, private):
        assert f'href="/tiket/{registration.ticket_token}/materi/{material.id}"' in ticket_page
    assert f"/tiket/{registration.ticket_token}/materi/agenda/{item.id}.zip" in ticket_page
    assert "khusus peserta" in ticket_page

    english = client.get("/e/bimtek-uji?lang=en").get_data(as_text=True)
    assert "PDF · 1.5 KB" in english


def test_an_admin_renames_moves_replaces_and_deletes(client, make, admin, app):
    event = make.event()
    item = samples.session(event)
    first = upload_one(client, "a.pdf", samples.pdf(b"a"), "participants")
    second = upload_one(client, "b.pdf", samples.pdf(b"b"), "participants")

    response = client.post(f"{PAGE}/{second.id}/geser", data={"arah": "naik"})
    assert response.status_code == 303
    assert [m.id for m in materials()] == [second.id, first.id]
    assert client.post(f"{PAGE}/{second.id}/geser", data={"arah": "ke-mana"}).status_code == 400

    response = client.post(f"{PAGE}/{first.id}/ubah",
                           data={"title": "Paparan Sesi 1", "visibility": "public", "agenda_item": str(item.id)})
    assert response.status_code == 303
    db.session.expire_all()
    assert (first.title, first.visibility, first.agenda_item_id) == ("Paparan Sesi 1", "public", item.id)
    assert client.get(f"/e/bimtek-uji/materi/{first.id}").status_code == 200

    response = client.post(
        f"{PAGE}/{first.id}/ubah", data={"title": "x", "visibility": "public", "agenda_item": "99999"}
    )
    assert "Pilih sesi dari daftar agenda acara ini." in client.get(response.headers["Location"]).get_data(as_text=True)

    old_file = samples.stored_files(app)
    response = client.post(f"{PAGE}/{first.id}/ganti", data={"file": (io.BytesIO(samples.EXE), "v2.pdf")},
                           content_type="multipart/form-data")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "v2.pdf: program atau halaman web tidak diterima" in page
    assert samples.stored_files(app) == old_file
    response = client.post(f"{PAGE}/{first.id}/ganti", data={"file": (io.BytesIO(samples.pdf(b"v2")), "v2.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 303
    assert client.get(f"/e/bimtek-uji/materi/{first.id}").data == samples.pdf(b"v2")
    assert len(samples.stored_files(app)) == 2

    assert client.get(f"{PAGE}/{second.id}/unduh").data == samples.pdf(b"b")
    asked = client.post(f"{PAGE}/{second.id}/hapus")
    assert asked.status_code == 200 and "dihapus permanen" in asked.get_data(as_text=True)
    assert len(materials()) == 2
    response = client.post(f"{PAGE}/{second.id}/hapus", data={"confirmed": "yes"})
    assert response.status_code == 303
    assert [m.id for m in materials()] == [first.id]
    assert len(samples.stored_files(app)) == 1
    assert client.get(f"{PAGE}/{second.id}/unduh").status_code == 404
    assert client.post(f"/admin/acara/bimtek-lain/materi/{first.id}/hapus").status_code == 404


def test_a_lost_file_gives_404_not_500(client, make, admin, app):
    make.event()
    material = upload_one(client, "a.pdf", samples.pdf(), "public")
    for path in samples.stored_files(app):
        path.unlink()
    assert client.get(f"/e/bimtek-uji/materi/{material.id}").status_code == 404
    assert client.get("/e/bimtek-uji/materi/umum.zip").status_code == 404
