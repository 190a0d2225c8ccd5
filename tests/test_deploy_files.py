"""The recipe in docs/pemasangan.md and deploy/ holds: the settings it names are the app's, gunicorn
accepts its configuration, the services' commands exist, and under that configuration /metrics adds
up every worker's counts (prometheus-client's multiprocess mode)."""
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.smtp_support import free_port

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
NOT_THE_APPS = {"BACKUP_DATABASE_URL"}  # read by hadir-backup.service, not by the app


def example_environment():
    pairs = (line.split("=", 1) for line in (DEPLOY / "hadir.env.example").read_text().splitlines()
             if line.strip() and not line.startswith("#"))
    return {name: value for name, value in pairs}


def test_every_setting_of_the_example_is_read_by_config_py():
    config = (ROOT / "config.py").read_text()
    for name in set(example_environment()) - NOT_THE_APPS:
        assert re.search(rf'(environ\.get|_env_bool|_env_number|_database_url)\(\s*"{name}"', config) or (
            name == "DATABASE_URL" and '"DATABASE_URL"' in config), name


def test_the_recipe_names_every_deploy_file_and_every_setting_of_the_example():
    recipe = (ROOT / "docs" / "pemasangan.md").read_text()
    for path in (path for path in DEPLOY.iterdir() if path.is_file()):
        assert path.name in recipe, path.name
    for name in example_environment():
        assert f"`{name}" in recipe or name in (ROOT / "docs" / "referensi-konfigurasi.md").read_text(), name


def test_the_example_environment_builds_an_app_on_the_object_store(tmp_path):
    env = {**example_environment(), "HADIR_INSTANCE_DIR": str(tmp_path), "UPLOAD_FOLDER": str(tmp_path / "up"),
           "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    code = ("from app import create_app; from app.storage import storage_from_config; app = create_app(); "
            "s = storage_from_config(app.config); "
            "print(type(s).__name__, s.bucket, s.prefix, app.config['PROXY_COUNT'], app.config['TRUST_REQUEST_ID'], "
            "bool(app.config['METRICS_TOKEN']))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["S3Storage", "hadir-files", "produksi", "1", "True", "True"]


def test_the_services_commands_exist():
    web = (DEPLOY / "hadir-web.service").read_text()
    assert "ExecStart=/opt/hadir/.venv/bin/gunicorn -c deploy/gunicorn.conf.py wsgi:app" in web
    worker = (DEPLOY / "hadir-worker@.service").read_text()
    assert "ExecStart=/opt/hadir/.venv/bin/flask --app wsgi messages work" in worker
    help_text = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "messages", "work", "--help"], cwd=ROOT,
                               capture_output=True, text=True)
    assert help_text.returncode == 0 and "RQ worker" in help_text.stdout.replace("\n", " ")
    nginx = (DEPLOY / "nginx-hadir.conf").read_text()
    assert "client_max_body_size 51m;" in nginx and "proxy_set_header X-Request-ID $request_id;" in nginx


def test_gunicorn_with_the_deploy_configuration_sums_every_workers_metrics(tmp_path):
    port = free_port()
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HADIR_ENV": "production", "SECRET_KEY": "x" * 32,
           "SESSION_COOKIE_SECURE": "false", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
           "HADIR_INSTANCE_DIR": str(tmp_path), "UPLOAD_FOLDER": str(tmp_path / "uploads"),
           "METRICS_TOKEN": "scrape", "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics")}
    check = subprocess.run([sys.executable, "-m", "gunicorn", "--check-config", "-c", "deploy/gunicorn.conf.py",
                            "wsgi:app"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert check.returncode == 0, check.stderr[-2000:]
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "--workers", "2",
                               "--bind", f"127.0.0.1:{port}", "wsgi:app"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "gunicorn did not start"
                time.sleep(0.2)
        for _ in range(40):
            try:
                urllib.request.urlopen(base + "/tidak-ada", timeout=10)
            except urllib.error.HTTPError as error:
                assert error.code == 404
        scrape = urllib.request.Request(base + "/metrics", headers={"Authorization": "Bearer scrape"})
        for _ in range(4):  # whichever worker answers, the sum is the same
            text = urllib.request.urlopen(scrape, timeout=10).read().decode()
            [line] = [row for row in text.splitlines()
                      if row.startswith("hadir_http_request_duration_seconds_count") and 'status="404"' in row]
            assert line.endswith(" 40.0"), line
    finally:
        server.terminate()
        server.wait(timeout=30)
