"""Committee accounts on the web (/admin/pengguna) and from the CLI, every change in the admin audit log,
and the refusal of all of it to operators."""
import re

import pytest
from flask import g

from app.extensions import db
from app.models import AdminAuditEntry, ApiToken, EventOperator, User
from tests.factories import PASSWORD

USERS = "/admin/pengguna"
SLUG = "bimtek-uji"


@pytest.fixture
def clock(monkeypatch):
    """The memos' clock (app/cache.py), moved by hand."""
    now = [1000.0]
    monkeypatch.setattr("app.cache.monotonic", lambda: now[0])
    return now


def log():
    """The audit log, oldest first, as (actor, action, target, detail)."""
    return [tuple(row) for row in db.session.execute(
        db.select(AdminAuditEntry.actor, AdminAuditEntry.action, AdminAuditEntry.target, AdminAuditEntry.detail)
        .order_by(AdminAuditEntry.id)
    ).all()]


def user_named(email):
    db.session.expire_all()
    return db.session.execute(db.select(User).filter_by(email=email)).scalar_one()


def shown_password(response):
    page = response.get_data(as_text=True)
    return re.search(r'<code class="mono password" id="new-password">([^<]+)</code>', page)[1]


def fresh_client(app):
    """A client of its own. The tests share one app context, where Flask-Login keeps the signed-in user
    (g._login_user): forget it, so that each request loads its own client's user."""
    g.pop("_login_user", None)
    return app.test_client()


def can_log_in(app, email, password):
    response = fresh_client(app).post("/masuk/", data={"email": email, "password": password})
    g.pop("_login_user", None)
    return response.status_code == 302


def signed_in_device(app, email, password=PASSWORD):
    """Another device (a client of its own) signed in as `email`."""
    device = fresh_client(app)
    assert device.post("/masuk/", data={"email": email, "password": password}).status_code == 302
    g.pop("_login_user", None)
    return device


def still_signed_in(device):
    """Whether `device` is still signed in: /akun/sandi is for signed-in users only."""
    g.pop("_login_user", None)
    response = device.get("/akun/sandi")
    g.pop("_login_user", None)
    assert response.status_code in (200, 302)
    return response.status_code == 200


def scan(app, secret, ticket):
    """A check-in from a scanner device, on a client of its own (no admin session)."""
    return fresh_client(app).post("/api/v1/checkins", json={"token": ticket, "event": SLUG, "day": "2022-06-13"},
                                  headers={"Authorization": f"Bearer {secret}"})


def test_invite_shows_the_password_once_and_logs_it(app, client, admin, make):
    tenant = make.tenant()
    response = client.post(USERS, data={"email": " Meja1@Serangkota.go.id ", "name": "Meja Satu", "role": "operator",
                                        "tenant": str(tenant.id)})
    assert response.status_code == 201
    password = shown_password(response)
    assert len(password) >= 16
    operator = user_named("meja1@serangkota.go.id")
    assert (operator.role, operator.name, operator.active) == ("operator", "Meja Satu", True)
    assert can_log_in(app, "meja1@serangkota.go.id", password)
    assert password not in client.get(USERS).get_data(as_text=True)  # shown once only
    page = client.get(USERS).get_data(as_text=True)
    assert "meja1@serangkota.go.id" in page and "akun dibuat" in page and "admin@example.go.id" in page
    assert log() == [("admin@example.go.id", "user_created", "meja1@serangkota.go.id", "operator")]
    again = client.post(USERS, data={"email": "meja1@serangkota.go.id", "role": "admin", "tenant": "semua"})
    assert again.status_code == 422 and "Sudah ada akun dengan e-mail ini." in again.get_data(as_text=True)
    bad = client.post(USERS, data={"email": "bukan-email", "role": "ketua"})
    assert bad.status_code == 422
    bad_email = client.post(USERS, data={"email": "bukan-email", "role": "operator", "tenant": str(tenant.id)})
    assert bad_email.status_code == 422 and "Alamat e-mail tidak valid." in bad_email.get_data(as_text=True)
    assert len(log()) == 1


def test_assign_and_unassign_an_operator(client, admin, make):
    event = make.event()
    operator = make.user("meja@example.go.id", role="operator")
    page = client.get(f"{USERS}/{operator.id}")
    assert page.status_code == 200 and "Bimtek Uji Coba" in page.get_data(as_text=True)
    assert client.post(f"{USERS}/{operator.id}/acara", data={"event": event.id}).status_code == 303
    assert db.session.execute(db.select(EventOperator.user_id)).scalars().all() == [operator.id]
    assert client.post(f"{USERS}/{operator.id}/acara", data={"event": 999}).status_code == 303  # refused, flashed
    assert client.post(f"{USERS}/{operator.id}/acara/{event.id}/lepas").status_code == 303
    assert db.session.execute(db.select(EventOperator)).first() is None
    assert client.post(f"{USERS}/{operator.id}/acara/{event.id}/lepas").status_code == 404
    assert log() == [("admin@example.go.id", "operator_assigned", "meja@example.go.id", SLUG),
                     ("admin@example.go.id", "operator_unassigned", "meja@example.go.id", SLUG)]
    assert "dilepas dari acara" in client.get(f"{USERS}/{operator.id}").get_data(as_text=True)


def test_deactivate_refuses_sign_in_and_tokens_then_reactivate(app, client, admin, make, clock):
    event = make.event()
    operator = make.user("meja@example.go.id", role="operator")
    from app.tenants.operators import assign_operator

    assign_operator(operator, event)
    db.session.commit()
    secret = make.api_token(operator)
    ticket = make.registration(event).ticket_token
    assert scan(app, secret, ticket).status_code == 201
    asked = client.post(f"{USERS}/{operator.id}/nonaktifkan")
    assert asked.status_code == 200 and "1 token API-nya ditolak" in asked.get_data(as_text=True)
    assert user_named("meja@example.go.id").active is True
    assert client.post(f"{USERS}/{operator.id}/nonaktifkan", data={"confirmed": "yes"}).status_code == 303
    assert user_named("meja@example.go.id").active is False
    assert not can_log_in(app, "meja@example.go.id", PASSWORD)
    clock[0] += app.config["CHECKIN_CACHE_SECONDS"] + 0.1
    assert scan(app, secret, ticket).status_code == 401
    assert client.post(f"{USERS}/{operator.id}/aktifkan").status_code == 303
    assert can_log_in(app, "meja@example.go.id", PASSWORD)
    assert [entry[1] for entry in log()] == ["deactivated", "reactivated"]


def test_an_admin_cannot_lock_themselves_or_everyone_out(client, admin, make):
    assert client.post(f"{USERS}/{admin.id}/nonaktifkan", data={"confirmed": "yes"}).status_code == 303
    assert user_named("admin@example.go.id").active is True
    assert client.post(f"{USERS}/{admin.id}/peran", data={"role": "operator"}).status_code == 303
    assert user_named("admin@example.go.id").role == "admin"
    page = client.get(f"{USERS}/{admin.id}").get_data(as_text=True)
    assert "Anda tidak dapat menonaktifkan atau menurunkan peran akun Anda sendiri." in page
    other = make.user("kedua@example.go.id", role="admin", tenant=make.tenant())
    assert client.post(f"{USERS}/{other.id}/peran", data={"role": "operator"}).status_code == 303
    assert user_named("kedua@example.go.id").role == "operator"
    assert log() == [("admin@example.go.id", "role_changed", "kedua@example.go.id", "admin → operator")]


def test_the_last_active_admin_stays(make):
    from app.accounts import services

    only = make.user()
    with pytest.raises(services.AccountRefused) as refused:
        services.set_active(only, False, None)  # from the CLI
    assert refused.value.code == "last_admin"


def test_reset_password_shows_a_new_one_once(app, client, admin, make):
    operator = make.user("meja@example.go.id", role="operator")
    asked = client.post(f"{USERS}/{operator.id}/sandi")
    page = asked.get_data(as_text=True)
    assert "tidak berlaku lagi" in page and 'id="new-password"' not in page
    assert can_log_in(app, "meja@example.go.id", PASSWORD)
    response = client.post(f"{USERS}/{operator.id}/sandi", data={"confirmed": "yes"})
    assert response.status_code == 200
    password = shown_password(response)
    assert not can_log_in(app, "meja@example.go.id", PASSWORD)
    assert can_log_in(app, "meja@example.go.id", password)
    assert log() == [("admin@example.go.id", "password_reset", "meja@example.go.id", "")]
    assert password not in client.get(f"{USERS}/{operator.id}").get_data(as_text=True)


def test_tokens_are_listed_and_a_revoked_one_is_refused_within_the_bound(app, client, admin, make, clock):
    event = make.event()
    operator = make.user("meja@example.go.id", role="operator")
    from app.auth.services import issue_api_token
    from app.tenants.operators import assign_operator

    assign_operator(operator, event)
    desk1, desk2 = issue_api_token(operator, "meja-1"), issue_api_token(operator, "meja-2")
    db.session.commit()
    ticket = make.registration(event).ticket_token
    assert scan(app, desk1, ticket).status_code == 201  # meja-1 now has a "last used"
    page = client.get(f"{USERS}/{operator.id}").get_data(as_text=True)
    assert "meja-1" in page and "meja-2" in page and page.count("WIB") >= 3
    token_id = db.session.execute(db.select(ApiToken.id).filter_by(name="meja-1")).scalar_one()
    asked = client.post(f"{USERS}/{operator.id}/token/{token_id}/cabut")
    assert asked.status_code == 200 and "perangkat yang memakainya perlu token baru" in asked.get_data(as_text=True)
    revoke = {"confirmed": "yes"}
    assert client.post(f"{USERS}/{operator.id}/token/{token_id}/cabut", data=revoke).status_code == 303
    assert client.post(f"{USERS}/{operator.id}/token/{token_id}/cabut", data=revoke).status_code == 404
    clock[0] += app.config["CHECKIN_CACHE_SECONDS"] - 0.1
    assert scan(app, desk1, ticket).status_code == 200  # remembered by this process, within the bound
    clock[0] += 0.2
    assert scan(app, desk1, ticket).status_code == 401  # refused once the bound has passed
    assert scan(app, desk2, ticket).status_code == 200  # the other desk goes on
    assert log() == [("admin@example.go.id", "token_revoked", "meja@example.go.id", "meja-1")]
    assert "dicabut" in client.get(f"{USERS}/{operator.id}").get_data(as_text=True)


def test_everyone_changes_their_own_password(app, client, auth, make):
    make.user("meja@example.go.id", role="operator")
    auth.login("meja@example.go.id")
    assert client.get("/akun/sandi").status_code == 200
    new = {"new": "sandi-baru-123", "confirm": "sandi-baru-123"}
    wrong = client.post("/akun/sandi", data={"current": "salah-sekali", **new})
    assert wrong.status_code == 422 and "Kata sandi saat ini salah." in wrong.get_data(as_text=True)
    short = client.post("/akun/sandi", data={"current": PASSWORD, "new": "pendek", "confirm": "pendek"})
    assert short.status_code == 422 and "paling sedikit 10" in short.get_data(as_text=True)
    common = client.post("/akun/sandi", data={"current": PASSWORD, "new": "1234567890", "confirm": "1234567890"})
    assert common.status_code == 422 and "hanya angka" in common.get_data(as_text=True)
    differ = client.post("/akun/sandi", data={"current": PASSWORD, "new": "sandi-baru-123", "confirm": "lain-lagi-123"})
    assert differ.status_code == 422
    done = client.post("/akun/sandi", data={"current": PASSWORD, **new})
    assert done.status_code == 303
    assert can_log_in(app, "meja@example.go.id", "sandi-baru-123")
    assert not can_log_in(app, "meja@example.go.id", PASSWORD)
    assert log() == [("meja@example.go.id", "password_changed", "meja@example.go.id", "")]
    auth.logout()
    assert client.get("/akun/sandi").status_code == 302  # to the login page


@pytest.mark.parametrize(("method", "path"), [
    ("get", USERS), ("post", USERS), ("get", f"{USERS}/1"), ("post", f"{USERS}/1/peran"),
    ("post", f"{USERS}/1/nonaktifkan"), ("post", f"{USERS}/1/aktifkan"), ("post", f"{USERS}/1/sandi"),
    ("post", f"{USERS}/1/acara"), ("post", f"{USERS}/1/acara/1/lepas"), ("post", f"{USERS}/1/token/1/cabut"),
])
def test_operators_are_refused_every_account_action(client, auth, make, method, path):
    admin = make.user()
    assert admin.id == 1
    make.user("meja@example.go.id", role="operator")
    auth.login("meja@example.go.id")
    data = {"email": "x@example.go.id", "role": "admin", "event": "1"} if method == "post" else None
    response = getattr(client, method)(path, data=data)
    assert response.status_code == 403
    assert log() == []
    assert user_named("admin@example.go.id").active is True


def test_cli_account_commands(runner, make):
    event = make.event()
    make.user()
    operator = make.user("meja@example.go.id", role="operator")
    from app.auth.services import issue_api_token

    issue_api_token(operator, "meja-1")
    issue_api_token(operator, "meja-2")
    db.session.commit()
    assigned = runner.invoke(args=["assign-operator", "meja@example.go.id", SLUG])
    assert assigned.exit_code == 0, assigned.output
    listed = runner.invoke(args=["list-users"])
    assert listed.exit_code == 0
    assert "meja@example.go.id\toperator\tactive\tevents: bimtek-uji\ttokens: 2" in listed.output
    assert "admin@example.go.id\tadmin\tactive" in listed.output

    revoked = runner.invoke(args=["revoke-tokens", "meja@example.go.id", "--name", "meja-1"])
    assert revoked.exit_code == 0 and "Revoked 1 token(s)" in revoked.output
    assert runner.invoke(args=["revoke-tokens", "meja@example.go.id"]).output.startswith("Revoked 1 token(s)")

    generation = user_named("meja@example.go.id").session_generation
    set_password = runner.invoke(args=["set-password", "meja@example.go.id"], input="sandi-dari-cli\n")
    assert set_password.exit_code == 0, set_password.output
    assert user_named("meja@example.go.id").check_password("sandi-dari-cli")
    assert user_named("meja@example.go.id").session_generation != generation  # every session ended
    short = runner.invoke(args=["set-password", "meja@example.go.id"], input="pendek\n")
    assert short.exit_code == 1 and "paling sedikit 10" in short.output
    email = runner.invoke(args=["set-password", "meja@example.go.id"], input="meja@example.go.id\n")
    assert email.exit_code == 1 and "sama dengan alamat e-mail" in email.output

    unassigned = runner.invoke(args=["unassign-operator", "meja@example.go.id", SLUG])
    assert unassigned.exit_code == 0 and "no longer works on bimtek-uji" in unassigned.output
    assert db.session.execute(db.select(EventOperator)).first() is None

    deactivated = runner.invoke(args=["deactivate-user", "meja@example.go.id"])
    assert deactivated.exit_code == 0 and "deactivated" in deactivated.output
    assert "meja@example.go.id\toperator\tDEACTIVATED" in runner.invoke(args=["list-users"]).output
    assert runner.invoke(args=["reactivate-user", "meja@example.go.id"]).exit_code == 0
    last = runner.invoke(args=["deactivate-user", "admin@example.go.id"])
    assert last.exit_code == 1 and "admin aktif terakhir" in last.output
    unknown = runner.invoke(args=["deactivate-user", "siapa@example.go.id"])
    assert unknown.exit_code == 1 and "Tidak ada akun dengan e-mail siapa@example.go.id." in unknown.output
    assert event.slug == SLUG
    assert [entry[:2] for entry in log()] == [
        ("cli", "operator_assigned"), ("cli", "token_revoked"), ("cli", "token_revoked"), ("cli", "password_set"),
        ("cli", "operator_unassigned"), ("cli", "deactivated"), ("cli", "reactivated"),
    ]


def test_deactivating_on_the_page_ends_the_users_sessions(app, client, admin, make):
    operator = make.user("meja@example.go.id", role="operator")
    desk = signed_in_device(app, "meja@example.go.id")
    assert still_signed_in(desk)
    assert client.post(f"{USERS}/{operator.id}/nonaktifkan").status_code == 200  # only asked
    assert still_signed_in(desk)
    assert client.post(f"{USERS}/{operator.id}/nonaktifkan", data={"confirmed": "yes"}).status_code == 303
    assert not still_signed_in(desk)
    assert client.post(f"{USERS}/{operator.id}/aktifkan").status_code == 303
    assert not still_signed_in(desk)  # reactivating does not bring the old session back
    assert still_signed_in(signed_in_device(app, "meja@example.go.id"))


def test_resetting_a_password_on_the_page_ends_the_users_sessions(app, client, admin, make):
    operator = make.user("meja@example.go.id", role="operator")
    desk = signed_in_device(app, "meja@example.go.id")
    response = client.post(f"{USERS}/{operator.id}/sandi", data={"confirmed": "yes"})
    assert response.status_code == 200
    assert not still_signed_in(desk)
    assert still_signed_in(signed_in_device(app, "meja@example.go.id", shown_password(response)))
    assert still_signed_in(client)  # the admin who reset it stays signed in


def test_changing_a_role_on_the_page_ends_the_users_sessions(app, client, admin, make):
    operator = make.user("meja@example.go.id", role="operator")
    desk = signed_in_device(app, "meja@example.go.id")
    assert client.post(f"{USERS}/{operator.id}/peran", data={"role": "admin", "tenant": "semua"}).status_code == 303
    assert not still_signed_in(desk)


def test_changing_ones_own_password_signs_out_the_other_devices_only(app, client, auth, make):
    make.user("meja@example.go.id", role="operator")
    auth.login("meja@example.go.id")
    phone = signed_in_device(app, "meja@example.go.id")
    laptop = signed_in_device(app, "meja@example.go.id")
    assert still_signed_in(phone) and still_signed_in(laptop)
    g.pop("_login_user", None)
    new = {"current": PASSWORD, "new": "sandi-baru-123", "confirm": "sandi-baru-123"}
    assert phone.post("/akun/sandi", data=new).status_code == 303
    assert still_signed_in(phone)  # the device it was changed on
    assert not still_signed_in(laptop) and not still_signed_in(client)


def test_resetting_ones_own_password_keeps_this_device_signed_in(app, client, admin):
    other = signed_in_device(app, "admin@example.go.id")
    response = client.post(f"{USERS}/{admin.id}/sandi", data={"confirmed": "yes"})
    assert response.status_code == 200 and shown_password(response)
    assert still_signed_in(client)
    assert not still_signed_in(other)
