"""Client: `pip install ./client` into a fresh venv: how long it takes and how many packages it
adds (the client and what it depends on).

A new venv is made in a temporary directory (its own pip and nothing else), then
`pip install <repo>/client` runs there with the machine's pip configuration (the package index
it reaches). Timed: the install alone, building the client's wheel included. Counted: the
distributions in the venv after, less those before (pip itself). Targets: under 15 s, at most
12 packages.

Run: `.venv/bin/python -m benchmarks.client_install [--extras widget,progress]`.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import verdict
from devtools.server import REPO_ROOT

SECONDS = 15.0
PACKAGES = 12


def installed(python: Path) -> set[str]:
    """The distributions a venv's python sees, as `name==version`."""
    listed = subprocess.run(
        [str(python), "-m", "pip", "list", "--format=freeze", "--disable-pip-version-check"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return {line.strip() for line in listed.splitlines() if line.strip()}


def main(argv: list[str] | None = None) -> int:
    """Print the install's time and the packages it added."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extras", default="", help="extras to install too, e.g. widget")
    args = parser.parse_args(argv)
    target = str(REPO_ROOT / "client") + (f"[{args.extras}]" if args.extras else "")

    with tempfile.TemporaryDirectory(prefix="client-install-") as tmp:
        venv = Path(tmp) / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        python = venv / "bin" / "python"
        before = installed(python)
        start = time.perf_counter()
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", target],
            check=True,
        )
        seconds = time.perf_counter() - start
        added = sorted(installed(python) - before)
    print(
        f"pip install {target}: {seconds:.1f} s (target < {SECONDS:.0f} s): "
        f"{verdict(seconds, SECONDS)}"
    )
    print(f"packages added: {len(added)} (target ≤ {PACKAGES}): {verdict(len(added), PACKAGES)}")
    for line in added:
        print(f"  {line}")
    return 0 if seconds < SECONDS and len(added) <= PACKAGES else 1


if __name__ == "__main__":
    raise SystemExit(main())
