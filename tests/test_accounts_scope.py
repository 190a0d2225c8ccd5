"""The accounts pages with tenants: an install admin manages every account, a tenant admin those of
their tenant (another tenant's account does not exist for them), a committee member none."""
from app.extensions import db
from app.models import User


def test_a_tenant_admin_manages_only_their_tenants_accounts(client, make, auth):
    serang, bogor = make.tenant("kota-serang", "Pemerintah Kota Serang"), make.tenant("kota-bogor", "Kota Bogor")
    make.user("admin@serangkota.go.id", tenant=serang)
    make.user("meja@serangkota.go.id", role="operator", tenant=serang)
    stranger = make.user("meja@kotabogor.go.id", role="operator", tenant=bogor)
    make.user("root@hadir.go.id")
    auth.login("admin@serangkota.go.id")
    page = client.get("/admin/pengguna").get_data(as_text=True)
    assert "meja@serangkota.go.id" in page
    assert "meja@kotabogor.go.id" not in page and "root@hadir.go.id" not in page
    assert client.get(f"/admin/pengguna/{stranger.id}").status_code == 404
    assert client.post(f"/admin/pengguna/{stranger.id}/nonaktifkan", data={"confirmed": "yes"}).status_code == 404
    assert db.session.get(User, stranger.id).active is True
    # A new account belongs to the admin's tenant.
    response = client.post("/admin/pengguna", data={"email": "baru@serangkota.go.id", "role": "committee"})
    assert response.status_code == 201
    created = db.session.execute(db.select(User).filter_by(email="baru@serangkota.go.id")).scalar_one()
    assert (created.tenant_id, created.role) == (serang.id, "committee")


def test_the_install_admin_sees_every_account_and_a_committee_member_none(client, make, auth):
    bogor = make.tenant("kota-bogor", "Kota Bogor")
    make.user("meja@kotabogor.go.id", role="operator", tenant=bogor)
    make.user("root@hadir.go.id")
    make.user("panitia@kotabogor.go.id", role="committee", tenant=bogor)
    auth.login("root@hadir.go.id")
    assert "meja@kotabogor.go.id" in client.get("/admin/pengguna").get_data(as_text=True)
    auth.logout()
    auth.login("panitia@kotabogor.go.id")
    assert client.get("/admin/pengguna").status_code == 403
