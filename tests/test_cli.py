from app.demo.seed import DEMO_SLUG
from app.extensions import db
from app.models import AgendaItem, ApiToken, Event, EventDay, EventOrganization, Organization, User, hash_api_token


def table_counts():
    return {model.__name__: db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()
            for model in (Event, EventDay, AgendaItem, Organization, EventOrganization)}


def test_seed_demo_loads_the_reference_event_once(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "Created" in result.output
    first = table_counts()
    # The reference event and its Tahap 2 (tests/test_demo.py has the rest).
    assert first == {"Event": 2, "EventDay": 4, "AgendaItem": 22, "Organization": 32, "EventOrganization": 64}
    event = db.session.execute(db.select(Event).filter_by(slug=DEMO_SLUG)).scalar_one()
    assert [d.date.isoformat() for d in event.days] == ["2022-06-13", "2022-06-14"]
    assert event.timezone == "Asia/Jakarta" and "Flamenggo" in event.venue
    quotas = db.session.execute(db.select(EventOrganization.quota)).scalars().all()
    assert set(quotas) == {3}
    names = set(db.session.execute(db.select(Organization.short_name)).scalars())
    assert {"Diskominfo", "Bappeda", "Kec. Kasemen", "Satpol PP"} <= names
    # The first session starts at 07:30 WIB, which is 00:30 UTC.
    first_item = min(event.agenda_items, key=lambda item: item.starts_at)
    assert first_item.starts_at.hour == 0 and first_item.starts_at.minute == 30

    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0 and "Already there" in again.output, again.output
    assert table_counts() == first


def test_create_user_reads_the_password_from_stdin(runner, make):
    make.tenant("kota-serang", "Pemerintah Kota Serang")
    result = runner.invoke(args=["create-user", "Panitia@Serangkota.go.id", "--role", "operator", "--tenant",
                                 "kota-serang"], input="sandi-yang-panjang\n")
    assert result.exit_code == 0, result.output
    user = db.session.execute(db.select(User)).scalar_one()
    assert (user.email, user.role) == ("panitia@serangkota.go.id", "operator")
    assert user.password_hash != "sandi-yang-panjang" and user.check_password("sandi-yang-panjang")


def test_create_user_refuses_bad_input(runner, make):
    make.user("ada@example.go.id")
    duplicate = runner.invoke(args=["create-user", "ada@example.go.id", "--role", "admin", "--all-tenants"],
                              input="sandi-panjang-1\n")
    assert duplicate.exit_code != 0 and "already exists" in duplicate.output
    short = runner.invoke(args=["create-user", "baru@example.go.id", "--role", "admin", "--all-tenants"],
                          input="pendek\n")
    assert short.exit_code != 0 and "paling sedikit 10 karakter" in short.output
    role = runner.invoke(args=["create-user", "baru@example.go.id", "--role", "ketua"], input="sandi-panjang-1\n")
    assert role.exit_code != 0
    assert db.session.execute(db.select(db.func.count()).select_from(User)).scalar_one() == 1


def test_create_token_prints_a_secret_kept_only_as_a_hash(runner, make):
    make.user("operator@example.go.id", role="operator")
    result = runner.invoke(args=["create-token", "operator@example.go.id"])
    assert result.exit_code == 0, result.output
    secret = result.output.strip()
    assert secret.startswith("hdr_") and len(secret) >= 40
    token = db.session.execute(db.select(ApiToken)).scalar_one()
    assert token.token_hash == hash_api_token(secret) and secret not in token.token_hash
    missing = runner.invoke(args=["create-token", "siapa@example.go.id"])
    assert missing.exit_code != 0 and "no user" in missing.output


def test_help_lists_the_commands(runner):
    output = runner.invoke(args=["--help"]).output
    for name in ("seed-demo", "create-user", "create-token", "db"):
        assert name in output
