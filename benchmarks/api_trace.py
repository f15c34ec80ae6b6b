"""API: `POST /api/trace` for 784-256-128-10, batch 1, against the engine alone on the same spec.

A real uvicorn server (one worker) runs in a subprocess on a loopback port. The request sends
the spec (one sample of 784 inputs, a one-hot target, seeded initialisation) and reads the whole
answer: every step record and every tensor as nested JSON lists (about 600,000 numbers: W_1,
∇W_1 and W_1 after the update are each 256 × 784). The reference is what the handler asks of
the engine, run in this process: `Network.from_spec(spec)`, `initial_parameters()` and
`trace_iteration`. The two are timed alternately; the figure is the median over runs of
median(API) / median(engine). Target: ≤ 3×. The client accepts gzip, as a browser does;
`--identity` asks for the answer uncompressed, to tell serialising from compressing.

Run: `.venv/bin/python -m benchmarks.api_trace [--runs R] [--requests N] [--identity]`.
"""

from __future__ import annotations

import argparse
import statistics
import time

from benchmarks.common import fmt_seconds, mnist_spec, serve, timed_request, verdict

TARGET = 3.0


def main(argv: list[str] | None = None) -> int:
    """Print the API's and the engine's median time per run and the median ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs (5)")
    parser.add_argument("--requests", type=int, default=5, help="requests per run (5)")
    parser.add_argument("--identity", action="store_true", help="ask for no compression")
    parser.add_argument(
        "--encoding", default=None, help="ask for a compact tensor encoding (?encoding=NAME)"
    )
    args = parser.parse_args(argv)

    import httpx

    from app.engine import Network, trace_iteration

    raw = mnist_spec(1)
    params = {} if args.encoding is None else {"encoding": args.encoding}
    headers = {"Accept-Encoding": "identity" if args.identity else "gzip"}

    def engine_alone() -> float:
        start = time.perf_counter()
        network = Network.from_spec(raw)
        trace_iteration(network, network.initial_parameters())
        return time.perf_counter() - start

    with (
        serve() as server,
        httpx.Client(base_url=server.url, timeout=300, headers=headers) as client,
    ):
        first = client.post("/api/trace", json=raw, params=params)
        first.raise_for_status()
        sent = first.headers.get("content-encoding", "identity")
        wire = int(first.headers.get("content-length", len(first.content)))
        for _ in range(3):
            timed_request(client, "POST", "/api/trace", json=raw, params=params)
            engine_alone()
        encoding = "nested JSON lists" if args.encoding is None else f"encoding={args.encoding}"
        print(
            f"POST /api/trace, 784-256-128-10 batch 1 ({encoding}, {len(first.content) / 1e6:.1f}"
            f" MB; sent {sent}, {wire / 1e6:.1f} MB) vs the engine alone, {args.requests} "
            "alternating calls per run"
        )
        ratios = []
        for run in range(1, args.runs + 1):
            api, engine = [], []
            for _ in range(args.requests):
                api.append(timed_request(client, "POST", "/api/trace", json=raw, params=params))
                engine.append(engine_alone())
            ratio = statistics.median(api) / statistics.median(engine)
            ratios.append(ratio)
            print(
                f"  run {run}: API {fmt_seconds(statistics.median(api))}, "
                f"engine {fmt_seconds(statistics.median(engine))}, ratio {ratio:.1f}×"
            )
    ratio = statistics.median(ratios)
    print(
        f"  median ratio API / engine: {ratio:.1f}× (target ≤ {TARGET}×: {verdict(ratio, TARGET)})"
    )
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
