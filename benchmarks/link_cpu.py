"""The page's own CPU time for big_network's `#spec=` link, not counting waits for a core.

On a machine whose cores other work shares, the link's wall-clock time (big_network.py) moves by
2× from one minute to the next. This script opens the same link the same way (784-256-128-10,
batch 8, a new context each time, Step clicked once the page is ready) with Chromium's
performance trace recording, and sums the thread time (`tdur`) of the renderer main thread's
top-level tasks from the navigation to the first step drawn: what the page costs its core.
The first run warms the server up and is not counted. Prints each run, the medians and the
main thread's busiest kinds of work (self thread time, mean per run). No target.

Run: `.venv/bin/python -m benchmarks.link_cpu [--runs N]`.
"""

from __future__ import annotations

import argparse
import collections
import json
import statistics
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.big_network import FIRST_STEP, VIEWPORT, encode_spec
from benchmarks.common import mnist_spec, serve
from devtools.chromium import launch

CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8.execute"]


def main_thread_time(path: Path) -> tuple[float, collections.Counter[str]]:
    """The milliseconds of thread time of the page's renderer main thread in trace `path`
    (top-level tasks), and the self thread time of each kind of event (microseconds)."""
    trace = json.loads(path.read_text(encoding="utf-8"))
    events: list[dict[str, Any]] = trace["traceEvents"] if isinstance(trace, dict) else trace
    threads = [
        (e["pid"], e["tid"])
        for e in events
        if e.get("name") == "thread_name" and e["args"]["name"] == "CrRendererMain"
    ]
    busiest = max(threads, key=lambda t: sum((e["pid"], e["tid"]) == t for e in events))
    timed = [e for e in events if e.get("ph") == "X" and "tdur" in e]
    tasks = sorted(
        (e for e in timed if (e["pid"], e["tid"]) == busiest),
        key=lambda e: (e["ts"], -e["dur"]),
    )
    total, own = 0, collections.Counter[str]()
    open_events: list[dict[str, Any]] = []
    for event in tasks:
        while open_events and open_events[-1]["ts"] + open_events[-1]["dur"] <= event["ts"]:
            open_events.pop()
        if open_events:
            own[open_events[-1]["name"]] -= event["tdur"]
        else:
            total += event["tdur"]
        own[event["name"]] += event["tdur"]
        open_events.append(event)
    return total / 1000, own


def main(argv: list[str] | None = None) -> int:
    """Print the link's main-thread time run by run, and the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="links opened and counted (5)")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    address = f"/#spec={encode_spec(mnist_spec(8))}"
    runs: list[tuple[float, float, float]] = []
    kinds = collections.Counter[str]()
    with (
        serve() as server,
        sync_playwright() as playwright,
        tempfile.TemporaryDirectory(prefix="link-cpu-") as tmp,
    ):
        browser = launch(playwright)
        try:
            for run in range(args.runs + 1):
                context = browser.new_context(viewport=VIEWPORT)
                context.add_init_script(FIRST_STEP)
                page = context.new_page()
                page.set_default_timeout(120_000)
                path = Path(tmp) / f"trace-{run}.json"
                browser.start_tracing(page=page, path=str(path), categories=CATEGORIES)
                page.goto(server.url + address)
                times = page.evaluate("() => window.__firstStep")
                browser.stop_tracing()
                context.close()
                if run == 0:
                    continue
                cpu, own = main_thread_time(path)
                kinds.update(own)
                runs.append((cpu, float(times["ready"]), float(times["drawn"])))
                print(
                    f"  run {run}: main-thread CPU {cpu:.0f} ms; ready at {times['ready']:.0f} "
                    f"ms, first step drawn at {times['drawn']:.0f} ms",
                    flush=True,
                )
        finally:
            browser.close()
    cpu, ready, drawn = (statistics.median(run[i] for run in runs) for i in range(3))
    print(
        f"  #spec= link, main-thread CPU to the first step drawn: median {cpu:.0f} ms (runs "
        f"{', '.join(f'{run[0]:.0f}' for run in runs)}); wall: ready {ready:.0f} ms, "
        f"drawn {drawn:.0f} ms"
    )
    for name, micros in kinds.most_common(8):
        print(f"    {micros / 1000 / len(runs):7.1f} ms  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
