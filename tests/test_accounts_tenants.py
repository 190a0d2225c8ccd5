"""Accounts and tenants on /admin/pengguna: the install admin picks a new account's tenant (an install-wide
admin only when chosen on purpose), the list says whose each account is, and an account cannot be given
another tenant's event (that was a 500)."""
import pytest

from app.extensions import db
from app.models import EventOperator, User

USERS = "/admin/pengguna"
ADMIN_WITHOUT_TENANT = "Pilih pemerintah admin ini"


def account(email):
    db.session.expire_all()
    return db.session.execute(db.select(User).filter_by(email=email)).scalar_one_or_none()


@pytest.fixture
def tenants(make):
    return make.tenant("kota-serang", "Pemerintah Kota Serang"), make.tenant("kota-bogor", "Pemerintah Kota Bogor")


@pytest.fixture
def root(make, auth):
    make.user("root@hadir.go.id")
    auth.login("root@hadir.go.id")


def test_the_install_admin_picks_the_new_accounts_tenant(client, tenants, root):
    serang, _bogor = tenants
    page = client.get(USERS).get_data(as_text=True)
    assert "Pemerintah Kota Serang" in page and "Semua pemerintah (admin instalasi)" in page
    response = client.post(USERS, data={"email": "admin@serangkota.go.id", "role": "admin", "tenant": str(serang.id)})
    assert response.status_code == 201
    assert account("admin@serangkota.go.id").tenant_id == serang.id
    # The list says whose each account is.
    created = account("admin@serangkota.go.id")
    row = response.get_data(as_text=True).split(f'id="user-{created.id}"')[1].split("</tr>")[0]
    assert "Pemerintah Kota Serang" in row


def test_a_tenantless_admin_needs_the_explicit_choice(client, tenants, root):
    refused = client.post(USERS, data={"email": "admin2@hadir.go.id", "role": "admin", "tenant": ""})
    assert refused.status_code == 422
    assert ADMIN_WITHOUT_TENANT in refused.get_data(as_text=True)
    missing = client.post(USERS, data={"email": "admin2@hadir.go.id", "role": "admin"})
    assert missing.status_code == 422
    assert account("admin2@hadir.go.id") is None
    chosen = client.post(USERS, data={"email": "admin2@hadir.go.id", "role": "admin", "tenant": "semua"})
    assert chosen.status_code == 201
    created = account("admin2@hadir.go.id")
    assert (created.role, created.tenant_id) == ("admin", None)
    row = chosen.get_data(as_text=True).split(f'id="user-{created.id}"')[1].split("</tr>")[0]
    assert "semua pemerintah" in row


def test_an_operator_may_stay_without_a_tenant_and_an_unknown_tenant_is_refused(client, tenants, root):
    assert client.post(USERS, data={"email": "meja@hadir.go.id", "role": "operator", "tenant": ""}).status_code == 201
    assert account("meja@hadir.go.id").tenant_id is None
    unknown = client.post(USERS, data={"email": "meja2@hadir.go.id", "role": "operator", "tenant": "99999"})
    assert unknown.status_code == 422 and "Pilih pemerintah dari daftar." in unknown.get_data(as_text=True)
    assert account("meja2@hadir.go.id") is None


def test_a_tenant_admin_has_no_picker_and_cannot_make_an_install_admin(client, make, auth, tenants):
    serang, _bogor = tenants
    make.user("admin@serangkota.go.id", tenant=serang)
    auth.login("admin@serangkota.go.id")
    assert "Semua pemerintah (admin instalasi)" not in client.get(USERS).get_data(as_text=True)
    response = client.post(USERS, data={"email": "admin2@serangkota.go.id", "role": "admin", "tenant": "semua"})
    assert response.status_code == 201
    assert account("admin2@serangkota.go.id").tenant_id == serang.id


def test_another_tenants_event_is_refused_with_a_message_not_a_500(client, make, tenants, root):
    serang, bogor = tenants
    event = make.event(tenant=bogor)
    operator = make.user("meja@serangkota.go.id", role="operator", tenant=serang)
    # The page offers only the events of the account's tenant …
    assert event.title not in client.get(f"{USERS}/{operator.id}").get_data(as_text=True).split("<select")[-1]
    # … and a request for another anyway is refused, with a message.
    response = client.post(f"{USERS}/{operator.id}/acara", data={"event": event.id})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Akun ini milik pemerintah lain" in page
    assert db.session.execute(db.select(EventOperator)).first() is None
