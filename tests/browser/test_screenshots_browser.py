"""`make screenshots` works: its core (docs/screenshots.py's take_shots), run on the demo for one shot,
writes a real PNG of a phone's size."""
import re
import struct
from importlib.util import module_from_spec, spec_from_file_location
from pathlib import Path

from app.demo.seed import DEMO_ACCOUNT, LIVE_SLUG
from app.extensions import db
from app.models import Event, Registration

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "screenshots.py"


def load_script():
    spec = spec_from_file_location("screenshots", SCRIPT)
    module = module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_one_shot_of_the_demo_is_a_phone_sized_png(runner, browser, live_server, tmp_path):
    screenshots = load_script()
    assert screenshots.LIVE == LIVE_SLUG
    seeded = runner.invoke(args=["seed-demo", "--base-url", live_server])
    assert seeded.exit_code == 0, seeded.output
    password = re.search(rf"{re.escape(DEMO_ACCOUNT)} / (\S+)", seeded.output).group(1)
    person = db.session.execute(db.select(Registration).join(Event).where(Event.slug == LIVE_SLUG)).scalars().first()

    written = screenshots.take_shots(browser, live_server, DEMO_ACCOUNT, password, f"/tiket/{person.ticket_token}",
                                     tmp_path, only={"tiket"})

    assert written == [tmp_path / "tiket.png"]
    data = written[0].read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (screenshots.PHONE["width"], screenshots.PHONE["height"])
    assert len(data) > 10_000  # a page, not a blank
