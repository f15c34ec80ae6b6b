"""Settings: read from unprefixed environment variables, each one documented in the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from app.config import REPO_ROOT, Settings


def test_defaults_need_no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)

    settings = Settings()

    assert settings.store == "sqlite:///./data/sessions.sqlite3"
    assert settings.session_ttl_seconds == 7 * 24 * 60 * 60
    assert settings.max_body_bytes == 8 * 1024 * 1024
    assert settings.static_dir == REPO_ROOT / "static"


@pytest.mark.parametrize(
    ("variable", "value", "field", "expected"),
    [
        ("STORE", "memory://", "store", "memory://"),
        ("MAX_BATCH", "64", "max_batch", 64),
        ("SESSION_TTL_SECONDS", "60", "session_ttl_seconds", 60),
        ("NODE_MODULES_DIR", "/opt/assets", "node_modules_dir", Path("/opt/assets")),
    ],
)
def test_each_setting_is_read_from_its_unprefixed_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, field: str, expected: object
) -> None:
    monkeypatch.setenv(variable, value)

    assert getattr(Settings(), field) == expected


def test_a_limit_below_one_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAX_WIDTH", "0")

    with pytest.raises(ValidationError, match="max_width"):
        Settings()


def test_every_setting_has_a_description() -> None:
    assert all(field.description for field in Settings.model_fields.values())


def test_the_readme_settings_table_lists_every_variable_and_nothing_else() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Settings", 1)[1].split("\n## ", 1)[0]

    listed = re.findall(r"^\| `([A-Z_]+)` \|", table, flags=re.MULTILINE)

    assert listed == [name.upper() for name in Settings.model_fields]
