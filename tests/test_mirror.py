"""tests/ mirrors app/: every module of the app has its test file (app/api/sessions.py ↔
tests/api/test_sessions.py), so that a reader finds a module's tests where they look first."""

from __future__ import annotations

from app.config import REPO_ROOT

APP = REPO_ROOT / "app"
TESTS = REPO_ROOT / "tests"


def test_every_module_of_the_app_has_its_test_file() -> None:
    missing = [
        str(module.relative_to(REPO_ROOT))
        for module in sorted(APP.rglob("*.py"))
        if module.name != "__init__.py"
        and not (TESTS / module.parent.relative_to(APP) / f"test_{module.name}").exists()
    ]

    assert missing == []
