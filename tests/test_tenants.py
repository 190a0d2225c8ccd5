"""Tenants: flask create-tenant, the demo's tenant, OPD lists per tenant, accounts scoped by the CLI."""
import pytest

from app.demo.seed import DEMO_SLUG
from app.extensions import db
from app.models import Event, EventOperator, EventOrganization, Organization, Tenant, User


def test_create_tenant_creates_then_renames(runner):
    result = runner.invoke(args=["create-tenant", "kota-bogor", "Pemerintah Kota Bogor", "--short-name", "Kota Bogor",
                                 "--letterhead", "PEMERINTAH KOTA BOGOR|DINAS KOMINFO", "--retention-days", "365"])
    assert result.exit_code == 0, result.output
    assert "Created tenant kota-bogor" in result.output
    tenant = db.session.execute(db.select(Tenant)).scalar_one()
    assert (tenant.name, tenant.short_name, tenant.retention_days) == ("Pemerintah Kota Bogor", "Kota Bogor", 365)
    assert tenant.letterhead_lines == ["PEMERINTAH KOTA BOGOR", "DINAS KOMINFO"]
    again = runner.invoke(args=["create-tenant", "kota-bogor", "Pemkot Bogor"])
    assert again.exit_code == 0 and "Updated" in again.output
    db.session.expire_all()
    assert db.session.execute(db.select(Tenant.name)).scalars().all() == ["Pemkot Bogor"]


def test_create_tenant_refuses_a_bad_slug(runner):
    result = runner.invoke(args=["create-tenant", "Kota Bogor!", "Pemerintah Kota Bogor"])
    assert result.exit_code != 0 and "slug" in result.output
    assert db.session.execute(db.select(db.func.count()).select_from(Tenant)).scalar_one() == 0


def test_seed_demo_puts_the_reference_event_in_pemerintah_kota_serang(runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    tenant = db.session.execute(db.select(Tenant)).scalar_one()
    assert (tenant.slug, tenant.name) == ("kota-serang", "Pemerintah Kota Serang")
    assert tenant.privacy_contact  # the privacy notice names whom to ask
    event = db.session.execute(db.select(Event).filter_by(slug=DEMO_SLUG)).scalar_one()
    assert event.tenant_id == tenant.id
    assert set(db.session.execute(db.select(Organization.tenant_id)).scalars()) == {tenant.id}
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert db.session.execute(db.select(db.func.count()).select_from(Tenant)).scalar_one() == 1


def test_the_same_opd_name_in_two_tenants(make, client, auth):
    serang = make.tenant("kota-serang", "Pemerintah Kota Serang")
    bogor = make.tenant("kota-bogor", "Pemerintah Kota Bogor")
    in_serang = make.organizations(2, tenant=serang)
    in_bogor = make.organizations(2, tenant=bogor)
    assert [o.name for o in in_serang] == [o.name for o in in_bogor]
    assert {o.id for o in in_serang}.isdisjoint({o.id for o in in_bogor})
    # Through the console too: Bogor's admin adds a "Bappeda" Serang already has, and may not add it twice.
    serang_event = make.event("serang-1", tenant=serang)
    bogor_event = make.event("bogor-1", tenant=bogor)
    make.user("admin@serang.go.id", tenant=serang)
    auth.login("admin@serang.go.id")
    form = {"short_name": "Bappeda", "name": "Badan Perencanaan Pembangunan Daerah", "kind": "badan"}
    assert client.post(f"/admin/acara/{serang_event.slug}/opd/baru", data=form).status_code == 303
    auth.logout()
    make.user("admin@bogor.go.id", tenant=bogor)
    auth.login("admin@bogor.go.id")
    assert client.post(f"/admin/acara/{bogor_event.slug}/opd/baru", data=form).status_code == 303
    assert client.post(f"/admin/acara/{bogor_event.slug}/opd/baru", data=form).status_code == 422
    bappeda = db.session.execute(db.select(Organization.tenant_id).filter_by(short_name="Bappeda")).scalars().all()
    assert sorted(bappeda) == sorted([serang.id, bogor.id])
    # Bogor's OPD page lists Bogor's OPDs only.
    page = client.get(f"/admin/acara/{bogor_event.slug}/opd").get_data(as_text=True)
    assert page.count("Badan Perencanaan Pembangunan Daerah") == 1


def test_an_opd_of_another_tenant_cannot_take_part(make, client, auth):
    serang = make.tenant("kota-serang", "Pemerintah Kota Serang")
    bogor = make.tenant("kota-bogor", "Pemerintah Kota Bogor")
    event = make.event("serang-1", tenant=serang, opds=1)
    foreign = make.organizations(3, tenant=bogor)[2]
    make.user("admin@serang.go.id", tenant=serang)
    auth.login("admin@serang.go.id")
    own = make.event_organization_list(event)[0]
    client.post(f"/admin/acara/{event.slug}/opd", data={"take_part": [str(own.id), str(foreign.id)]})
    taking_part = db.session.execute(db.select(EventOrganization.organization_id).filter_by(event_id=event.id))
    assert taking_part.scalars().all() == [own.id]


def test_create_user_with_a_tenant_and_events(runner, make):
    serang = make.tenant("kota-serang", "Pemerintah Kota Serang")
    bogor = make.tenant("kota-bogor", "Pemerintah Kota Bogor")
    event = make.event("serang-1", tenant=serang)
    make.event("bogor-1", tenant=bogor)
    result = runner.invoke(args=["create-user", "panitia@serang.go.id", "--role", "committee", "--tenant",
                                 "kota-serang", "--event", "serang-1"], input="sandi-panjang-1\n")
    assert result.exit_code == 0, result.output
    user = db.session.execute(db.select(User).filter_by(email="panitia@serang.go.id")).scalar_one()
    assert (user.role, user.tenant_id) == ("committee", serang.id)
    assert db.session.execute(db.select(EventOperator.event_id).filter_by(user_id=user.id)).scalars().all() == [
        event.id]
    # An event of another tenant is refused, and nothing is created.
    wrong = runner.invoke(args=["create-user", "x@serang.go.id", "--role", "operator", "--tenant", "kota-serang",
                                "--event", "bogor-1"], input="sandi-panjang-1\n")
    assert wrong.exit_code != 0 and "kota-serang" in wrong.output
    unknown = runner.invoke(args=["create-user", "y@serang.go.id", "--role", "admin", "--tenant", "kota-entah"],
                            input="sandi-panjang-1\n")
    assert unknown.exit_code != 0 and "no tenant" in unknown.output
    assert db.session.execute(db.select(db.func.count()).select_from(User)).scalar_one() == 1
    national = runner.invoke(args=["create-user", "pengamat@kemendagri.go.id", "--role", "pengamat", "--all-tenants"],
                             input="sandi-panjang-1\n")
    assert national.exit_code == 0 and "Created pengamat of every tenant" in national.output


def test_a_tenant_admin_sets_their_tenant_up_and_no_other(client, make, auth):
    serang = make.tenant("kota-serang", "Pemerintah Kota Serang")
    make.tenant("kota-bogor", "Pemerintah Kota Bogor")
    make.user("admin@serang.go.id", tenant=serang)
    auth.login("admin@serang.go.id")
    assert client.get("/admin/pemerintah/").headers["Location"].endswith("/admin/pemerintah/kota-serang")
    form = {"name": "Pemerintah Kota Serang", "short_name": "Kota Serang", "letterhead": "PEMKOT SERANG\nDISKOMINFO",
            "privacy_contact": "PPID Kota Serang, ppid@serangkota.go.id", "privacy_notice": "Data disimpan di Serang.",
            "retention_days": "365", "audit_retention_days": "1095"}
    assert client.post("/admin/pemerintah/kota-serang", data=form).status_code == 303
    db.session.expire_all()
    assert (serang.retention_days, serang.letterhead_lines) == (365, ["PEMKOT SERANG", "DISKOMINFO"])
    notice = client.get("/privasi/kota-serang").get_data(as_text=True)
    assert "ppid@serangkota.go.id" in notice and "Data disimpan di Serang." in notice and "365 hari" in notice
    assert client.post("/admin/pemerintah/kota-serang", data=dict(form, retention_days="-5")).status_code == 422
    assert client.get("/admin/pemerintah/kota-bogor").status_code == 404
    assert client.post("/admin/pemerintah/kota-bogor", data=form).status_code == 404
    auth.logout()
    make.user("panitia@serang.go.id", role="committee", tenant=serang)
    auth.login("panitia@serang.go.id")
    assert client.get("/admin/pemerintah/").status_code == 403  # an administrator's pages (admin_only)
    assert client.get("/admin/pemerintah/kota-serang").status_code == 403
    auth.logout()
    make.user("root@hadir.go.id")
    auth.login("root@hadir.go.id")
    page = client.get("/admin/pemerintah/").get_data(as_text=True)
    assert "Pemerintah Kota Serang" in page and "Pemerintah Kota Bogor" in page


def test_names_given_on_the_command_line_are_read_as_the_forms_read_them(runner, make):
    """create-tenant and create-user --name go through normalize_text: a zero-width space and a run of
    spaces are not part of the name, and a name of invisible characters only is refused."""
    result = runner.invoke(args=["create-tenant", "kota-bogor", "Pemerintah\u200b  Kota Bogor", "--short-name",
                                 "\u00a0Kota Bogor\u200b", "--letterhead", "PEMKOT\u200b BOGOR|DISKOMINFO "])
    assert result.exit_code == 0, result.output
    tenant = db.session.execute(db.select(Tenant).filter_by(slug="kota-bogor")).scalar_one()
    assert (tenant.name, tenant.short_name, tenant.letterhead) == (
        "Pemerintah Kota Bogor", "Kota Bogor", "PEMKOT BOGOR\nDISKOMINFO")
    invisible = runner.invoke(args=["create-tenant", "kota-depok", "\u200b\u2060"])
    assert invisible.exit_code != 0 and "hanya berisi karakter yang tidak terlihat" in invisible.output
    assert db.session.execute(db.select(Tenant).filter_by(slug="kota-depok")).scalar_one_or_none() is None

    created = runner.invoke(args=["create-user", "pengamat@kemendagri.go.id", "--role", "pengamat", "--all-tenants",
                                  "--name", " Budi\u200b  Santoso "], input="sandi-panjang-1\n")
    assert created.exit_code == 0, created.output
    assert db.session.execute(db.select(User.name)).scalar_one() == "Budi Santoso"
    refused = runner.invoke(args=["create-user", "kedua@kemendagri.go.id", "--role", "pengamat", "--all-tenants",
                                  "--name", "\u200b"], input="sandi-panjang-1\n")
    assert refused.exit_code != 0 and "hanya berisi karakter yang tidak terlihat" in refused.output
    assert db.session.execute(db.select(db.func.count()).select_from(User)).scalar_one() == 1


def test_opds_added_by_upsert_are_normalised_and_invisible_names_refused(runner, make, monkeypatch):
    from app.events.services import OrganizationRefused, upsert_organizations

    tenant = make.tenant()
    first, = upsert_organizations([{"short_name": "Diskominfo", "name": "Dinas Komunikasi", "kind": "dinas"}], tenant)
    again, other = upsert_organizations([
        {"short_name": "Diskominfo\u200b", "name": "Dinas Komunikasi", "kind": "dinas"},
        {"short_name": " Dinkes ", "name": "Dinas\u00a0 Kesehatan\u2060", "kind": "dinas"},
    ], tenant)
    db.session.commit()
    assert again.id == first.id  # the same OPD, not a look-alike second one
    assert (other.short_name, other.name) == ("Dinkes", "Dinas Kesehatan")
    with pytest.raises(OrganizationRefused) as refused:
        upsert_organizations([{"short_name": "\u200b", "name": "Dinas Siluman", "kind": "dinas"}], tenant)
    assert refused.value.field == "short_name"
    db.session.rollback()
    # The seed's CSV path answers a click error, not a traceback.
    monkeypatch.setattr("app.demo.seed.read_organizations_csv",
                        lambda path: [{"short_name": "Bappeda", "name": "\u200b\u200b", "kind": "badan"}])
    seeded = runner.invoke(args=["seed-demo", "--force"])  # the test made a tenant of its own
    assert seeded.exit_code != 0 and "no visible name" in seeded.output
    assert db.session.execute(db.select(Organization).filter_by(short_name="Bappeda")).first() is None
