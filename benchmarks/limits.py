"""Worst-case requests at the server's limits: each kind of request, on the biggest networks the
limits allow, should answer within a second on this 2-core machine (issue 7).

A real uvicorn server (one worker, the default SQLite store in a temporary directory, the
default settings, or others with `--env NAME=VALUE`) runs on a loopback port. Three networks
stretch the limits three ways: the most parameters (one wide hidden layer), the most depth
(MAX_DEPTH layers as wide as MAX_PARAMETERS allows) and the most activations (layers of
MAX_WIDTH and of 1 neuron in turn); each has the biggest batch MAX_ACTIVATIONS and MAX_BATCH
allow. Every request kind is sent to each, its answer read whole (gzip accepted, as a browser
does), the median of `--repeat` runs where a request can be repeated. Prints a table, the
slowest of each kind, and exits 1 when one is over `--budget` seconds.

Bounded: loopback only; about 40 requests per network. Run:
`.venv/bin/python -m benchmarks.limits [--env MAX_BATCH=64] [--budget 1.0] [--repeat 3]`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from benchmarks.common import serve

MB = 1e6


@dataclass(frozen=True)
class Shape:
    """A worst-case network: its name, widths and batch."""

    name: str
    layers: list[int]
    batch: int

    @property
    def parameters(self) -> int:
        return sum(n * (p + 1) for p, n in zip(self.layers, self.layers[1:], strict=False))

    def spec(self) -> dict[str, Any]:
        rng = np.random.default_rng(0)
        return {
            "layers": self.layers,
            "activations": "tanh",
            "inputs": rng.normal(size=(self.batch, self.layers[0])).tolist(),
            "targets": rng.uniform(size=(self.batch, self.layers[-1])).tolist(),
        }


def worst_shapes(settings: Any) -> list[Shape]:
    """The three networks at the limits of `settings` (an app.config.Settings)."""
    width, depth = settings.max_width, settings.max_depth
    most, batch, activations = settings.max_parameters, settings.max_batch, settings.max_activations

    def fit(layers: list[int]) -> Shape:
        m = min(batch, activations // sum(layers))
        return Shape("", layers, m)

    hidden = min(width, (most - 1) // (width + 2))  # h (W + 1) + (h + 1) parameters
    wide = fit([width, hidden, 1])
    side = max(w for w in range(1, width + 1) if depth * w * (w + 1) <= most)
    deep = fit([side] * (depth + 1))
    zigzag = fit([width if i % 2 == 0 else 1 for i in range(depth + 1)])
    return [
        Shape("most parameters", wide.layers, wide.batch),
        Shape("most depth", deep.layers, deep.batch),
        Shape("most activations", zigzag.layers, zigzag.batch),
    ]


@dataclass
class Timing:
    kind: str
    seconds: float
    status: int
    megabytes: float


def measure(
    client: Any, kind: str, method: str, url: str, repeat: int, **kwargs: Any
) -> tuple[Timing, Any]:
    """The median time of `repeat` requests (the answer read whole), and the last answer."""
    times, response = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.request(method, url, **kwargs)
        response.read()
        times.append(time.perf_counter() - start)
    assert response is not None
    size = len(response.content) / MB
    return Timing(kind, statistics.median(times), response.status_code, size), response


def run_shape(client: Any, shape: Shape, repeat: int, settings: Any) -> list[Timing]:
    """Every request kind on one network."""
    spec = shape.spec()
    k = len(shape.layers) - 1
    timings: list[Timing] = []

    def timed(kind: str, method: str, url: str, times: int = repeat, **kw: Any) -> Any:
        timing, response = measure(client, kind, method, url, times, **kw)
        timings.append(timing)
        return response

    timed("POST /api/trace", "POST", "/api/trace", json=spec)
    session_id = timed("POST /api/sessions", "POST", "/api/sessions", 1, json=spec).json()["id"]
    base = f"/api/sessions/{session_id}"
    timed("GET /api/sessions/{id}", "GET", base)
    for _ in range(2 * k + 1):
        timed("POST …/step", "POST", f"{base}/step", 1)
    timed("GET …/current", "GET", f"{base}/current")
    timed("GET …/steps/{n}", "GET", f"{base}/steps/{k + 2}")
    timed("POST …/goto", "POST", f"{base}/goto", 1, json={"step": 2 * k + 2})
    timed("POST …/back (across an update)", "POST", f"{base}/back", 1)
    allowance = min(
        settings.max_train_iterations,
        max(1, settings.max_train_work // (shape.parameters + sum(shape.layers) * shape.batch)),
    )
    timed(
        "POST …/train (the most allowed)",
        "POST",
        f"{base}/train",
        1,
        json={"iterations": allowance},
    )
    exported = timed("GET …/export (history kept)", "GET", f"{base}/export")
    timed(  # posted back as it came, as `curl --data-binary @saved.json` does
        "POST /api/sessions (the export)",
        "POST",
        "/api/sessions",
        1,
        content=exported.content,
        headers={"content-type": "application/json"},
    )
    timed("GET …/gradients", "GET", f"{base}/gradients")
    timed("GET …/explain", "GET", f"{base}/explain", params={"tensor": "W1", "row": 1, "col": 1})
    for suffix in ("trace.json", "trace.csv", "trace.npz"):
        timed(f"GET …/export/{suffix}", "GET", f"{base}/export/{suffix}")
    timed("GET …/tensors/W1/latex", "GET", f"{base}/tensors/W1/latex")
    view = timed("POST …/view", "POST", f"{base}/view", 1).json()["view_id"]
    timed("GET /api/views/{id}", "GET", f"/api/views/{view}")
    timed("POST …/reset", "POST", f"{base}/reset", 1)
    timed("DELETE …", "DELETE", base, 1)
    return timings


def main(argv: list[str] | None = None) -> int:
    """Measure every request kind on the worst-case networks; 1 when one is over budget."""
    import httpx

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for the server")
    parser.add_argument("--budget", type=float, default=1.0, help="seconds a request may take")
    parser.add_argument("--repeat", type=int, default=3, help="runs of a repeatable request")
    args = parser.parse_args(argv)
    env = dict(item.split("=", 1) for item in args.env)

    from app.config import Settings

    os.environ.update(env)
    settings = Settings(store="memory://")
    slowest: dict[str, Timing] = {}
    with (
        serve(store="sqlite", env=env) as server,
        httpx.Client(
            base_url=server.url, timeout=120, headers={"accept-encoding": "gzip"}
        ) as client,
    ):
        for shape in worst_shapes(settings):
            activations = sum(shape.layers) * shape.batch
            print(
                f"{shape.name}: layers {shape.layers}, batch {shape.batch}, "
                f"{shape.parameters:,} parameters, {activations:,} activations"
            )
            for t in run_shape(client, shape, args.repeat, settings):
                print(
                    f"  {t.kind:36s} {t.seconds * 1e3:8.0f} ms  {t.status}  {t.megabytes:6.1f} MB"
                )
                if t.kind not in slowest or t.seconds > slowest[t.kind].seconds:
                    slowest[t.kind] = t
    over = [t for t in slowest.values() if t.seconds > args.budget]
    print(f"slowest of each kind (budget {args.budget:g} s):")
    for t in sorted(slowest.values(), key=lambda t: -t.seconds):
        mark = "OVER" if t in over else "ok"
        print(f"  {t.kind:36s} {t.seconds * 1e3:8.0f} ms  {mark}")
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
