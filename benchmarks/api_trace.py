"""API: `POST /api/trace` for 784-256-128-10, batch 1, against the engine alone on the same spec.

A real uvicorn server (one worker) runs in a subprocess on a loopback port. The request sends
the spec (one sample of 784 inputs, a one-hot target, seeded initialisation) and reads the whole
answer: every step record and every tensor (about 708,000 numbers: W_1, ∇W_1 and W_1 after the
update are each 256 × 784), by default in the compact encoding (`?encoding=binary`: typed
arrays, 7.6 MB), as the Python client (client/) asks for it. The reference is what the
handler asks of the engine, run in this process: `Network.from_spec(spec)`,
`initial_parameters()` and `trace_iteration`.

Two clients read the answer, alternately with the engine: the standard library's
`http.client` (one keep-alive connection, the body read in one call), whose time is the
server's, and httpx, whose own reading of megabytes (h11 in 64 KB pieces) costs several times
what the server does; both are printed, the target is judged on the first. The figure is the
median over runs of median(API) / median(engine). Target: ≤ 3×. The clients accept gzip, as a
browser does (compact answers are not gzipped); `--identity` asks for no compression.

Run: `.venv/bin/python -m benchmarks.api_trace [--runs R] [--requests N] [--encoding json]`.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from benchmarks.common import as_deployed, fmt_seconds, mnist_spec, serve, verdict

TARGET = 3.0


def main(argv: list[str] | None = None) -> int:
    """Print the API's (per client) and the engine's median time per run, and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs (5)")
    parser.add_argument("--requests", type=int, default=7, help="requests per run (7)")
    parser.add_argument("--identity", action="store_true", help="ask for no compression")
    parser.add_argument(
        "--encoding", default="binary", help="binary (default) or json (nested lists)"
    )
    args = parser.parse_args(argv)

    import httpx

    from app.engine import Network, trace_iteration

    raw = mnist_spec(1)
    body = json.dumps(raw).encode()
    path = f"/api/trace?encoding={args.encoding}"
    headers = {
        "Accept-Encoding": "identity" if args.identity else "gzip",
        "Content-Type": "application/json",
    }

    def engine_alone() -> float:
        start = time.perf_counter()
        network = Network.from_spec(raw)
        trace_iteration(network, network.initial_parameters())
        return time.perf_counter() - start

    with serve() as server, httpx.Client(base_url=server.url, timeout=300) as httpx_client:
        address = urlsplit(server.url)
        lean = http.client.HTTPConnection(address.hostname or "", address.port, timeout=300)

        def by_http_client() -> float:
            start = time.perf_counter()
            lean.request("POST", path, body=body, headers=headers)
            response = lean.getresponse()
            content = response.read()
            elapsed = time.perf_counter() - start
            if response.status != 200:
                raise RuntimeError(f"{response.status}: {content[:200]!r}")
            return elapsed

        def by_httpx() -> float:
            start = time.perf_counter()
            response = httpx_client.post(path, content=body, headers=headers)
            response.read()
            elapsed = time.perf_counter() - start
            response.raise_for_status()
            return elapsed

        first = httpx_client.post(path, content=body, headers=headers)
        first.raise_for_status()
        sent = first.headers.get("content-encoding", "identity")
        wire = int(first.headers.get("content-length", len(first.content)))
        for _ in range(3):
            by_http_client(), by_httpx(), engine_alone()
        print(
            f"POST /api/trace, 784-256-128-10 batch 1 (encoding={args.encoding}, "
            f"{len(first.content) / 1e6:.1f} MB; sent {sent}, {wire / 1e6:.1f} MB) vs the "
            f"engine alone, {args.requests} alternating calls per run"
        )
        if not as_deployed():
            print("  (the engine alone under glibc's default allocator: `python -m benchmarks`")
            print("  runs it under the Dockerfile's GLIBC_TUNABLES, as the server runs)")
        ratios: dict[str, list[float]] = {"http.client": [], "httpx": []}
        clients: dict[str, Callable[[], float]] = {
            "http.client": by_http_client,
            "httpx": by_httpx,
        }
        for run in range(1, args.runs + 1):
            times: dict[str, list[float]] = {"http.client": [], "httpx": [], "engine": []}
            for _ in range(args.requests):
                for name, call in clients.items():
                    times[name].append(call())
                times["engine"].append(engine_alone())
            engine = statistics.median(times["engine"])
            line = [f"engine {fmt_seconds(engine)}"]
            for name in clients:
                api = statistics.median(times[name])
                ratios[name].append(api / engine)
                line.append(f"API via {name} {fmt_seconds(api)} ({api / engine:.1f}×)")
            print(f"  run {run}: " + ", ".join(line))
        lean.close()
    ratio = statistics.median(ratios["http.client"])
    print(f"  median ratio API (httpx reading) / engine: {statistics.median(ratios['httpx']):.1f}×")
    print(
        f"  median ratio API / engine: {ratio:.1f}× (target ≤ {TARGET}×: {verdict(ratio, TARGET)})"
    )
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
