"""`make screenshots`: the pictures of the guides in docs/, taken from the demo so that they never go stale.

The demo (`flask seed-demo`) is built in a temporary SQLite database, the app is served in this process,
and Debian's Chromium (Playwright) signs in as the demo committee account and writes one PNG per shot
into docs/img/: phone-sized for what participants and desks see, desktop-sized for the console.

    .venv/bin/python docs/screenshots.py [--only NAME ...] [--out DIR]

`take_shots` is the core, called by tests/browser/test_screenshots_browser.py for one shot.
"""
import argparse
import logging
import re
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "img"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
LIVE = "bimtek-smart-city-serang-tahap-2"  # app.demo.seed.LIVE_SLUG, spelled out to import nothing of app


@dataclass(frozen=True)
class Shot:
    name: str  # docs/img/<name>.png
    path: str  # what to open; {ticket} is a ticket link of the demo
    wait_for: str  # a Playwright selector that matches once the page is ready
    desktop: bool = False
    signed_in: bool = False
    device: str | None = None  # the station's "Nama meja/perangkat", typed as an operator would


SHOTS = (
    Shot("acara", f"/e/{LIVE}", "text=Daftar sekarang"),
    Shot("formulir-pendaftaran", f"/e/{LIVE}/daftar", "text=Daftar dan ambil tiket"),
    Shot("tiket", "{ticket}", "text=Simpan gambar tiket"),
    Shot("lupa-tiket", f"/e/{LIVE}/lupa-tiket", "text=Lupa tiket"),
    Shot("meja-checkin", f"/e/{LIVE}/checkin", "body[data-station-ready]", signed_in=True,
         device="meja-1"),
    Shot("konsol-acara", f"/admin/acara/{LIVE}", "text=Dasbor", desktop=True, signed_in=True),
    Shot("konsol-acara-ponsel", f"/admin/acara/{LIVE}", "text=Dasbor", signed_in=True),
    Shot("konsol-peserta", f"/admin/acara/{LIVE}/peserta", "text=Peserta", desktop=True, signed_in=True),
    Shot("konsol-ekspor", f"/admin/acara/{LIVE}/spj", "text=Unduh daftar hadir", desktop=True, signed_in=True),
    Shot("konsol-pesan", f"/admin/acara/{LIVE}/pesan", "text=Pesan", desktop=True, signed_in=True),
    Shot("konsol-sertifikat", f"/admin/acara/{LIVE}/sertifikat", "text=Sertifikat", desktop=True, signed_in=True),
)


def take_shots(browser, base_url, account, password, ticket, out_dir, only=None):
    """Open each shot's page in `browser` (a Playwright Chromium) against the app at `base_url` and write
    <out_dir>/<name>.png; `only` names the shots to take (all by default). Returns the files written."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    wanted = [shot for shot in SHOTS if only is None or shot.name in only]
    contexts = {}
    written = []
    try:
        for shot in wanted:
            key = (shot.desktop, shot.signed_in)
            if key not in contexts:
                contexts[key] = _context(browser, base_url, shot.desktop, shot.signed_in and (account, password))
            page = contexts[key].new_page()
            page.set_default_timeout(20_000)
            page.goto(shot.path.format(ticket=ticket))
            page.locator(shot.wait_for).first.wait_for()
            if shot.device:
                page.get_by_label("Nama meja/perangkat").fill(shot.device)
                page.get_by_label("Nama meja/perangkat").press("Enter")
            page.wait_for_load_state("networkidle")
            target = out_dir / f"{shot.name}.png"
            page.screenshot(path=str(target), animations="disabled", caret="hide")
            page.close()
            written.append(target)
    finally:
        for context in contexts.values():
            context.close()
    return written


def _context(browser, base_url, desktop, credentials):
    size = {"viewport": DESKTOP} if desktop else {"viewport": PHONE, "is_mobile": True, "has_touch": True}
    context = browser.new_context(base_url=base_url, locale="id-ID", **size)
    if credentials:
        account, password = credentials
        page = context.new_page()
        page.goto("/masuk/")
        page.get_by_label("E-mail").fill(account)
        page.get_by_label("Kata sandi").fill(password)
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url(lambda url: "/masuk" not in url)
        page.close()
    return context


def demo_app(folder):
    """The app on a fresh SQLite database in `folder`, migrated and holding the demo; with the demo
    account and its password and a ticket link of the running event."""
    from flask_migrate import upgrade

    from app import create_app
    from app.demo.seed import DEMO_ACCOUNT
    from config import DevelopmentConfig

    app = create_app(DevelopmentConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'hadir.sqlite'}",
                     UPLOAD_FOLDER=str(folder / "uploads"), RATELIMIT_ENABLED=False)
    logging.disable(logging.INFO)  # Alembic's env.py sets its own log levels: a line per revision
    try:
        with app.app_context():
            upgrade()
    finally:
        logging.disable(logging.NOTSET)
    return app, DEMO_ACCOUNT


def seed(app, base_url, account):
    """`flask seed-demo` on the app: the demo account's new password and a ticket path of the live event."""
    from app.extensions import db
    from app.models import Event, Registration, RegistrationStatus

    with app.app_context():
        result = app.test_cli_runner().invoke(args=["seed-demo", "--base-url", base_url])
        if result.exit_code != 0:
            raise RuntimeError(f"seed-demo failed: {result.output}") from result.exception
        password = re.search(rf"{re.escape(account)} / (\S+)", result.output).group(1)
        person = db.session.execute(
            db.select(Registration).join(Event).where(Event.slug == LIVE,
                                                      Registration.status == RegistrationStatus.REGISTERED)
            .order_by(Registration.id)
        ).scalars().first()
        ticket = f"/tiket/{person.ticket_token}"
    return password, ticket


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="names of the shots to take (default: all)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    with tempfile.TemporaryDirectory(prefix="hadir-screenshots-") as folder:
        app, account = demo_app(Path(folder))
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        base_url = f"http://127.0.0.1:{server.server_port}"
        try:
            password, ticket = seed(app, base_url, account)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                try:
                    written = take_shots(browser, base_url, account, password, ticket, args.out, args.only)
                finally:
                    browser.close()
        finally:
            server.shutdown()
            thread.join(timeout=5)
    for path in written:
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
