"""API: `POST /api/sessions/{id}/step` against the app's no-op JSON endpoint, same server.

A real uvicorn server (one worker, the app's default SQLite store in a temporary directory,
or `--store memory://`) runs in a subprocess on a loopback port. One client with keep-alive
creates a session of 3 layers of 32 (32-32-32-32, batch 16) and then alternates one step
request with one `GET /api/health` request (a trivial JSON endpoint of the same app: no store,
no engine), so both see the same conditions. The client is httpx with `zstandard` installed, so
step answers come zstd-compressed, as Chromium gets them from localhost. Each run times
`--requests` of each; the figure is the median over runs of p50(step) / p50(health).
Target: ≤ 1.5×.

`GET /api/health` is answered on the event loop, while a step's handler runs in a worker
thread: on a loaded machine the hand-over to the thread and back alone costs more than the
step's own work. So `GET /api/ready` (a worker thread and a look at the store, as
`/api/health` was answered until it stopped touching the store) is timed in the same turns,
and p50(step) / p50(ready) printed beside the target's ratio.

`--encoding binary` asks for the step's tensors as typed arrays (not compressed) instead.

Run: `.venv/bin/python -m benchmarks.api_step [--runs R] [--requests N] [--store URL]
[--encoding binary]`.
"""

from __future__ import annotations

import argparse
import statistics

from benchmarks.common import (
    latency_line,
    layers_of,
    percentile,
    serve,
    timed_request,
    verdict,
)

TARGET = 1.5


def main(argv: list[str] | None = None) -> int:
    """Print p50/p95/p99 of both endpoints per run and the median ratio of the p50s."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs (5)")
    parser.add_argument("--requests", type=int, default=300, help="requests of each per run")
    parser.add_argument("--store", default="sqlite", help="'sqlite' (a temp file) or a URL")
    parser.add_argument("--encoding", default="json", choices=["json", "binary"], help="(json)")
    args = parser.parse_args(argv)

    import httpx

    with serve(store=args.store) as server, httpx.Client(base_url=server.url) as client:
        created = client.post("/api/sessions", json=layers_of(32))
        created.raise_for_status()
        step_url = f"/api/sessions/{created.json()['id']}/step"
        if args.encoding == "binary":
            step_url += "?encoding=binary"
        for _ in range(50):  # warm-up: imports, caches, the first iterations
            timed_request(client, "POST", step_url)
            timed_request(client, "GET", "/api/health")
            timed_request(client, "GET", "/api/ready")
        print(
            f"API step (3 layers of 32, batch 16, store {args.store}, encoding={args.encoding}) "
            "vs GET /api/health, "
            f"{args.requests} alternating requests of each per run"
        )
        ratios, threaded_ratios = [], []
        for run in range(1, args.runs + 1):
            steps, noops, readies = [], [], []
            for _ in range(args.requests):
                steps.append(timed_request(client, "POST", step_url))
                noops.append(timed_request(client, "GET", "/api/health"))
                readies.append(timed_request(client, "GET", "/api/ready"))
            ratio = percentile(steps, 50) / percentile(noops, 50)
            threaded = percentile(steps, 50) / percentile(readies, 50)
            ratios.append(ratio)
            threaded_ratios.append(threaded)
            print(f"  run {run}: {latency_line('step', steps)}; {latency_line('no-op', noops)}")
            print(f"         {latency_line('ready (a worker thread, the store)', readies)}")
            print(f"         p50 ratio {ratio:.2f}× (against ready {threaded:.2f}×)")
    ratio = statistics.median(ratios)
    print(
        f"  median p50 ratio step / no-op: {ratio:.2f}× (target ≤ {TARGET}×: "
        f"{verdict(ratio, TARGET)}); step / ready: {statistics.median(threaded_ratios):.2f}×"
    )
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
