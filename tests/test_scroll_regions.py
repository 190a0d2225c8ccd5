"""Every wrapper that scrolls a wide table sideways is reachable by the keyboard and named
(WCAG 2.1.1): one macro, `scroll_region` in templates/_macros.html, on every such wrapper."""
import re
from pathlib import Path

from app.audit import record_access
from app.certificates.issuing import issue_certificates
from app.extensions import db
from tests.certificates_support import attend

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
WRAPPER = re.compile(r'<[a-z]+[^>]*class="[^"]*\btable-(?:scroll|wrap)\b[^"]*"[^>]*>')


def test_every_scrolling_wrapper_in_the_templates_uses_the_macro():
    wrappers = [(path.name, tag) for path in TEMPLATES.rglob("*.html") for tag in WRAPPER.findall(path.read_text())]
    assert len(wrappers) >= 15
    assert [(name, tag) for name, tag in wrappers if "scroll_region(" not in tag] == []


def scroll_wrappers(html):
    return WRAPPER.findall(html)


def test_the_certificate_messages_and_access_log_tables_are_focusable_regions(client, make, auth):
    event = make.event()
    person = make.registration(event)
    attend(person, *event.days)
    issue_certificates(event)
    admin = make.user("admin@example.go.id", role="admin", tenant=event.tenant)
    record_access(admin, event, "export", "daftar hadir")
    db.session.commit()
    auth.login("admin@example.go.id")
    for url in (f"/admin/acara/{event.slug}/sertifikat", f"/admin/acara/{event.slug}/pesan",
                f"/admin/acara/{event.slug}/lencana", f"/admin/acara/{event.slug}/peserta", "/admin/akses-data"):
        wrappers = scroll_wrappers(client.get(url).get_data(as_text=True))
        assert wrappers, url
        for tag in wrappers:
            assert 'tabindex="0"' in tag and 'role="region"' in tag, (url, tag)
            assert re.search(r'aria-label="[^"]+"', tag), (url, tag)
