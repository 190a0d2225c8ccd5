"""Sessions can be ended on the server: logout, a new password, deactivation and another role end
every session and remember-me cookie of that account (issue 9, item 5)."""
import pytest
from flask.testing import FlaskClient

from app.auth.services import change_role, end_sessions, set_active, set_password
from app.extensions import db
from app.models import User

ADMIN = "admin@example.go.id"


class Device(FlaskClient):
    """A test client whose every request has an app context of its own, as in production.

    The tests' own app context is otherwise shared by the requests, and with it `g`, where
    Flask-Login keeps the user it loaded: a second device would see the first one's user.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def device(app):
    app.test_client_class = Device
    try:
        return app.test_client()
    finally:
        app.test_client_class = None


def signed_in(app, make, email=ADMIN, remember=False):
    """A new client (a device) logged in as `email`."""
    client = device(app)
    response = client.post("/masuk/", data={"email": email, "password": make.PASSWORD,
                                            **({"remember": "y"} if remember else {})})
    assert response.status_code == 302
    return client


def is_signed_in(client):
    return client.get("/admin/").status_code == 200


def remember_cookie(client):
    cookie = client.get_cookie("remember_token")
    return cookie.value if cookie else None


def copy_of(app, client, name):
    """Another client holding only `name` cookie of `client` (a copied cookie)."""
    thief = device(app)
    thief.set_cookie(name, client.get_cookie(name).value)
    return thief


def test_a_session_cookie_copied_before_logout_no_longer_works_after_it(app, make):
    make.user(ADMIN)
    owner = signed_in(app, make)
    thief = copy_of(app, owner, "session")
    assert is_signed_in(thief)
    assert owner.post("/masuk/keluar").status_code == 302
    assert not is_signed_in(owner)
    assert not is_signed_in(thief)
    assert thief.get("/admin/").status_code == 302


def test_logging_out_ends_the_accounts_other_sessions_and_remember_me_cookies(app, make):
    make.user(ADMIN)
    laptop = signed_in(app, make)
    phone = signed_in(app, make, remember=True)
    remembered = copy_of(app, phone, "remember_token")  # the cookie alone, as a browser keeps it after a restart
    assert is_signed_in(laptop) and is_signed_in(phone) and is_signed_in(remembered)
    laptop.post("/masuk/keluar")
    assert not is_signed_in(phone)
    assert not is_signed_in(remembered)


def test_the_remember_me_cookie_is_not_the_same_value_at_every_login(app, make):
    make.user(ADMIN)
    first = signed_in(app, make, remember=True)
    cookie = remember_cookie(first)
    assert cookie
    first.post("/masuk/keluar")
    second = signed_in(app, make, remember=True)
    assert remember_cookie(second) and remember_cookie(second) != cookie
    old = device(app)
    old.set_cookie("remember_token", cookie)
    assert not is_signed_in(old)
    assert is_signed_in(copy_of(app, second, "remember_token"))


def test_two_logins_without_a_logout_get_different_remember_me_cookies_that_both_work(app, make):
    make.user(ADMIN)
    laptop, phone = signed_in(app, make, remember=True), signed_in(app, make, remember=True)
    assert remember_cookie(laptop) != remember_cookie(phone)
    assert is_signed_in(copy_of(app, laptop, "remember_token")) and is_signed_in(copy_of(app, phone, "remember_token"))


def test_logging_out_ends_only_that_accounts_sessions(app, make):
    make.user(ADMIN)
    make.user("lain@example.go.id")
    mine, theirs = signed_in(app, make), signed_in(app, make, "lain@example.go.id")
    mine.post("/masuk/keluar")
    assert is_signed_in(theirs)


@pytest.mark.parametrize("change", [
    lambda user: set_password(user, "kata-sandi-baru-2026"),
    lambda user: set_active(user, False),
    lambda user: change_role(user, "operator"),
    end_sessions,
])
def test_a_new_password_deactivation_or_another_role_ends_every_session(app, make, change):
    make.user(ADMIN)
    laptop, phone = signed_in(app, make), signed_in(app, make, remember=True)
    remembered = copy_of(app, phone, "remember_token")
    change(db.session.execute(db.select(User)).scalar_one())
    db.session.commit()
    for client in (laptop, phone, remembered):
        assert not is_signed_in(client)


def test_reactivating_or_keeping_the_role_keeps_the_sessions(app, make):
    user = make.user(ADMIN)
    laptop = signed_in(app, make)
    change_role(user, "admin")
    set_active(user, True)
    db.session.commit()
    assert is_signed_in(laptop)


def test_a_new_password_is_checked_by_the_rules(app, make):
    from app.auth.services import PasswordRefused

    user = make.user(ADMIN)
    laptop = signed_in(app, make)
    with pytest.raises(PasswordRefused):
        set_password(user, "1234567890")
    db.session.rollback()
    assert is_signed_in(laptop)


def test_sessions_from_before_the_session_generation_no_longer_work(app, make):
    """A session written by the previous version holds the bare id: after the upgrade it is unknown."""
    user = make.user(ADMIN)
    client = device(app)
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
    assert not is_signed_in(client)


@pytest.mark.parametrize("session_id", ["", ":", "1", "x:y", "１:abc", "99999999999999999999:abc", "1:é"])
def test_a_forged_or_odd_session_id_is_nobody(app, make, session_id):
    make.user(ADMIN)
    client = device(app)
    with client.session_transaction() as session:
        session["_user_id"] = session_id
    assert client.get("/admin/").status_code == 302


def test_a_check_in_station_signed_in_by_session_stops_at_once_when_its_sessions_end(app, make, desk):
    """The API remembers an operator's assignment for CHECKIN_CACHE_SECONDS; the session itself is
    checked at every request, so a station whose sessions were ended is refused at its next scan."""
    event, operator, _headers = desk
    app.config["CHECKIN_CACHE_SECONDS"] = 300
    tokens = [make.registration(event).ticket_token for _ in range(2)]
    station = signed_in(app, make, "meja@example.go.id")
    first = station.post("/api/v1/checkins", json={"token": tokens[0], "day": "2022-06-13"})
    assert first.status_code == 201
    set_active(db.session.get(User, operator.id), False)
    db.session.commit()
    refused = station.post("/api/v1/checkins", json={"token": tokens[1], "day": "2022-06-13"})
    assert refused.status_code == 401
    assert station.get(f"/api/v1/events/{event.slug}/counts").status_code == 401


def test_a_station_of_an_operator_made_admin_and_back_must_sign_in_again(app, make, desk):
    event, operator, _headers = desk
    app.config["CHECKIN_CACHE_SECONDS"] = 300
    token = make.registration(event).ticket_token
    station = signed_in(app, make, "meja@example.go.id")
    assert station.get(f"/api/v1/events/{event.slug}/counts").status_code == 200
    change_role(db.session.get(User, operator.id), "admin")
    db.session.commit()
    assert station.post("/api/v1/checkins", json={"token": token, "day": "2022-06-13"}).status_code == 401
