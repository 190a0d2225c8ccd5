"""Committee passwords (issue 9, item 8): at least 10 characters, not only digits, not the e-mail,
not a common password; one checker for `flask create-user` and every password form."""
import pytest
from wtforms import EmailField, PasswordField

from app.auth.passwords import StrongPassword, password_problem
from app.extensions import db
from app.forms import Form
from app.models import User

EMAIL = "panitia.serang@serangkota.go.id"

REFUSED = [
    ("pendek-1", "too_short", "Kata sandi paling sedikit 10 karakter."),
    ("123456789012", "only_digits", "Kata sandi tidak boleh hanya angka."),
    ("1985 0612 2010", "only_digits", "Kata sandi tidak boleh hanya angka."),
    ("١٢٣٤٥٦٧٨٩٠١", "only_digits", "Kata sandi tidak boleh hanya angka."),
    (EMAIL, "is_email", "Kata sandi tidak boleh sama dengan alamat e-mail."),
    ("PANITIA.SERANG", "is_email", "Kata sandi tidak boleh sama dengan alamat e-mail."),
    (f"x{EMAIL.upper()}1", "is_email", "Kata sandi tidak boleh sama dengan alamat e-mail."),
    ("Password123", "common", "Kata sandi ini terlalu umum dan mudah ditebak. Pilih yang lain."),
    ("bismillah123", "common", "Kata sandi ini terlalu umum dan mudah ditebak. Pilih yang lain."),
    ("qwertyuiop", "common", "Kata sandi ini terlalu umum dan mudah ditebak. Pilih yang lain."),
    ("diskominfo123", "common", "Kata sandi ini terlalu umum dan mudah ditebak. Pilih yang lain."),
    ("x" * 201, "too_long", "Kata sandi paling banyak 200 karakter."),
]


def user_count():
    return db.session.execute(db.select(db.func.count()).select_from(User)).scalar_one()


@pytest.mark.parametrize(("password", "code", "message"), REFUSED)
def test_create_user_refuses_a_weak_password_with_the_reason(runner, password, code, message):
    result = runner.invoke(args=["create-user", EMAIL, "--role", "admin", "--all-tenants"], input=f"{password}\n")
    assert result.exit_code != 0
    assert message in result.output
    assert user_count() == 0
    assert password_problem(password, EMAIL) == code


@pytest.mark.parametrize("password", ["rahasia-panitia-123", "Kopi tubruk 7 gelas", "serang-2022-bimtek", "tepat-10ch"])
def test_create_user_accepts_a_good_password(runner, password):
    result = runner.invoke(args=["create-user", EMAIL, "--role", "pengamat", "--all-tenants"], input=f"{password}\n")
    assert result.exit_code == 0, result.output
    assert db.session.execute(db.select(User)).scalar_one().check_password(password)


def test_the_suites_password_meets_the_rules(make):
    assert password_problem(make.PASSWORD, "admin@example.go.id") is None


class PasswordForm(Form):
    email = EmailField()
    password = PasswordField(validators=[StrongPassword()])


@pytest.mark.parametrize(("password", "code", "message"), REFUSED)
def test_a_password_form_refuses_with_the_same_checker_and_message(app, password, code, message):
    with app.test_request_context(method="POST", data={"email": EMAIL, "password": password}):
        form = PasswordForm(meta={"csrf": False})
        assert not form.validate()
        assert [str(error) for error in form.password.errors] == [message]
    with app.test_request_context(method="POST", data={"email": EMAIL, "password": "rahasia-panitia-123"}):
        assert PasswordForm(meta={"csrf": False}).validate()

