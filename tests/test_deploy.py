"""The deployment files agree with the app's defaults."""

from __future__ import annotations

import re

from app.config import REPO_ROOT, Settings

MIB = 1024 * 1024


def test_nginx_lets_through_every_body_the_app_takes_so_that_the_app_answers_the_413() -> None:
    conf = (REPO_ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    [size] = re.findall(r"^\s*client_max_body_size\s+(\d+)m;", conf, flags=re.MULTILINE)
    settings = Settings(store="memory://")

    assert int(size) * MIB >= max(settings.max_body_bytes, settings.max_restore_bytes)
