"""Scale-out: the same 200-student load through nginx on one app process and on two, side by side.

The compose topology on loopback: Debian's nginx running deploy/nginx.conf (as
tests/test_topology.py runs it) in front of one or two uvicorn processes sharing a real
redis-server (no persistence: nothing here needs it). Each simulated student is an asyncio
task with an httpx.AsyncClient of its own (one keep-alive connection to nginx, as a browser
tab), its own session of 3 layers of 16 (batch 16), and sends `POST …/step` back to back. The
two set-ups alternate for `--rounds` rounds of `--seconds` each, so that both meet the machine
in the same moods. Printed for each: requests, errors, throughput and p50/p95/p99; then the
throughput ratio two / one, and the CPU time each request cost the app processes, nginx and
Redis (from /proc), which says what a machine with more cores would show.

On a 2-core machine the load generator, nginx and Redis share the cores with the app: the
ratio is a figure, not a verdict (no target; exits 0 when nothing failed).

Bounded: loopback only; each phase stops by itself after `--seconds`, each student sends at
most `--max-requests` a phase.

Run: `.venv/bin/python -m benchmarks.scale [--students N] [--seconds S] [--rounds R]`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import load
from devtools.server import local_server

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


@dataclass
class Phase(load.Phase):
    """What one set-up saw over its rounds, and the CPU time of each role (app, nginx, …)."""

    cpu: dict[str, float] = field(default_factory=dict)


@dataclass
class Setup:
    """nginx in front of `apps`, on one Redis."""

    name: str
    url: str
    pids: dict[str, list[int]]


async def _round(args: argparse.Namespace, setup: Setup, ids: list[str], phase: Phase) -> None:
    import httpx

    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    clients = [httpx.AsyncClient(base_url=setup.url, limits=limits, timeout=60.0) for _ in ids]
    pids = [(role, pid) for role, group in setup.pids.items() for pid in group]
    before = {(role, pid): cpu_seconds(pid) for role, pid in pids}
    generator = time.process_time()
    try:
        start = time.monotonic()
        deadline = start + args.seconds
        await asyncio.gather(
            *(
                load.student(
                    client, "POST", f"/api/sessions/{i}/step", deadline, args.max_requests, phase
                )
                for client, i in zip(clients, ids, strict=True)
            )
        )
        phase.seconds += time.monotonic() - start
    finally:
        for client in clients:
            await client.aclose()
    for role, pid in pids:
        phase.cpu[role] = phase.cpu.get(role, 0.0) + cpu_seconds(pid) - before[(role, pid)]
    phase.cpu["load generator"] = phase.cpu.get("load generator", 0.0) + (
        time.process_time() - generator
    )


async def _sessions(url: str, students: int) -> list[str]:
    import httpx

    async with httpx.AsyncClient(base_url=url, timeout=60.0) as client:
        return await load.create_sessions(client, students)


@contextlib.contextmanager
def _setup(name: str, apps: int, redis_url: str, redis_pid: int, tmp: Path) -> Iterator[Setup]:
    from tests.nginx_server import NginxServer, find_or_install

    binary = find_or_install()
    if binary is None:
        raise SystemExit("scale: nginx is not installed and apt-get could not install it")
    with contextlib.ExitStack() as stack:
        servers = [
            stack.enter_context(local_server(store=redis_url, access_log=False))
            for _ in range(apps)
        ]
        directory = tmp / name
        directory.mkdir()
        upstreams = [server.url.removeprefix("http://") for server in servers]
        nginx = NginxServer(binary, directory, upstreams)
        stack.callback(nginx.stop)
        yield Setup(
            name,
            nginx.url,
            {
                "app": [server.pid for server in servers],
                "nginx": _children(nginx.process.pid),
                "redis": [redis_pid],
            },
        )


def _children(pid: int) -> list[int]:
    """The process and its children (nginx's master and worker)."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        found += [int(child) for child in children]
    return found


def main(argv: list[str] | None = None) -> int:
    """Run the load through nginx on one app process and on two, and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    load.add_load_options(parser, seconds=10.0, seconds_help="seconds of a set-up in a round")
    args = parser.parse_args(argv)

    from tests.redis_server import RedisServer
    from tests.redis_server import find_or_install as find_redis

    redis_binary = find_redis()
    if redis_binary is None:
        raise SystemExit("scale: redis-server is not installed and apt-get could not install it")
    phases = {"one": Phase("one app process"), "two": Phase("two app processes")}
    ratios = []
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        redis = RedisServer(redis_binary, Path(tmp))
        try:
            setups = {}
            with contextlib.ExitStack() as stack:
                for database, (key, apps) in enumerate((("one", 1), ("two", 2)), start=1):
                    setups[key] = stack.enter_context(
                        _setup(key, apps, redis.url(database), redis.process.pid, Path(tmp))
                    )
                ids = {
                    key: asyncio.run(_sessions(s.url, args.students)) for key, s in setups.items()
                }
                for _ in range(args.rounds):
                    before = {key: len(phase.latencies) for key, phase in phases.items()}
                    for key in ("one", "two"):
                        asyncio.run(_round(args, setups[key], ids[key], phases[key]))
                    rates = {
                        key: (len(phases[key].latencies) - before[key]) / args.seconds
                        for key in phases
                    }
                    ratios.append(rates["two"] / rates["one"] if rates["one"] else 0.0)
        finally:
            redis.stop()

    cores = os.cpu_count() or 1
    print(
        f"scale: {args.students} students stepping 16-16-16-16 (batch 16) through nginx "
        f"(deploy/nginx.conf), sessions in Redis; {args.rounds} rounds of {args.seconds:g} s "
        f"each, alternating; {cores} cores shared by everything"
    )
    for phase in phases.values():
        print(f"  {phase.name}: {phase.summary('step')}")
    for phase in phases.values():
        for error in sorted(set(phase.errors))[:3]:
            print(f"  error ({phase.name}): {error}")
    print(
        f"  throughput two / one: {', '.join(f'{r:.2f}×' for r in ratios)} by round, "
        f"median {statistics.median(ratios):.2f}×"
    )
    for phase in phases.values():
        served = max(len(phase.latencies), 1)
        per = ", ".join(
            f"{role} {seconds / served * 1000:.2f} ms" for role, seconds in phase.cpu.items()
        )
        busy = sum(phase.cpu.values()) / phase.seconds
        print(f"  CPU per request, {phase.name}: {per} ({busy:.2f} of {cores} cores busy)")
    # The cheaper of the two set-ups' figures: contention for the cores only adds to them.
    app_ms = min(p.cpu["app"] / max(len(p.latencies), 1) for p in phases.values()) * 1000
    rest_ms = (
        min((p.cpu["nginx"] + p.cpu["redis"]) / max(len(p.latencies), 1) for p in phases.values())
        * 1000
    )
    print(
        f"  on more cores: each app process serves at most about {1000 / app_ms:,.0f} steps/s "
        f"({app_ms:.2f} ms of CPU each); with the load generated elsewhere, 4 cores (3 app "
        f"processes, nginx and Redis on the 4th at {rest_ms:.2f} ms a step) would serve about "
        f"{3000 / app_ms:,.0f}/s and 8 cores (7 processes) about {7000 / app_ms:,.0f}/s, "
        f"while nginx and Redis keep up to {1000 / rest_ms:,.0f}/s on their core"
    )
    errors = sum(len(phase.errors) for phase in phases.values())
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
