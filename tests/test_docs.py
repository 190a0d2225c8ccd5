"""The README and the manual in docs/ hold: the README stays short, every relative link and picture
points at a file that exists, and the configuration reference lists every setting config.py reads."""
import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
REFERENCE = DOCS / "referensi-konfigurasi.md"
# [text](target) and ![alt](target); the target ends at a space (a title) or the closing parenthesis.
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)[^)]*\)")


def relative_links(page):
    text = re.sub(r"```.*?```", "", page.read_text(), flags=re.S)  # code blocks hold no links
    for target in LINK.findall(text):
        if not re.match(r"[a-z][a-z0-9+.-]*:", target) and not target.startswith("#"):
            yield target


def test_the_readme_is_read_in_five_minutes():
    lines = (ROOT / "README.md").read_text().splitlines()
    assert len(lines) <= 200, len(lines)
    for command in ("make run", "make test"):
        assert command in "\n".join(lines), command


def test_the_manual_has_its_pages():
    for name in ("panduan-panitia", "panduan-meja-checkin", "panduan-peserta", "pemasangan",
                 "referensi-konfigurasi", "api-checkin", "pengembangan"):
        assert (DOCS / f"{name}.md").is_file(), name


def test_every_relative_link_and_picture_resolves_to_a_file():
    broken = []
    seen = 0
    for page in PAGES:
        for target in relative_links(page):
            seen += 1
            path = (page.parent / target.split("#", 1)[0]).resolve()
            if not path.exists():
                broken.append(f"{page.relative_to(ROOT)}: {target}")
    assert seen > 20  # the pattern finds the links it checks
    assert not broken, broken


def test_the_guides_show_pictures_that_make_screenshots_takes():
    from importlib.util import module_from_spec, spec_from_file_location

    spec = spec_from_file_location("screenshots", DOCS / "screenshots.py")
    screenshots = module_from_spec(spec)
    spec.loader.exec_module(screenshots)
    taken = {f"img/{shot.name}.png" for shot in screenshots.SHOTS}
    shown = {target for page in DOCS.glob("*.md") for target in relative_links(page) if target.startswith("img/")}
    assert shown and shown <= taken, shown - taken
    assert sum(path.stat().st_size for path in (DOCS / "img").glob("*.png")) < 3 * 1024 * 1024


def settings_read_by_config():
    """Every environment variable config.py reads: `os.environ.get("X")`, `os.environ["X"]`, and calls
    with a literal first argument to any function of config.py that reads the environment by a
    parameter (`_env_number("X", …)`)."""
    tree = ast.parse((ROOT / "config.py").read_text())

    def reads_environ(node):
        return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
                and ast.unparse(node.func.value).endswith("environ")) or (
            isinstance(node, ast.Subscript) and ast.unparse(node.value).endswith("environ"))

    def key_of(node):
        return node.args[0] if isinstance(node, ast.Call) else node.slice

    helpers = {function.name for function in ast.walk(tree) if isinstance(function, ast.FunctionDef)
               for node in ast.walk(function) if reads_environ(node) and isinstance(key_of(node), ast.Name)}
    names = set()
    for node in ast.walk(tree):
        if reads_environ(node):
            key = key_of(node)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in helpers:
            key = node.args[0]
        else:
            continue
        if isinstance(key, ast.Constant):
            names.add(key.value)
        else:
            assert isinstance(key, ast.Name), ast.unparse(node)  # a name computed some other way
    return names


def settings_in_the_reference():
    """The `NAME`s in the first column of the reference's tables."""
    names = set()
    for line in REFERENCE.read_text().splitlines():
        cells = line.split("|")
        if line.startswith("|") and len(cells) > 2:
            names.update(re.findall(r"`([A-Z][A-Z0-9_]+)`", cells[1]))
    return names


def test_the_configuration_reference_lists_every_setting_config_py_reads():
    read = settings_read_by_config()
    assert {"SECRET_KEY", "DATABASE_URL", "MAX_UPLOAD_MB", "MAIL_USE_TLS", "HADIR_ENV"} <= read  # the parser sees
    assert not read - settings_in_the_reference(), sorted(read - settings_in_the_reference())


def test_the_configuration_reference_names_no_setting_config_py_ignores():
    assert not settings_in_the_reference() - settings_read_by_config()
