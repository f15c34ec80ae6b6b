"""Run every benchmark, each in its own process, and print a summary: `python -m benchmarks`.

Each benchmark prints its figures and exits 0 when its targets are met, 1 when one is missed,
and anything else when it could not run. This runner exits 1 only when a benchmark could not
run (or, with `--strict`, when a target is missed too).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

from benchmarks.common import deployed_environment
from devtools.server import REPO_ROOT

BENCHMARKS = (
    "engine_vs_torch",
    "api_step",
    "api_trace",
    "answer_writer",
    "payload",
    "load",
    "scale",
    "faults",
    "page",
    "big_network",
    "first_load",
    "gradient_panel",
    "memory",
    "client_display",
    "client_install",
    "rooms",
)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks named (all by default) and print which met their targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"which to run: {', '.join(BENCHMARKS)} (all)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    unknown = set(args.names) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")

    results = []
    for name in args.names or BENCHMARKS:
        print(f"\n=== {name} ===", flush=True)
        start = time.monotonic()
        code = subprocess.call(
            [sys.executable, "-m", f"benchmarks.{name}"],
            cwd=REPO_ROOT,
            env=os.environ | deployed_environment(),
        )
        results.append((name, code, time.monotonic() - start))
    print("\n=== summary ===")
    outcome = {0: "targets met", 1: "a target MISSED/not done"}
    for name, code, seconds in results:
        print(
            f"  {name:16} {outcome.get(code, f'FAILED TO RUN (exit {code})'):24} {seconds:5.0f} s"
        )
    crashed = any(code not in (0, 1) for _, code, _ in results)
    missed = any(code == 1 for _, code, _ in results)
    return 1 if crashed or (args.strict and missed) else 0


if __name__ == "__main__":
    raise SystemExit(main())
