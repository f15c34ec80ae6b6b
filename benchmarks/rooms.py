"""Rooms: how soon a class of followers moves to the lecturer's new network, and what they cost.

A real uvicorn server (one worker, SQLite in a temporary directory, or `--store URL`) runs on a
loopback port. `--followers` students (100) each hold the room's event stream open, as a
browser tab does (an asyncio task with an httpx.AsyncClient of its own). First nothing happens
for `--idle-seconds` (10): the server's CPU time over that while is printed as a share of one
core (what a class costs just by following). Then the lecturer's page re-points the room
`--changes` times (10), one a second, alternately to two sessions (XOR, and the Q&A's network):
each follower's delay from sending the PUT to its `network` event is recorded. Printed: the
delays' p50, p95 and maximum, and the CPU share while changing.
Targets: no errors; every follower moves within 1 s (the maximum).

Bounded: loopback only; it stops by itself after about idle + changes + 10 seconds.

Run: `.venv/bin/python -m benchmarks.rooms [--followers N] [--changes C] [--idle-seconds S]
[--store URL]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from pathlib import Path

from app.engine import preset
from benchmarks.common import fmt_seconds, latency_line, percentile, serve, verdict

TARGET_SECONDS = 1.0


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used so far, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _follow(
    base_url: str, room_id: str, started: dict[int, float], delays: list[float], errors: list[str]
) -> None:
    import httpx

    async with (
        httpx.AsyncClient(base_url=base_url, timeout=None) as client,
        client.stream("GET", f"/api/views/{room_id}/events") as response,
    ):
        event = ""
        async for line in response.aiter_lines():
            if line.startswith("event: "):
                event = line[len("event: ") :]
            elif line.startswith("data: ") and event == "network":
                network = json.loads(line[len("data: ") :])["room"]["network"]
                if network in started:
                    delays.append(time.perf_counter() - started[network])
            elif line.startswith("data: ") and event in ("gone", "failed"):
                errors.append(line)
                return


async def _run(args: argparse.Namespace, base_url: str, pid: int) -> int:
    import httpx

    started: dict[int, float] = {}
    delays: list[float] = []
    errors: list[str] = []
    async with httpx.AsyncClient(base_url=base_url, timeout=60.0) as client:
        sessions = []
        for name in ("xor", "qa-one-hidden"):
            answer = await client.post("/api/sessions", json=preset(name).spec)
            sessions.append(answer.json()["id"])
        owned = (await client.post("/api/rooms", json={"session": sessions[0]})).json()
        tasks = [
            asyncio.create_task(_follow(base_url, owned["id"], started, delays, errors))
            for _ in range(args.followers)
        ]
        await asyncio.sleep(3)  # every stream open and its first event sent
        before = cpu_seconds(pid)
        await asyncio.sleep(args.idle_seconds)
        idle_share = (cpu_seconds(pid) - before) / args.idle_seconds
        before, began = cpu_seconds(pid), time.monotonic()
        for change in range(args.changes):
            started[change + 2] = time.perf_counter()
            body = {"key": owned["key"], "session": sessions[(change + 1) % 2]}
            answer = await client.put(f"/api/rooms/{owned['id']}", json=body)
            if answer.status_code != 200:
                errors.append(answer.text)
            await asyncio.sleep(1.0)
        changing_share = (cpu_seconds(pid) - before) / (time.monotonic() - began)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    expected = args.followers * args.changes
    print(f"{args.followers} followers, {args.changes} changes of network, store {args.store}")
    print(f"  server CPU, followers idle:       {idle_share:6.1%} of one core")
    print(f"  server CPU, a change a second:    {changing_share:6.1%} of one core")
    print(f"  moves seen: {len(delays)} of {expected}; errors: {len(errors)}")
    if delays:
        print(f"  {latency_line('delay to the new network', delays)}")
        worst = max(delays)
        print(
            f"  slowest follower: {fmt_seconds(worst)} "
            f"(target ≤ {TARGET_SECONDS:.0f} s: {verdict(worst, TARGET_SECONDS)}); "
            f"p50 {fmt_seconds(percentile(delays, 50))}"
        )
    met = not errors and len(delays) == expected and max(delays) <= TARGET_SECONDS
    return 0 if met else 1


def main(argv: list[str] | None = None) -> int:
    """Measure a class following a room; exit 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--followers", type=int, default=100)
    parser.add_argument("--changes", type=int, default=10)
    parser.add_argument("--idle-seconds", type=float, default=10.0)
    parser.add_argument("--store", default="sqlite")
    args = parser.parse_args(argv)
    with serve(store=args.store) as server:
        return asyncio.run(_run(args, server.url, server.pid))


if __name__ == "__main__":
    raise SystemExit(main())
