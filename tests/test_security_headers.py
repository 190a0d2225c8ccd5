"""Headers every response carries: no sniffing, no framing, a strict CSP, no referrer leaks,
no caching of staff pages."""
import io
from pathlib import Path

import pytest

from app.extensions import db
from app.tenants.operators import assign_operator


def _common(response):
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    return headers


@pytest.mark.parametrize("path", ["/", "/e/bimtek-uji", "/e/bimtek-uji/daftar", "/masuk/", "/e/tidak-ada",
                                  "/api/v1/checkins", "/healthz", "/static/css/app.css", "/checkin-sw.js"])
def test_every_response_says_nosniff_deny_and_the_policy(client, make, path):
    make.event()
    headers = _common(client.get(path))
    # The registration pages say no-referrer, which is stricter.
    assert headers["Referrer-Policy"] == ("no-referrer" if path.endswith("/daftar") else "same-origin")


def test_ticket_pages_keep_their_stricter_referrer_policy_and_no_store(client, make):
    registration = make.registration(make.event())
    token = registration.ticket_token
    for path in (f"/tiket/{token}", f"/tiket/{token}/qr.png", f"/tiket/{token}/qr.svg", f"/tiket/{token}/tiket.png"):
        headers = _common(client.get(path))
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["Cache-Control"] == "private, no-store"


def test_pages_a_signed_in_operator_sees_are_never_cached(client, auth, make):
    event = make.event()
    assign_operator(make.user("meja@example.go.id", "operator"), event)
    db.session.commit()
    assert "Cache-Control" not in client.get(f"/e/{event.slug}").headers
    auth.login("meja@example.go.id")
    for path in (f"/e/{event.slug}", f"/e/{event.slug}/checkin", f"/api/v1/events/{event.slug}/registrations?q=pe"):
        assert client.get(path).headers["Cache-Control"] == "private, no-store", path
    assert "no-store" not in client.get("/static/css/app.css").headers.get("Cache-Control", "")


def test_https_requests_get_strict_transport_security(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    assert client.get("/", base_url="https://localhost").headers["Strict-Transport-Security"].startswith("max-age=")


MARKUP = '</script><img src=x onerror="alert(1)">'


def test_names_and_titles_are_shown_as_text_never_as_markup(client, auth, make):
    event = make.event(title=f"Bimtek {MARKUP}")
    registration = make.registration(event, full_name=f"Siti {MARKUP}")
    make.user("admin@example.go.id", "admin")
    pages = [f"/e/{event.slug}", f"/e/{event.slug}/daftar", f"/tiket/{registration.ticket_token}"]
    auth.login("admin@example.go.id")
    pages.append(f"/e/{event.slug}/checkin")
    for path in pages:
        html = client.get(path).get_data(as_text=True)
        assert "<img src=x" not in html and "</script><img" not in html, path
        assert "&lt;img src=x" in html or "\\u003cimg src=x" in html, path


def test_each_kind_of_response_gets_its_cache_policy(client, auth, make):
    from tests import materials_support as samples

    event = make.event()
    make.user("admin@example.go.id", "admin")
    # Anonymous: the liveness probe is never kept, the public pages say nothing.
    assert client.get("/healthz").headers["Cache-Control"] == "no-store"
    assert "Cache-Control" not in client.get(f"/e/{event.slug}").headers
    assert "no-store" not in client.get("/static/css/app.css").headers.get("Cache-Control", "")

    auth.login("admin@example.go.id")
    client.post(f"/admin/acara/{event.slug}/materi", content_type="multipart/form-data",
                data={"files": [(io.BytesIO(samples.pdf()), "a.pdf")], "visibility": "public"})
    [material_id] = db.session.execute(db.text("SELECT id FROM materials")).scalars().all()
    policies = {
        # The admin blueprint's policy beats send_file's own "no-cache" on the workbook.
        f"/admin/acara/{event.slug}/daftar-hadir.xlsx": "private, no-store",
        f"/admin/acara/{event.slug}/materi/{material_id}/unduh": "private, no-store",
        f"/api/v1/events/{event.slug}/counts": "private, no-store",
        # A response given its own policy keeps it, even for a signed-in admin.
        f"/e/{event.slug}/materi/{material_id}": "no-cache",
        "/checkin-sw.js": "no-cache",
        # Anything else a signed-in committee member sees.
        f"/e/{event.slug}": "private, no-store",
        f"/e/{event.slug}/checkin": "private, no-store",
    }
    for path, policy in policies.items():
        response = client.get(path)
        assert (response.status_code, response.headers["Cache-Control"]) == (200, policy), path


def test_cache_control_is_written_in_one_module_only():
    app_folder = Path(__file__).resolve().parent.parent / "app"
    writers = sorted(
        str(path.relative_to(app_folder)) for path in app_folder.rglob("*.py") if "Cache-Control" in path.read_text()
    )
    assert writers == ["security_headers.py"]
