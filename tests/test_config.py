import pytest

from app import create_app
from config import ProductionConfig, _database_url, config_from_env


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.setenv("HADIR_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()
    monkeypatch.setenv("SECRET_KEY", "s3cret")
    assert config_from_env() is ProductionConfig


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

    import config

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
