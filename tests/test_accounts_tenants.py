"""Accounts and tenants on /admin/pengguna: the install admin picks a new account's tenant (an install-wide
admin only when chosen on purpose), the list says whose each account is, and an account cannot be given
another tenant's event (that was a 500)."""
import pytest

from app.extensions import db
from app.models import AdminAuditEntry, EventOperator, User

USERS = "/admin/pengguna"
ADMIN_WITHOUT_TENANT = "Pilih pemerintah akun ini"


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


@pytest.mark.parametrize("role", ["operator", "committee"])
def test_an_operator_or_committee_member_needs_a_tenant(client, tenants, root, role):
    for tenant in ("", "semua"):
        refused = client.post(USERS, data={"email": "meja@hadir.go.id", "role": role, "tenant": tenant})
        assert refused.status_code == 422
        assert "Operator dan panitia bertugas di acara satu pemerintah" in refused.get_data(as_text=True)
    assert account("meja@hadir.go.id") is None


def test_a_national_pengamat_is_an_explicit_choice_and_its_page_says_what_it_sees(client, tenants, root):
    refused = client.post(USERS, data={"email": "pengamat@kemendagri.go.id", "role": "pengamat", "tenant": ""})
    assert refused.status_code == 422 and ADMIN_WITHOUT_TENANT in refused.get_data(as_text=True)
    assert account("pengamat@kemendagri.go.id") is None
    chosen = client.post(USERS, data={"email": "pengamat@kemendagri.go.id", "role": "pengamat", "tenant": "semua"})
    assert chosen.status_code == 201
    national = account("pengamat@kemendagri.go.id")
    assert (national.role, national.tenant_id) == ("pengamat", None)
    page = client.get(f"{USERS}/{national.id}").get_data(as_text=True)
    assert "Pengamat nasional: melihat ringkasan program" in page and "semua pemerintah" in page


def test_an_unknown_tenant_is_refused(client, tenants, root):
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


def test_making_a_tenantless_operator_an_admin_asks_for_the_tenant(client, make, tenants, root):
    """The review's finding: the role change made a tenant-less account an install administrator."""
    serang, _bogor = tenants
    legacy = make.user("meja@hadir.go.id", role="operator")  # from before tenants were required
    page = client.get(f"{USERS}/{legacy.id}").get_data(as_text=True)
    assert "Belum milik pemerintah mana pun" in page and "Semua pemerintah (admin instalasi)" in page
    refused = client.post(f"{USERS}/{legacy.id}/peran", data={"role": "admin", "tenant": ""})
    assert refused.status_code == 422 and ADMIN_WITHOUT_TENANT in refused.get_data(as_text=True)
    assert (account("meja@hadir.go.id").role, account("meja@hadir.go.id").tenant_id) == ("operator", None)
    kept = client.post(f"{USERS}/{legacy.id}/peran", data={"role": "admin", "tenant": str(serang.id)})
    assert kept.status_code == 303
    assert (account("meja@hadir.go.id").role, account("meja@hadir.go.id").tenant_id) == ("admin", serang.id)


def test_an_account_of_a_tenant_keeps_it_when_its_role_changes(client, make, tenants, root):
    serang, bogor = tenants
    operator = make.user("meja@serangkota.go.id", role="operator", tenant=serang)
    page = client.get(f"{USERS}/{operator.id}").get_data(as_text=True)
    assert "Pemerintah: Pemerintah Kota Serang" in page and "Semua pemerintah (admin instalasi)" not in page
    response = client.post(f"{USERS}/{operator.id}/peran", data={"role": "admin", "tenant": "semua"})
    assert response.status_code == 303
    assert (account("meja@serangkota.go.id").role, account("meja@serangkota.go.id").tenant_id) == ("admin", serang.id)
    client.post(f"{USERS}/{operator.id}/peran", data={"role": "pengamat", "tenant": str(bogor.id)})
    assert account("meja@serangkota.go.id").tenant_id == serang.id


def test_a_tenantless_account_cannot_join_a_tenant_while_it_works_elsewhere(client, make, tenants, root):
    serang, bogor = tenants
    legacy = make.user("meja@hadir.go.id", role="operator")
    from app.tenants.operators import assign_operator

    assign_operator(legacy, make.event("bogor-1", tenant=bogor))
    db.session.commit()
    refused = client.post(f"{USERS}/{legacy.id}/peran", data={"role": "operator", "tenant": str(serang.id)})
    assert refused.status_code == 422 and "lepas dulu dari acara itu" in refused.get_data(as_text=True)
    assert account("meja@hadir.go.id").tenant_id is None
    joined = client.post(f"{USERS}/{legacy.id}/peran", data={"role": "operator", "tenant": str(bogor.id)})
    assert joined.status_code == 303 and account("meja@hadir.go.id").tenant_id == bogor.id


def test_the_cli_role_change_keeps_or_asks_for_a_tenant(runner, make, tenants):
    serang, _bogor = tenants
    make.user("root@hadir.go.id")
    make.user("meja@hadir.go.id", role="operator")
    make.user("meja@serangkota.go.id", role="operator", tenant=serang)
    refused = runner.invoke(args=["change-role", "meja@hadir.go.id", "admin"])
    assert refused.exit_code != 0 and "--all-tenants" in refused.output
    assert account("meja@hadir.go.id").role == "operator"
    chosen = runner.invoke(args=["change-role", "meja@hadir.go.id", "admin", "--tenant", "kota-serang"])
    assert chosen.exit_code == 0 and "is now admin of kota-serang" in chosen.output
    kept = runner.invoke(args=["change-role", "meja@serangkota.go.id", "pengamat", "--all-tenants"])
    assert kept.exit_code == 0 and "pengamat of kota-serang" in kept.output
    demoted = runner.invoke(args=["change-role", "root@hadir.go.id", "operator"])
    assert demoted.exit_code != 0 and "--tenant SLUG" in demoted.output
    # The last admin of no tenant stays one: tenants are made and given admins by such an admin.
    last = runner.invoke(args=["change-role", "root@hadir.go.id", "pengamat", "--all-tenants"])
    assert last.exit_code != 0 and "admin instalasi" in last.output
    make.user("kedua@hadir.go.id")
    national = runner.invoke(args=["change-role", "root@hadir.go.id", "pengamat", "--all-tenants"])
    assert national.exit_code == 0 and "pengamat of every tenant" in national.output
    joined = runner.invoke(args=["change-role", "kedua@hadir.go.id", "admin", "--tenant", "kota-serang"])
    assert joined.exit_code != 0 and account("kedua@hadir.go.id").tenant_id is None
    assert [entry.action for entry in db.session.execute(db.select(AdminAuditEntry)).scalars()] == [
        "tenant_set", "role_changed", "role_changed", "role_changed"]


def test_the_cli_refuses_a_tenantless_operator_and_takes_the_events_tenant(runner, make, tenants):
    serang, _bogor = tenants
    make.event("serang-1", tenant=serang)
    refused = runner.invoke(args=["create-user", "meja@hadir.go.id", "--role", "committee"], input="sandi-panjang-1\n")
    assert refused.exit_code != 0 and "--tenant SLUG" in refused.output
    admin = runner.invoke(args=["create-user", "root@hadir.go.id", "--role", "admin"], input="sandi-panjang-1\n")
    assert admin.exit_code != 0 and "--all-tenants" in admin.output
    assert account("meja@hadir.go.id") is None and account("root@hadir.go.id") is None
    created = runner.invoke(args=["create-user", "meja@hadir.go.id", "--role", "operator", "--event", "serang-1"],
                            input="sandi-panjang-1\n")
    assert created.exit_code == 0 and "Created operator of kota-serang" in created.output
    assert account("meja@hadir.go.id").tenant_id == serang.id
