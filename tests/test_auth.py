from datetime import timedelta
from email.utils import parsedate_to_datetime

import pytest

from app.models import utcnow


def test_login_and_logout(client, auth, make):
    make.user("admin@example.go.id")
    page = client.get("/masuk/").get_data(as_text=True)
    assert "Masuk panitia" in page
    response = auth.login("ADMIN@example.go.id")
    assert response.status_code == 302
    assert "Keluar" in client.get("/").get_data(as_text=True)
    auth.logout()
    assert "Keluar" not in client.get("/").get_data(as_text=True)


def test_wrong_password_is_refused_with_a_message(client, auth, make):
    make.user("admin@example.go.id")
    response = auth.login("admin@example.go.id", "salah-sekali")
    assert response.status_code == 200
    assert "E-mail atau kata sandi salah." in response.get_data(as_text=True)
    assert "Keluar" not in client.get("/").get_data(as_text=True)


def test_login_never_redirects_off_site(client, make):
    make.user("admin@example.go.id")
    response = client.post("/masuk/?next=//evil.example/x",
                           data={"email": "admin@example.go.id", "password": make.PASSWORD})
    assert response.headers["Location"] == "/"


# Browsers drop tabs and line breaks from URLs and read "\\" as "/": each of these leads off site.
SNEAKY_NEXT = ["/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "/\\evil.example",
               "/\t\\evil.example", "\t//evil.example"]


@pytest.mark.parametrize("target", SNEAKY_NEXT)
def test_redirects_after_login_and_language_switch_stay_on_site_for_sneaky_paths(client, make, target):
    make.user("admin@example.go.id")
    switched = client.get("/bahasa/en", query_string={"next": target})
    assert (switched.status_code, switched.headers["Location"]) == (302, "/")
    logged_in = client.post("/masuk/", query_string={"next": target},
                            data={"email": "admin@example.go.id", "password": make.PASSWORD})
    assert (logged_in.status_code, logged_in.headers["Location"]) == (302, "/")
    again = client.get("/masuk/", query_string={"next": target})  # already logged in
    assert (again.status_code, again.headers["Location"]) == (302, "/")


def test_language_switch_never_redirects_off_site(client):
    assert client.get("/bahasa/en?next=https://evil.example").headers["Location"] == "/"
    assert client.get("/bahasa/en?next=/e/x").headers["Location"] == "/e/x"


def test_the_home_page_shows_committee_members_the_desks_they_may_open(client, auth, make):
    from app.extensions import db
    from app.tenants.operators import assign_operator

    event = make.event()
    make.event(slug="lain")
    operator = make.user("operator@example.go.id", role="operator")
    assign_operator(operator, event)
    db.session.commit()
    assert "/checkin" not in client.get("/").get_data(as_text=True)
    auth.login("operator@example.go.id")
    page = client.get("/").get_data(as_text=True)
    assert "/e/bimtek-uji/checkin" in page and "/e/lain/checkin" not in page
    assert "/admin/" not in page


def test_an_unknown_e_mail_costs_a_password_check_like_a_wrong_password(app, make, monkeypatch):
    """Otherwise the login form answers faster for addresses without an account, and tells which exist."""
    import app.auth.services as services
    import app.models.user as user_model

    checks = []
    for module in (services, user_model):
        real = module.check_password_hash
        monkeypatch.setattr(module, "check_password_hash", lambda h, p, real=real: checks.append(1) or real(h, p))
    make.user("admin@example.go.id")
    for email in ("admin@example.go.id", "tidak-ada@example.go.id"):
        checks.clear()
        assert services.authenticate(email, "salah-sekali-123") is None
        assert len(checks) == 1, email


def test_an_install_hashes_passwords_with_scrypt_and_the_unknown_e_mail_check_too(app, make, monkeypatch):
    """The tests' config hashes cheaply (config.py); development and production hash with werkzeug's scrypt,
    the unknown e-mail's decoy check included (it costs what a real check costs)."""
    import app.auth.services as services
    from config import DevelopmentConfig, ProductionConfig

    assert DevelopmentConfig.PASSWORD_HASH_METHOD == ProductionConfig.PASSWORD_HASH_METHOD == "scrypt"
    monkeypatch.setitem(app.config, "PASSWORD_HASH_METHOD", ProductionConfig.PASSWORD_HASH_METHOD)
    user = make.user("admin@example.go.id")
    assert user.password_hash.startswith("scrypt:") and user.check_password(make.PASSWORD)
    hashes = []
    real = services.check_password_hash
    monkeypatch.setattr(services, "check_password_hash", lambda h, p: hashes.append(h) or real(h, p))
    assert services.authenticate("tidak-ada@example.go.id", "salah-sekali-123") is None
    assert [decoy.split("$")[0] for decoy in hashes] == [user.password_hash.split("$")[0]]


def test_a_server_error_on_a_ticket_page_logs_the_route_not_the_token(client, make, monkeypatch, caplog):
    import app.registration.routes as routes

    registration = make.registration(make.event())
    monkeypatch.setattr(routes, "material_groups", lambda *a, **k: 1 / 0)
    with caplog.at_level("ERROR"):
        assert client.get(f"/tiket/{registration.ticket_token}").status_code == 500
    assert "/tiket/<token>" in caplog.text
    assert registration.ticket_token not in caplog.text


def test_a_deactivated_account_loses_the_sessions_it_already_has(client, auth, make):
    from app.extensions import db

    event = make.event()
    admin = make.user("admin@example.go.id")
    auth.login("admin@example.go.id")
    assert client.get(f"/admin/acara/{event.slug}/materi").status_code == 200
    admin.active = False
    db.session.commit()
    assert client.get(f"/admin/acara/{event.slug}/materi").status_code == 302
    assert client.get(f"/api/v1/events/{event.slug}/counts").status_code == 401
    assert client.get(f"/e/{event.slug}/checkin").status_code == 302


def test_logging_in_starts_a_new_session_keeping_only_the_language(app, client, make):
    """A CSRF token planted in the session before login is not the signed-in member's token."""
    make.user("admin@example.go.id")
    with client.session_transaction() as planted:
        planted["csrf_token"] = "ditanam-penyerang"
        planted["lang"] = "en"
        planted["lain"] = "x"
    client.post("/masuk/", data={"email": "admin@example.go.id", "password": make.PASSWORD})
    with client.session_transaction() as session:
        assert session.get("csrf_token") != "ditanam-penyerang"
        assert "lain" not in session
        assert session["lang"] == "en"
        assert session["_user_id"]


def test_remember_me_lasts_two_weeks_not_a_year(client, make):
    make.user("panitia@example.go.id")
    response = client.post("/masuk/", data={"email": "panitia@example.go.id", "password": make.PASSWORD,
                                            "remember": "y"})
    assert response.status_code == 302
    cookie = next(header for header in response.headers.getlist("Set-Cookie") if header.startswith("remember_token="))
    expires = next(part for part in cookie.split("; ") if part.startswith("Expires="))
    left = parsedate_to_datetime(expires[len("Expires="):]) - utcnow()
    assert timedelta(days=13) < left <= timedelta(days=14)
    assert "HttpOnly" in cookie
