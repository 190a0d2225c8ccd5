"""Rate limits that hold (issue 9, item 6): the per-account limit of failed logins is kept in the
database, whatever the rate limiter's storage; with that storage (Redis) unreachable, login and
registration still answer, limited in memory, with a warning in the log."""
import json
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.extensions import db
from app.models import LoginFailure

ROOT = Path(__file__).resolve().parent.parent
ADMIN = "admin@example.go.id"
LOCKED = "Terlalu banyak percobaan masuk yang gagal untuk akun ini"


def login(client, email, password):
    return client.post("/masuk/", data={"email": email, "password": password})


@pytest.fixture
def clock(monkeypatch):
    """The throttle's clock, moved by the test."""
    now = [datetime(2026, 12, 1, 8, 0, tzinfo=UTC)]
    monkeypatch.setattr("app.auth.throttle.utcnow", lambda: now[0])
    return now


def test_ten_failed_logins_make_the_account_wait_even_with_the_right_password(client, make, clock):
    make.user(ADMIN)
    for _ in range(10):
        response = login(client, ADMIN, "salah-sekali-123")
        assert response.status_code == 200 and "E-mail atau kata sandi salah." in response.get_data(as_text=True)
        clock[0] += timedelta(seconds=30)
    locked = login(client, ADMIN, make.PASSWORD)
    assert locked.status_code == 429
    assert f"{LOCKED}. Coba lagi dalam 10 menit." in locked.get_data(as_text=True)
    assert "Keluar" not in client.get("/").get_data(as_text=True)
    # The first failure is 15 minutes old at 08:15:00: one fewer than the limit then.
    clock[0] = datetime(2026, 12, 1, 8, 15, 1, tzinfo=UTC)
    assert login(client, ADMIN, make.PASSWORD).status_code == 302


def test_the_limit_is_per_account_and_the_same_for_unknown_addresses(app, client, make, clock):
    make.user(ADMIN)
    make.user("lain@example.go.id")
    for email in (ADMIN, "tidak-ada@example.go.id"):
        for _ in range(10):
            login(client, email.upper(), "salah-sekali-123")
        assert login(client, email, "apa-saja-123").status_code == 429
    assert login(client, "lain@example.go.id", make.PASSWORD).status_code == 302


def test_a_successful_login_starts_the_count_again(client, make, clock):
    make.user(ADMIN)
    for _ in range(9):
        login(client, ADMIN, "salah-sekali-123")
    assert login(client, ADMIN, make.PASSWORD).status_code == 302
    client.post("/masuk/keluar")
    for _ in range(9):
        login(client, ADMIN, "salah-sekali-123")
    assert login(client, ADMIN, make.PASSWORD).status_code == 302


def test_old_failures_are_forgotten(client, make, clock):
    make.user(ADMIN)
    for _ in range(3):
        login(client, ADMIN, "salah-sekali-123")
    clock[0] += timedelta(minutes=16)
    login(client, "lain@example.go.id", "salah-sekali-123")
    assert db.session.execute(db.select(LoginFailure.email)).scalars().all() == ["lain@example.go.id"]


def test_an_over_long_address_is_counted_without_an_error(client, make):
    email = "a" * 400 + "@example.go.id"
    for _ in range(11):
        response = login(client, email, "salah-sekali-123")
    assert response.status_code == 429


SCRIPT = textwrap.dedent("""
    import json, logging, sys
    from app import create_app
    from config import TestingConfig

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=sys.argv[1], UPLOAD_FOLDER=sys.argv[2],
                     RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="redis://127.0.0.1:1",
                     RATELIMIT_LOGIN="3 per minute", RATELIMIT_REGISTER="2 per minute")
    client = app.test_client()
    answers = {"login": [], "register": []}
    for password in ("salah-sekali-123", sys.argv[3], sys.argv[3], sys.argv[3]):
        client.cookie_jar.clear() if hasattr(client, "cookie_jar") else None
        answers["login"].append(client.post("/masuk/", data={"email": "admin@example.go.id",
                                                             "password": password}).status_code)
        client.post("/masuk/keluar")
    form = json.loads(sys.argv[4])
    for n in range(3):
        answers["register"].append(client.post("/e/bimtek-uji/daftar", data=dict(
            form, email=f"orang{n}@example.go.id", nip="")).status_code)
    print(json.dumps(answers))
""")


def test_with_redis_unreachable_login_and_registration_still_work_limited_in_memory(app, make, tmp_path):
    make.user(ADMIN)
    event = make.event()
    organization = make.event_organization_list(event)[0]
    form = {**make.participant(), "organization": str(organization.id), "consent": "y"}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, app.config["SQLALCHEMY_DATABASE_URI"], str(tmp_path), make.PASSWORD,
         json.dumps(form)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    # Three logins a minute per address, counted in memory: the fourth is refused, nothing is a 500.
    assert answers["login"] == [200, 302, 302, 429]
    assert answers["register"] == [303, 303, 429]
    assert "Rate limit storage unreachable - falling back to in-memory storage" in result.stderr


def test_thirty_wrong_passwords_at_once_get_no_more_than_ten_looks_at_the_password(app, make, monkeypatch):
    """Every worker and thread shares the count: each attempt is committed before its password is checked."""
    import threading

    from app.auth import services
    from app.auth.throttle import LoginLocked
    from tests.concurrency import run_in_threads

    make.user(ADMIN)
    checked, errors, outcomes = [], [], []
    real = services.authenticate
    monkeypatch.setattr(services, "authenticate", lambda email, password: checked.append(1) or real(email, password))
    barrier = threading.Barrier(30, timeout=30)

    def attempt():
        with app.test_request_context(), app.app_context():
            try:
                barrier.wait()
                try:
                    outcomes.append(services.log_in(ADMIN, "salah-sekali-123"))
                except LoginLocked:
                    outcomes.append("locked")
                db.session.commit()
            except Exception as error:  # noqa: BLE001  (reported below)
                errors.append(error)
            finally:
                db.session.remove()

    run_in_threads(attempt, [() for _ in range(30)])
    assert errors == []
    assert len(checked) <= 10
    assert outcomes.count("locked") == 30 - len(checked) >= 20
    assert db.session.execute(db.select(db.func.count()).select_from(LoginFailure)).scalar_one() == len(checked)
