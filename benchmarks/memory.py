"""Memory: the server's RSS growth after 1,000 sessions of 3 layers of 32 are created.

A real uvicorn server (one worker) runs in a subprocess on a loopback port, with the app's
default SQLite store in a temporary directory and then with `memory://` (sessions kept in the
process: the worst case). After a warm-up (one session created, stepped and deleted, so that
lazy imports and first-use caches are not counted), its resident set size is read from
/proc; then 1,000 sessions of 3 layers of 32 (32-32-32-32, batch 16, each its own seed) are
created and the RSS is read again. Target: growth ≤ 200 MB.

Run: `.venv/bin/python -m benchmarks.memory [--sessions N] [--store URL ...]`.
"""

from __future__ import annotations

import argparse

from benchmarks.common import layers_of, rss_bytes, serve, verdict

TARGET_MB = 200.0
MB = 1e6


def growth(store: str, sessions: int) -> tuple[int, int]:
    """(RSS before, RSS after) in bytes, for `sessions` sessions created in `store`."""
    import httpx

    with serve(store=store) as server, httpx.Client(base_url=server.url, timeout=60) as client:
        warm = client.post("/api/sessions", json=layers_of(32, seed=10**6))
        warm.raise_for_status()
        url = f"/api/sessions/{warm.json()['id']}"
        client.post(f"{url}/step").raise_for_status()
        client.delete(url).raise_for_status()
        before = rss_bytes(server.pid)
        for n in range(sessions):
            client.post("/api/sessions", json=layers_of(32, seed=n)).raise_for_status()
        return before, rss_bytes(server.pid)


def main(argv: list[str] | None = None) -> int:
    """Print RSS before and after, and the growth, for each store."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1000, help="sessions created (1000)")
    parser.add_argument(
        "--store",
        action="append",
        help="'sqlite' (a temp file) or a URL; repeatable (default: sqlite and memory://)",
    )
    args = parser.parse_args(argv)

    print(f"memory: server RSS before and after {args.sessions:,} sessions of 3 layers of 32")
    status = 0
    for store in args.store or ["sqlite", "memory://"]:
        before, after = growth(store, args.sessions)
        grown = (after - before) / MB
        status |= grown > TARGET_MB
        print(
            f"  store {store:10} before {before / MB:6.1f} MB, after {after / MB:6.1f} MB, "
            f"growth {grown:6.1f} MB (target ≤ {TARGET_MB:g} MB: {verdict(grown, TARGET_MB)})"
        )
    return status


if __name__ == "__main__":
    raise SystemExit(main())
