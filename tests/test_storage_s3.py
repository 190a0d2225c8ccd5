"""Stored files in an S3-compatible object store (moto in server mode, reached over HTTP by boto3):
materials uploaded, downloaded (streamed, or by a short-lived presigned URL that serves ranges),
replaced and deleted; the certificate's signature image and background; the same access rules."""
import io
import urllib.error
import urllib.request
import zipfile

import pytest

from app.certificates.issuing import issue_certificates
from app.certificates.settings import certificate_settings
from app.extensions import db
from app.models import Material
from app.storage import S3Storage, storage_from_config
from tests import materials_support as samples
from tests.certificates_support import attend, pdf_page_image, png_bytes, settings_form
from tests.materials_support import ADMIN, PAGE, post_files


def only_material():
    return db.session.execute(db.select(Material)).scalar_one()


def test_settings_choose_the_object_store(app, s3_bucket):
    storage = storage_from_config(app.config)
    assert isinstance(storage, S3Storage)
    assert (storage.bucket, storage.prefix) == (s3_bucket.name, "hadir")
    with pytest.raises(ValueError):
        storage_from_config({**app.config, "STORAGE_URL": "https://not-s3/bucket"})


def test_a_material_goes_to_the_store_and_downloads_streamed_with_todays_rules(client, make, admin, app, s3_bucket):
    event = make.event()
    content = samples.pdf(b"x" * 300_000)
    assert post_files(client, [("Paparan.pdf", content)], visibility="participants").status_code == 303
    material = only_material()
    assert s3_bucket.keys() == [f"hadir/{material.stored_name}"]
    assert s3_bucket.read(f"hadir/{material.stored_name}") == content
    assert samples.stored_files(app) == []  # nothing in the local folder
    person = make.registration(event)

    response = client.get(f"/tiket/{person.ticket_token}/materi/{material.id}", buffered=False)
    assert response.status_code == 200 and response.is_streamed
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "attachment" in response.headers["Content-Disposition"]
    chunks = list(response.response)
    response.close()
    assert len(chunks) > 1 and b"".join(chunks) == content  # read from the store in pieces, not at once
    # A participants-only file is not public, whichever store holds it.
    client.get("/masuk/keluar")
    assert client.get(f"/e/{event.slug}/materi/{material.id}").status_code == 403
    assert client.get(f"/tiket/{'x' * 43}/materi/{material.id}").status_code == 404


def test_replacing_and_deleting_remove_objects_once_committed(client, make, admin, app, s3_bucket):
    make.event()
    post_files(client, [("Paparan.pdf", samples.pdf(b"one"))])
    material = only_material()
    first = material.stored_name
    assert client.post(f"{PAGE}/{material.id}/ganti", data={"file": (io.BytesIO(samples.pdf(b"two")), "Baru.pdf")},
                       content_type="multipart/form-data").status_code == 303
    db.session.expire_all()
    second = only_material().stored_name
    assert second != first and s3_bucket.keys() == [f"hadir/{second}"]
    assert s3_bucket.read(f"hadir/{second}") == samples.pdf(b"two")
    assert client.post(f"{PAGE}/{material.id}/hapus", data={"confirmed": "yes"}).status_code == 303
    assert s3_bucket.keys() == []


def test_a_refused_upload_leaves_no_object(client, make, admin, s3_bucket):
    make.event()
    response = post_files(client, [("Baik.pdf", samples.pdf()), ("Jahat.pdf", samples.EXE)])
    assert response.status_code == 422
    assert s3_bucket.keys() == []


def test_a_zip_of_materials_is_read_from_the_store(client, make, admin, s3_bucket):
    event = make.event()
    post_files(client, [("A.pdf", samples.pdf(b"a")), ("B.png", samples.image())], visibility="public")
    response = client.get(f"/e/{event.slug}/materi/umum.zip")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        assert sorted(archive.namelist()) == ["A.pdf", "B.png"]
        assert archive.read("A.pdf") == samples.pdf(b"a")


def test_presigned_downloads_redirect_after_the_checks_and_serve_ranges(client, make, admin, app, s3_bucket):
    app.config["STORAGE_PRESIGNED_SECONDS"] = 60
    event = make.event()
    content = samples.pdf(b"range" * 1000)
    post_files(client, [("Paparan Kadis.pdf", content)], visibility="participants")
    material = only_material()
    person = make.registration(event)
    response = client.get(f"/tiket/{person.ticket_token}/materi/{material.id}")
    assert response.status_code == 302
    url = response.headers["Location"]
    assert url.startswith(f"{s3_bucket.endpoint}/{s3_bucket.name}/hadir/{material.stored_name}?")
    assert "X-Amz-Expires=60" in url and response.headers["Cache-Control"] == "private, no-store"

    with urllib.request.urlopen(urllib.request.Request(url, headers={"Range": "bytes=0-99"})) as partial:
        assert partial.status == 206 and partial.read() == content[:100]
        assert partial.headers["Content-Type"] == "application/pdf"
        assert partial.headers["Content-Disposition"] == "attachment; filename*=UTF-8''Paparan%20Kadis.pdf"
    with urllib.request.urlopen(url) as whole:
        assert whole.read() == content
    # The signature covers the key: another stored name under the same signature is refused.
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(url.replace(material.stored_name, "0" * 32))
    assert refused.value.code == 403
    # The access checks come first: no redirect for someone who may not have the file.
    client.get("/masuk/keluar")
    refused = client.get(f"/e/{event.slug}/materi/{material.id}")
    assert refused.status_code == 403 and "Location" not in refused.headers


def test_a_file_lost_from_the_store_is_a_404_not_a_500(client, make, admin, s3_bucket):
    event = make.event()
    post_files(client, [("A.pdf", samples.pdf())], visibility="public")
    material = only_material()
    s3_bucket.empty()
    assert client.get(f"/e/{event.slug}/materi/{material.id}").status_code == 404


def test_the_storage_interface_over_s3(app, s3_bucket):
    storage = storage_from_config(app.config)
    name = storage.save(io.BytesIO(b"0123456789" * 400_000))
    assert storage.exists(name)
    with storage.open(name) as handle:
        assert handle.read(10) == b"0123456789"
        assert len(handle.read()) == 4_000_000 - 10
    storage.check()
    storage.delete(name)
    storage.delete(name)  # a missing object is not an error
    assert not storage.exists(name)
    with pytest.raises(FileNotFoundError):
        storage.open(name)
    with pytest.raises(ValueError):
        storage.open("../" + name)
    gone = S3Storage(storage.client, "no-such-bucket-here")
    with pytest.raises(FileNotFoundError):
        gone.check()


def test_certificate_signature_and_background_live_in_the_store(app, make, client, auth, s3_bucket):
    from PIL import Image

    app.config["PUBLIC_BASE_URL"] = "https://hadir.example.go.id"
    event = make.event()
    make.user(ADMIN, "admin")
    auth.login(ADMIN)
    url = f"/admin/acara/{event.slug}/sertifikat"
    background = io.BytesIO()
    Image.new("RGB", (1169, 827), (250, 230, 180)).save(background, format="JPEG")
    form = settings_form(signer_image=(io.BytesIO(png_bytes()), "ttd.png"),
                         background=(io.BytesIO(background.getvalue()), "latar.jpg"))
    assert client.post(url, data=form, content_type="multipart/form-data").status_code == 303
    settings = certificate_settings(event)
    assert s3_bucket.keys() == sorted([f"hadir/{settings.signer_image}", f"hadir/{settings.background}"])
    assert samples.stored_files(app) == []
    image = client.get(f"{url}/gambar/{settings.signer_image}.png")
    assert image.status_code == 200 and image.data.startswith(b"\x89PNG")

    person = make.registration(event)
    attend(person, *event.days)
    issue_certificates(event)
    db.session.commit()
    page = pdf_page_image(client.get(f"/ubah/{person.edit_token}/sertifikat.pdf").data)
    red, green, blue = page.convert("RGB").getpixel((5, 5))
    assert abs(red - 250) < 12 and abs(green - 230) < 12 and abs(blue - 180) < 12  # the background, from S3

    old = settings.signer_image
    again = settings_form(signer_image=(io.BytesIO(png_bytes((300, 90))), "ttd-baru.png"))
    assert client.post(url, data=again, content_type="multipart/form-data").status_code == 303
    db.session.expire_all()
    settings = certificate_settings(event)
    assert settings.signer_image != old
    assert s3_bucket.keys() == sorted([f"hadir/{settings.signer_image}", f"hadir/{settings.background}"])


def test_a_store_that_fails_keeps_nothing_and_says_so(client, make, admin, app, s3_bucket):
    event = make.event()
    app.config["STORAGE_URL"] = "s3://bucket-that-was-removed/hadir"  # every call to the store fails
    response = post_files(client, [("Paparan.pdf", samples.pdf())])
    assert response.status_code == 503
    assert "Penyimpanan berkas tidak dapat dijangkau; tidak ada yang disimpan." in response.get_data(as_text=True)
    assert db.session.execute(db.select(Material)).first() is None
    url = f"/admin/acara/{event.slug}/sertifikat"
    form = settings_form(signer_image=(io.BytesIO(png_bytes()), "ttd.png"))
    refused = client.post(url, data=form, content_type="multipart/form-data")
    assert refused.status_code == 503 and "tidak ada yang disimpan" in refused.get_data(as_text=True)
    assert certificate_settings(event).signer_image is None
    assert client.get("/readyz").get_json()["checks"]["storage"] == "unreachable (FileNotFoundError)"
