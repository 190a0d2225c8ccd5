import pytest

import config
from app import create_app
from config import _database_url, config_from_env


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.setenv("HADIR_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()
    monkeypatch.setenv("SECRET_KEY", "s3cret")
    # config.ProductionConfig, read now: test_trusted_hosts… reloads the module (a new class object).
    assert config_from_env() is config.ProductionConfig


def test_an_unknown_environment_name_is_refused(monkeypatch):
    monkeypatch.setenv("HADIR_ENV", "staging")
    with pytest.raises(RuntimeError, match="HADIR_ENV"):
        config_from_env()


def test_postgres_urls_use_psycopg_3(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db/hadir")
    assert _database_url("sqlite://") == "postgresql+psycopg://u:p@db/hadir"
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p@db/hadir")
    assert _database_url("sqlite://") == "postgresql+psycopg://u:p@db/hadir"


def test_trusted_hosts_come_from_the_environment_and_refuse_other_hosts(monkeypatch, tmp_path):
    import importlib

    monkeypatch.setenv("TRUSTED_HOSTS", "hadir.serangkota.go.id, localhost")
    try:
        assert importlib.reload(config).Config.TRUSTED_HOSTS == ["hadir.serangkota.go.id", "localhost"]
    finally:
        monkeypatch.delenv("TRUSTED_HOSTS")
        assert importlib.reload(config).Config.TRUSTED_HOSTS is None
    app = create_app(config.TestingConfig, UPLOAD_FOLDER=str(tmp_path), TRUSTED_HOSTS=["hadir.serangkota.go.id"])
    client = app.test_client()
    assert client.get("/healthz", headers={"Host": "hadir.serangkota.go.id"}).status_code == 200
    assert client.get("/healthz", headers={"Host": "penipu.example"}).status_code == 400


LIMITS_PER_WORKER = "counted in each worker's memory"


@pytest.mark.parametrize("settings, warned", [
    ({"WEB_CONCURRENCY": "4"}, True),  # gunicorn's workers, from the variable it reads itself
    ({}, True),  # the worker count is not visible: memory storage in production is worth a word
    ({"WEB_CONCURRENCY": "1"}, False),
    ({"WEB_CONCURRENCY": "4", "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0"}, False),
])
def test_production_warns_at_start_up_when_limits_are_counted_per_worker(tmp_path, caplog, settings, warned):
    """Issue 20: on 2 workers with memory:// storage `/verifikasi` allowed about 120 a minute, not 60."""
    overrides = {"SQLALCHEMY_DATABASE_URI": "sqlite://", "UPLOAD_FOLDER": str(tmp_path), "SECRET_KEY": "s3cret",
                 "RATELIMIT_STORAGE_URI": "memory://", **settings}
    with caplog.at_level("WARNING"):
        create_app(config.ProductionConfig, **overrides)
    messages = [record.getMessage() for record in caplog.records if LIMITS_PER_WORKER in record.getMessage()]
    assert bool(messages) is warned
    if warned and "WEB_CONCURRENCY" in settings:
        assert "WEB_CONCURRENCY=4" in messages[0]


def test_development_and_make_run_need_no_redis_and_say_nothing(tmp_path, caplog):
    from config import DevelopmentConfig

    with caplog.at_level("WARNING"):
        app = create_app(DevelopmentConfig, SQLALCHEMY_DATABASE_URI="sqlite://", UPLOAD_FOLDER=str(tmp_path),
                         WEB_CONCURRENCY="4")
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert not [record for record in caplog.records if LIMITS_PER_WORKER in record.getMessage()]
    assert app.test_client().get("/healthz").status_code == 200
