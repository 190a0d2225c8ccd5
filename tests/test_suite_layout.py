"""The suite's own shape: no module of tests/ imports a test module or a conftest.

Importing a test module runs its tests' module code twice under another name and drags its fixtures
along (`# noqa: F401 (a fixture)`); under pytest-xdist each worker then depends on which files it got.
Shared helpers live in support modules (tests/factories.py, tests/*_support.py, tests/browser/axe_walk.py…),
shared fixtures in a conftest.py.
"""
import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def forbidden(module_name):
    """Whether a dotted module name is a test module or a conftest (tests.test_x, tests.browser.conftest…)."""
    last = module_name.rsplit(".", 1)[-1]
    return last.startswith("test_") or last == "conftest"


def imported_modules(source, package):
    """Every module name the import statements of `source` name, with the line; relative imports made
    absolute from `package` (the dotted package the source lives in)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*parent, base] if base else parent)
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def offending_imports(source, package):
    return [(line, name) for line, name in imported_modules(source, package)
            if name.startswith("tests.") and forbidden(name)]


def test_no_module_of_the_suite_imports_a_test_module_or_a_conftest():
    offending = []
    for path in sorted(TESTS.rglob("*.py")):
        if "vendor" in path.parts:
            continue
        package = ".".join(path.relative_to(TESTS.parent).parent.parts)
        offending += [f"{path.relative_to(TESTS.parent)}:{line} imports {name}"
                      for line, name in offending_imports(path.read_text(), package)]
    assert offending == []


def test_the_check_sees_every_form_of_import():
    caught = {
        "from tests.test_imports import people": True,
        "from tests import test_imports": True,
        "import tests.browser.test_accessibility_browser as walk": True,
        "from .test_evaluation import create_form": True,
        "from ..test_evaluation import create_form": True,
        "from tests.browser.conftest import PHONE": True,
        "from tests.imports_support import people": False,
        "from tests.browser.axe_walk import violations": False,
        "from app.imports import test_file": False,
    }
    seen = {source: bool(offending_imports(source, "tests.browser" if ".." in source else "tests"))
            for source in caught}
    assert seen == caught
