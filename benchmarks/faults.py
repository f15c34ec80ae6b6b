"""Faults a course meets, timed: a stuck session, a Redis restart, and endless request heads.

Real uvicorn processes on loopback, a real redis-server; the tests hold each of these to a
generous bound (tests/test_session_locks.py, tests/test_http_limits.py); this prints what
they take.

1. A lock left on one session (as a crash leaves it) and `--waiters` (60) steps waiting for it:
   the latency of steps on another session and of /api/health meanwhile, and when each waiter
   got its 409 (LOCK_WAIT_SECONDS set to `--wait`, 5 s).
2. Redis (append-only file) killed while a streamed training holds its session's lock, and
   started again: how long after its return each session steps again.
3. Ten connections each sending `--header-mb` (80) MB of header bytes without ending the head:
   the server's RSS growth, served as the image serves it (app.http_limits' protocol) and by a
   bare `uvicorn app.main:app` for comparison.

Run: `.venv/bin/python -m benchmarks.faults [--waiters N] [--wait S] [--header-mb M]`.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path

from benchmarks.common import fmt_seconds, percentile, rss_bytes
from devtools.server import REPO_ROOT, free_port, local_server


def _timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def stuck_session(waiters: int, wait: float, tmp: Path) -> None:
    import httpx
    import redis

    from app.engine import preset
    from tests.redis_server import RedisServer, find_or_install

    server_redis = RedisServer(find_or_install() or "redis-server", tmp)
    try:
        with local_server(
            store=server_redis.url(), env={"LOCK_WAIT_SECONDS": str(wait)}, access_log=False
        ) as server:
            http = httpx.Client(base_url=server.url, timeout=120)
            stuck, other = (
                http.post("/api/sessions", json=preset("xor").spec).json()["id"] for _ in "ab"
            )
            redis.Redis(port=server_redis.port).set(f"bpv:lock:{stuck}", "crash", px=45_000)
            many = httpx.Client(
                base_url=server.url, timeout=120, limits=httpx.Limits(max_connections=waiters)
            )
            with ThreadPoolExecutor(waiters) as pool:
                started = time.monotonic()
                waiting = [
                    pool.submit(
                        lambda: (
                            many.post(f"/api/sessions/{stuck}/step").status_code,
                            time.monotonic(),
                        )
                    )
                    for _ in range(waiters)
                ]
                time.sleep(0.5)
                steps, healths = [], []
                while time.monotonic() - started < wait - 0.5:
                    steps.append(_timed(lambda: http.post(f"/api/sessions/{other}/step")))
                    healths.append(_timed(lambda: http.get("/api/health")))
                answers = [future.result() for future in waiting]
            many.close()
            http.close()
    finally:
        server_redis.stop()
    statuses = sorted({status for status, _ in answers})
    got = [at - started for _, at in answers]
    print(
        f"  stuck session, {waiters} waiters, LOCK_WAIT_SECONDS={wait:g}: another session's "
        f"step p50 {fmt_seconds(percentile(steps, 50))}, max {fmt_seconds(max(steps))} "
        f"({len(steps)} steps); /api/health p50 {fmt_seconds(percentile(healths, 50))}, max "
        f"{fmt_seconds(max(healths))}; the waiters got {statuses} after "
        f"{min(got):.2f}–{max(got):.2f} s"
    )


def redis_restart(tmp: Path) -> None:
    import httpx

    from app.engine import preset
    from tests.redis_server import RedisServer, find_or_install
    from tests.test_server import train_in_background
    from tests.test_session_locks import BIG

    binary = find_or_install() or "redis-server"
    first = RedisServer(binary, tmp, appendonly=True)
    again = None
    try:
        with local_server(store=first.url(), access_log=False) as server:
            http = httpx.Client(base_url=server.url, timeout=60)
            busy = http.post("/api/sessions", json=BIG).json()["id"]
            idle = [http.post("/api/sessions", json=preset("xor").spec).json()["id"] for _ in "abc"]

            training = train_in_background(f"{server.url}/api/sessions/{busy}/train/stream", 2000)
            while not first.client.exists(f"bpv:lock:{busy}"):
                pass
            first.kill()
            training.join()
            time.sleep(1)
            again = RedisServer(binary, tmp, appendonly=True, port=first.port)
            returned = time.monotonic()
            left = again.client.pttl(f"bpv:lock:{busy}")
            after = {}
            for session_id in [*idle, busy]:  # the others first: they wait for nothing
                while http.post(f"/api/sessions/{session_id}/step").status_code != 200:
                    time.sleep(0.05)
                after[session_id] = time.monotonic() - returned
            http.close()
    finally:
        (again or first).stop()
    print(
        f"  Redis killed with a lock held and started again: the lock came back with "
        f"{left / 1000:.2f} s left; the other sessions stepped again "
        f"{max(v for k, v in after.items() if k != busy):.2f} s after Redis's return at most, "
        f"the locked one after {after[busy]:.2f} s"
    )


def _attack(port: int, megabytes: int) -> None:
    chunk = b"X-Filler: " + b"a" * (64 * 1024 - 12) + b"\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n")
        with suppress(OSError):
            for _ in range(megabytes * 16):
                connection.sendall(chunk)


def endless_heads(megabytes: int, bounded: bool, tmp: Path) -> None:
    import httpx

    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--port", str(port)]
    command += ["--host", "127.0.0.1", "--log-level", "warning", "--no-access-log"]
    if bounded:
        command += ["--http", "app.http_limits:HeadLimitedHttp"]
    process = subprocess.Popen(
        command, cwd=REPO_ROOT, env=os.environ | {"STORE": "memory://"}, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        before = rss_bytes(process.pid)
        start = time.monotonic()
        threads = [threading.Thread(target=_attack, args=(port, megabytes)) for _ in range(10)]
        for thread in threads:
            thread.start()
        peak = before
        while any(thread.is_alive() for thread in threads):
            peak = max(peak, rss_bytes(process.pid))
            time.sleep(0.05)
        took = time.monotonic() - start
        peak = max(peak, rss_bytes(process.pid))
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)
    how = "app.http_limits' protocol" if bounded else "bare uvicorn"
    print(
        f"  10 × {megabytes} MB of header bytes, {how}: RSS {before / 2**20:.0f} MB → peak "
        f"{peak / 2**20:.0f} MB (+{(peak - before) / 2**20:.0f} MB) in {took:.1f} s"
    )


def main(argv: list[str] | None = None) -> int:
    """Time each fault and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--waiters", type=int, default=60, help="steps on the stuck session")
    parser.add_argument("--wait", type=float, default=5.0, help="LOCK_WAIT_SECONDS (5)")
    parser.add_argument("--header-mb", type=int, default=80, help="MB per attacking connection")
    args = parser.parse_args(argv)
    print("faults:")
    with tempfile.TemporaryDirectory(prefix="bench-faults-") as tmp:
        for n, step in enumerate(
            [
                lambda d: stuck_session(args.waiters, args.wait, d),
                redis_restart,
                lambda d: endless_heads(args.header_mb, True, d),
                lambda d: endless_heads(args.header_mb, False, d),
            ]
        ):
            directory = Path(tmp) / str(n)
            directory.mkdir()
            step(directory)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
