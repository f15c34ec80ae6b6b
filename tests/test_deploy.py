"""The deployment files agree with the app's defaults and with each other."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from app.config import REPO_ROOT, Settings

MIB = 1024 * 1024


def test_nginx_lets_through_every_body_the_app_takes_so_that_the_app_answers_the_413() -> None:
    conf = (REPO_ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    [size] = re.findall(r"^\s*client_max_body_size\s+(\d+)m;", conf, flags=re.MULTILINE)
    settings = Settings(store="memory://")

    assert int(size) * MIB >= max(settings.max_body_bytes, settings.max_restore_bytes)


def tunables_in_image() -> str:
    dockerfile = (REPO_ROOT / "Dockerfile").read_text(encoding="utf-8")
    [value] = re.findall(r"^\s*GLIBC_TUNABLES=(\S+)", dockerfile, flags=re.MULTILINE)
    return value


def test_the_image_and_its_command_set_the_same_malloc_thresholds(tmp_path: Path) -> None:
    stub = tmp_path / "uvicorn"  # what serve.sh execs, standing in for uvicorn
    stub.write_text('#!/bin/sh\necho "$GLIBC_TUNABLES"\n', encoding="utf-8")
    stub.chmod(0o755)
    environment = {"PATH": f"{tmp_path}:{os.environ['PATH']}", "STORE": "memory://"}

    served = subprocess.run(
        ["sh", str(REPO_ROOT / "deploy" / "serve.sh")],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )

    assert served.stdout.strip() == tunables_in_image()


def test_glibc_takes_the_malloc_thresholds_the_image_sets() -> None:
    loader = Path("/lib64/ld-linux-x86-64.so.2")
    if not loader.exists():
        pytest.skip("no glibc loader at /lib64 to ask")
    listed = subprocess.run(
        [str(loader), "--list-tunables"],
        env={"GLIBC_TUNABLES": tunables_in_image()},
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    values = dict(re.findall(r"^glibc\.malloc\.(\w+): (0x[0-9a-f]+)", listed, flags=re.MULTILINE))
    assert int(values["mmap_threshold"], 16) == 32 * MIB
    assert int(values["trim_threshold"], 16) == 256 * MIB
