"""The load script (benchmarks/load.py) in short: students stepping their own sessions on the
real server get no error. The full run, 200 students for 30 s, is `make bench`'s; its figures
are in the issue's report.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from app.config import REPO_ROOT

pytestmark = pytest.mark.server


def test_ten_students_stepping_for_a_second_get_no_error() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "benchmarks.load", "--students", "10", "--seconds", "1"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert run.returncode in (0, 1), run.stderr  # 1: a throughput target missed, not an error
    steps = re.search(r"step: +([\d,]+) requests, (\d+) errors", run.stdout)
    assert steps is not None, run.stdout
    assert int(steps[1].replace(",", "")) > 0
    assert steps[2] == "0"
    assert re.search(r"^  errors: 0 ", run.stdout, flags=re.MULTILINE), run.stdout
