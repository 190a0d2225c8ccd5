"""The small things a person notices (issue 22, item 8): a way in for the committee, a verification
page for an unknown code, decimals as the active language writes them, one word per concept, and a CLI
that prints no deprecation warning."""
import os
import subprocess
import sys
from pathlib import Path

from flask_babel import force_locale

from app.formatting import decimal
from tests.evaluation_support import answer, likert_form, present

ROOT = Path(__file__).resolve().parent.parent


def test_masuk_panitia_in_the_footer_and_on_the_event_page(client, make):
    make.event()
    home = client.get("/").get_data(as_text=True)
    assert '<a href="/masuk/">Masuk panitia</a></footer>' in home
    page = client.get("/e/bimtek-uji").get_data(as_text=True)
    assert 'href="/masuk/?next=/admin/acara/bimtek-uji">Masuk panitia</a>' in page


def test_signed_in_staff_get_no_sign_in_link(client, make, auth):
    make.event()
    make.user()
    auth.login("admin@example.go.id")
    assert "Masuk panitia" not in client.get("/e/bimtek-uji").get_data(as_text=True)


def test_an_unknown_verification_code_says_the_certificate_is_not_registered(client, make):
    response = client.get("/verifikasi/BUKANKODE123")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Sertifikat tidak terdaftar" in page and 'data-status="unknown"' in page
    assert "Halaman tidak ditemukan" not in page


def test_decimals_follow_the_active_language(app):
    with app.test_request_context():
        assert decimal(66.66666, 1) == "66,7" and decimal(1234.5) == "1.234,5" and decimal(4.0, 2) == "4"
        assert decimal(4.5, 2, fixed=True) == "4,50" and decimal(None) == "–"
        with force_locale("en"):
            assert decimal(66.66666, 1) == "66.7" and decimal(1234.5) == "1,234.5"


def test_the_response_rate_is_written_in_the_page_language(client, admin, make):
    event = make.event()
    form = likert_form(client, event)
    people = [make.registration(event) for _ in range(3)]
    for person in people:
        present(person)
    answer(client, people[0], form, "5", "4", "")
    answer(client, people[1], form, "4", "2", "")
    url = f"/admin/acara/{event.slug}/evaluasi/{form.id}/hasil"
    assert "66,7%" in client.get(url).get_data(as_text=True)
    client.get("/bahasa/en")
    assert "66.7%" in client.get(url).get_data(as_text=True)


def test_one_word_per_concept_on_the_console(client, admin, make):
    event = make.event()
    make.registration(event)
    participants = client.get("/admin/acara/bimtek-uji/peserta").get_data(as_text=True)
    assert ">Check-in</button>" in participants and "Hadirkan" not in participants
    messages = client.get("/admin/acara/bimtek-uji/pesan").get_data(as_text=True)
    assert "Templat" in messages and "Template" not in messages
    assert "Alasan gagal" in messages and "Galat" not in messages


def test_no_cli_command_prints_a_deprecation_warning(tmp_path):
    """`flask --help` loads the app and every command (the certificates' pyHanko too), as any command does."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTHONWARNINGS", "HADIR_"))}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "--help"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "seed-demo" in result.stdout
    assert "Warning" not in result.stderr, result.stderr
