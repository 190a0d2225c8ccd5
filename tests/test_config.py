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
