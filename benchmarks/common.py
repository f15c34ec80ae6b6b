"""Shared helpers of the benchmarks: specs, thread limits, timing, and a real server to measure."""

from __future__ import annotations

import contextlib
import os
import re
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from devtools.server import REPO_ROOT, LocalServer, local_server

CLICK_TO_DRAWN = """
() => new Promise((resolve) => {
  const body = document.body;
  const start = performance.now();
  const observer = new MutationObserver(() => {
    if (body.dataset.busy !== "false") return;
    observer.disconnect();
    requestAnimationFrame(() => resolve(performance.now() - start));
  });
  observer.observe(body, { attributes: true, attributeFilter: ["data-busy"] });
  document.getElementById("step").click();
})
"""
"""A page script: clicks Step and resolves with the milliseconds until the step is drawn (the
page no longer busy, then the next frame)."""


def deployed_environment() -> dict[str, str]:
    """What the Dockerfile sets for the server's process that changes its speed: glibc's malloc
    thresholds (`GLIBC_TUNABLES`, see deploy/serve.sh). The benchmarks' servers run with it;
    `python -m benchmarks` runs each script with it too, so that a reference measured in the
    script's own process (the engine alone, PyTorch) runs under the same allocator."""
    dockerfile = (REPO_ROOT / "Dockerfile").read_text(encoding="utf-8")
    found = re.search(r"^\s*GLIBC_TUNABLES=(\S+)", dockerfile, flags=re.MULTILINE)
    if found is None:
        raise RuntimeError("the Dockerfile sets no GLIBC_TUNABLES")
    return {"GLIBC_TUNABLES": found[1]}


def as_deployed() -> bool:
    """Whether this process runs with `deployed_environment()`."""
    return all(os.environ.get(k) == v for k, v in deployed_environment().items())


def spec(
    layers: Sequence[int],
    activations: Sequence[str] | str,
    *,
    loss: str = "squared_error",
    batch: int = 4,
    seed: int = 0,
    learning_rate: float = 0.1,
) -> dict[str, Any]:
    """A JSON-like spec with seeded random inputs (batch × n_0) and targets.

    Softmax cross-entropy gets one-hot targets; squared error gets targets uniform in [0, 1].
    """
    rng = np.random.default_rng(seed)
    inputs = rng.normal(size=(batch, layers[0]))
    if loss == "softmax_cross_entropy":
        targets = np.eye(layers[-1])[rng.integers(0, layers[-1], size=batch)]
    else:
        targets = rng.uniform(size=(batch, layers[-1]))
    return {
        "layers": list(layers),
        "activations": activations,
        "loss": loss,
        "inputs": inputs.tolist(),
        "targets": targets.tolist(),
        "seed": seed,
        "learning_rate": learning_rate,
    }


def mnist_spec(batch: int) -> dict[str, Any]:
    """784-256-128-10: sigmoid, sigmoid, identity output with softmax cross-entropy."""
    return spec(
        [784, 256, 128, 10],
        ["sigmoid", "sigmoid", "identity"],
        loss="softmax_cross_entropy",
        batch=batch,
    )


def layers_of(width: int, *, layers: int = 3, batch: int = 16, seed: int = 0) -> dict[str, Any]:
    """`layers` layers of `width` neurons with `width` inputs: every W_i is width × width.

    tanh on the hidden layers, sigmoid on the last, squared error; X is width × batch.
    """
    return spec(
        [width] * (layers + 1),
        ["tanh"] * (layers - 1) + ["sigmoid"],
        batch=batch,
        seed=seed,
    )


def limit_threads(threads: int) -> None:
    """Make numpy's BLAS (and torch, if loaded later) use `threads` threads."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=threads)


def time_calls(function: Callable[[], object], number: int) -> float:
    """The median seconds of one call over `number` back-to-back calls, each timed alone.

    The median, not the mean: a call during which the OS ran another process is an outlier.
    """
    times = []
    for _ in range(number):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def calls_for(function: Callable[[], object], budget: float) -> int:
    """How many calls of `function` fit in about `budget` seconds (at least 3)."""
    function()
    start = time.perf_counter()
    for _ in range(3):
        function()
    once = (time.perf_counter() - start) / 3
    return max(3, int(budget / max(once, 1e-9)))


@dataclass(frozen=True)
class Comparison:
    """Per-run median seconds of a subject and its reference, measured alternately in one run."""

    subject: list[float]
    reference: list[float]

    @property
    def ratios(self) -> list[float]:
        """subject / reference, run by run."""
        return [s / r for s, r in zip(self.subject, self.reference, strict=True)]

    @property
    def ratio(self) -> float:
        """The median of the per-run ratios."""
        return statistics.median(self.ratios)


def compare(
    subject: Callable[[], object],
    reference: Callable[[], object],
    *,
    runs: int = 7,
    budget: float = 0.2,
) -> Comparison:
    """Time `subject` and `reference` alternately, `runs` times each, about `budget` s a run."""
    n_subject, n_reference = calls_for(subject, budget), calls_for(reference, budget)
    subject_times, reference_times = [], []
    for _ in range(runs):
        subject_times.append(time_calls(subject, n_subject))
        reference_times.append(time_calls(reference, n_reference))
    return Comparison(subject_times, reference_times)


def verdict(value: float, target: float) -> str:
    """'met' when value ≤ target, else 'MISSED'."""
    return "met" if value <= target else "MISSED"


def fmt_seconds(seconds: float) -> str:
    """A duration in the most readable unit."""
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0 … 100) of `values`, linearly interpolated."""
    return float(np.percentile(np.asarray(values, dtype=np.float64), q))


def rss_bytes(pid: int) -> int:
    """Resident set size of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


@contextlib.contextmanager
def serve(*, store: str = "memory://", env: dict[str, str] | None = None) -> Iterator[LocalServer]:
    """Run `uvicorn app.main:app` in a subprocess on a free loopback port; stop it afterwards.

    One worker, the app's own defaults, sessions in `store` (the memory store unless told; a
    `sqlite` store is placed in a temporary directory), no access log. Waits until /api/health
    answers.
    """
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        if store == "sqlite":
            store = f"sqlite:///{tmp}/sessions.sqlite3"
        environment = deployed_environment() | (env or {})
        with local_server(store=store, env=environment, access_log=False) as server:
            yield server


def timed_request(client: Any, method: str, url: str, **kwargs: Any) -> float:
    """Seconds one request took, body read; raises on any status other than 2xx."""
    start = time.perf_counter()
    response = client.request(method, url, **kwargs)
    response.read()
    elapsed = time.perf_counter() - start
    response.raise_for_status()
    return elapsed


def latency_line(name: str, seconds: Sequence[float]) -> str:
    """`name: p50 … p95 … p99 …` for a list of latencies."""
    return (
        f"{name}: p50 {fmt_seconds(percentile(seconds, 50))}, "
        f"p95 {fmt_seconds(percentile(seconds, 95))}, p99 {fmt_seconds(percentile(seconds, 99))}"
    )
