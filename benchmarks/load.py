"""Load: 200 students stepping their own sessions at once, against the no-op endpoint.

A real uvicorn server (one worker, the app's default SQLite store in a temporary directory, or
`--store memory://`) runs in a subprocess on a loopback port. Each simulated student is an
asyncio task with an httpx.AsyncClient of its own (one keep-alive connection, as a browser
tab). It has its own session of 3 layers of 16 (16-16-16-16, batch 16), created beforehand,
and sends `POST …/step` back to back; then the same students send `GET /api/health` (the
app's trivial JSON endpoint) back to back. Each goes on for `--seconds` (30) in all, in
`--rounds` (3) alternating rounds of a third of that, so that both meet the machine in the
same moods (its speed wanders from one minute to the next). Printed: each
round's throughputs and ratio; for each endpoint over all rounds requests, errors (any
exception or non-2xx), throughput and p50/p95/p99 latency; then the median of the rounds'
throughput ratios step / no-op.
Targets: zero errors; throughput ≥ 0.5× the no-op's.

Bounded: loopback only, each phase stops by itself after its share of `--seconds`, and each
student sends at most `--max-requests` per phase.

Run: `.venv/bin/python -m benchmarks.load [--students N] [--seconds S] [--rounds R]
[--store URL]`.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from dataclasses import dataclass, field
from typing import Any

from benchmarks.common import latency_line, layers_of, serve, verdict

TARGET = 0.5


def add_load_options(parser: argparse.ArgumentParser, *, seconds: float, seconds_help: str) -> None:
    """The options of a load of students (here and in scale.py): how many, for how long, in how
    many alternating rounds, and the most requests a student sends in a phase."""
    parser.add_argument("--students", type=int, default=200, help="concurrent students (200)")
    parser.add_argument(
        "--seconds", type=float, default=seconds, help=f"{seconds_help} ({seconds:g})"
    )
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (3)")
    parser.add_argument("--max-requests", type=int, default=100_000, help="per student, phase")


@dataclass
class Phase:
    """What one phase of the load saw."""

    name: str
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def throughput(self) -> float:
        """Successful requests per second (0 before any time was spent)."""
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def summary(self, requests: str | None = None) -> str:
        """One line: requests, errors, throughput, percentiles (named `requests`, by default the
        phase's name)."""
        return (
            f"{len(self.latencies):,} requests, {len(self.errors)} errors, "
            f"{self.throughput:,.0f} req/s; {latency_line(requests or self.name, self.latencies)}"
        )


async def create_sessions(client: Any, students: int) -> list[str]:
    """A session of 3 layers of 16 (batch 16) per student, each of its own seed; their ids."""
    ids = []
    for n in range(students):
        created = await client.post("/api/sessions", json=layers_of(16, seed=n))
        created.raise_for_status()
        ids.append(created.json()["id"])
    return ids


async def student(
    client: Any, method: str, url: str, deadline: float, max_requests: int, phase: Phase
) -> None:
    """Sends `method url` back to back until `deadline` (time.monotonic) or `max_requests`,
    each answer's latency or error counted in `phase`."""
    for _ in range(max_requests):
        if time.monotonic() >= deadline:
            return
        start = time.perf_counter()
        try:
            response = await client.request(method, url)
            await response.aread()
            response.raise_for_status()
        except Exception as error:  # every failure counts, whatever its kind
            phase.errors.append(f"{type(error).__name__}: {error}")
        else:
            phase.latencies.append(time.perf_counter() - start)


async def _run(args: argparse.Namespace, base_url: str) -> list[tuple[Phase, Phase]]:
    import httpx

    async with httpx.AsyncClient(base_url=base_url, timeout=60.0) as client:
        ids = await create_sessions(client, args.students)
    rounds = []
    for _ in range(args.rounds):
        phases = []
        for name, method, urls in (
            ("step", "POST", [f"/api/sessions/{i}/step" for i in ids]),
            ("no-op", "GET", ["/api/health"] * args.students),
        ):
            phases.append(await _phase(args, base_url, name, method, urls))
        rounds.append((phases[0], phases[1]))
    return rounds


async def _phase(
    args: argparse.Namespace, base_url: str, name: str, method: str, urls: list[str]
) -> Phase:
    import httpx

    # A client of its own per student, as a browser tab: one keep-alive connection. New for
    # each phase and made before it is timed, so that no connection has sat idle past the
    # server's keep-alive timeout when a phase starts.
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    clients = [
        httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60.0)
        for _ in range(args.students)
    ]
    phase = Phase(name)
    try:
        start = time.monotonic()
        deadline = start + args.seconds / args.rounds
        await asyncio.gather(
            *(
                student(client, method, url, deadline, args.max_requests, phase)
                for client, url in zip(clients, urls, strict=True)
            )
        )
        phase.seconds = time.monotonic() - start
    finally:
        for client in clients:
            await client.aclose()
    return phase


def _merged(name: str, phases: list[Phase]) -> Phase:
    merged = Phase(name, seconds=sum(p.seconds for p in phases))
    for phase in phases:
        merged.latencies += phase.latencies
        merged.errors += phase.errors
    return merged


def main(argv: list[str] | None = None) -> int:
    """Run both phases and print their figures and the throughput ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_load_options(parser, seconds=30.0, seconds_help="seconds of each endpoint")
    parser.add_argument("--store", default="sqlite", help="'sqlite' (a temp file) or a URL")
    args = parser.parse_args(argv)

    with serve(store=args.store) as server:
        rounds = asyncio.run(_run(args, server.url))
    print(
        f"load: {args.students} students, 3 layers of 16 (batch 16), store {args.store}, "
        f"{args.seconds:g} s of each in {args.rounds} alternating rounds"
    )
    ratios = []
    for n, (step_round, noop_round) in enumerate(rounds, 1):
        ratios.append(step_round.throughput / noop_round.throughput)
        print(
            f"  round {n}: step {step_round.throughput:,.0f} req/s, no-op "
            f"{noop_round.throughput:,.0f} req/s: {ratios[-1]:.2f}×"
        )
    step = _merged("step", [s for s, _ in rounds])
    noop = _merged("no-op", [n for _, n in rounds])
    print(f"  step:  {step.summary()}")
    print(f"  no-op: {noop.summary()}")
    for error in sorted(set(step.errors + noop.errors))[:5]:
        print(f"  error: {error}")
    ratio = statistics.median(ratios)
    errors = len(step.errors) + len(noop.errors)
    print(
        f"  errors: {errors} (target 0: {'met' if errors == 0 else 'MISSED'}); "
        f"throughput step / no-op, median of the rounds {ratio:.2f}× (target ≥ {TARGET}×: "
        f"{verdict(TARGET, ratio)})"
    )
    return 0 if errors == 0 and ratio >= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
