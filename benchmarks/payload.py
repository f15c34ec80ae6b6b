"""Payload: the size of a trace of 784-256-128-10 as the API sends it, against its raw bytes.

A real uvicorn server (one worker) answers `POST /api/trace` for the 784-256-128-10 spec
(batch 1 by default). Printed:

- raw: the float64 bytes of every tensor of the trace (8 bytes an entry), from the engine;
- JSON: the answer's size as plain JSON (nested lists), asked for with
  `Accept-Encoding: identity`, and its ratio to raw;
- gzip: the answer's size when asked for with `Accept-Encoding: gzip`; whether the server
  compressed it at all (gzip on by default is a target) and at what CPU cost;
- zstd: the same with `Accept-Encoding: zstd` (what Chromium, and httpx with `zstandard`, get);
- compact: the answer with `?encoding=binary` (Plotly's typed-array form
  `{"dtype", "bdata", "shape"}`), if the API offers it; target ≤ 1.4× raw.

Run: `.venv/bin/python -m benchmarks.payload [--batch M]`.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import time
from typing import Any

import numpy as np

from benchmarks.common import mnist_spec, serve, verdict

COMPACT_TARGET = 1.4


def _is_typed_array(data: Any) -> bool:
    return isinstance(data, dict) and {"dtype", "bdata"} <= data.keys()


def _compressed(client: Any, spec: dict[str, Any], coding: str) -> tuple[bytes, float, bool]:
    """The trace's answer as sent when `coding` is asked for: its bytes on the wire, the
    seconds it took, and whether the server used that coding."""
    request = client.build_request(
        "POST", "/api/trace", json=spec, headers={"Accept-Encoding": coding}
    )
    start = time.perf_counter()
    answer = client.send(request, stream=True)
    try:
        wire = b"".join(answer.iter_raw())
    finally:
        answer.close()
    return wire, time.perf_counter() - start, answer.headers.get("content-encoding") == coding


def _check_typed_array(data: dict[str, Any], value: np.ndarray) -> None:
    """The typed array decodes, with NumPy, to the engine's tensor."""
    decoded = np.frombuffer(base64.b64decode(data["bdata"]), dtype=np.dtype(data["dtype"]))
    np.testing.assert_array_equal(decoded.reshape(value.shape), value)


def main(argv: list[str] | None = None) -> int:
    """Print raw, JSON, gzip and compact sizes and their ratios to raw."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=1, help="samples m (1)")
    args = parser.parse_args(argv)

    import httpx

    from app.engine import Network, trace_iteration

    raw_spec = mnist_spec(args.batch)
    network = Network.from_spec(raw_spec)
    trace = trace_iteration(network, network.initial_parameters())
    raw = sum(t.value.nbytes for t in trace.tensors.values())
    entries = sum(t.value.size for t in trace.tensors.values())
    status = 0

    with serve() as server, httpx.Client(base_url=server.url, timeout=120) as client:
        plain = client.post("/api/trace", json=raw_spec, headers={"Accept-Encoding": "identity"})
        plain.raise_for_status()
        json_size = len(plain.content)
        wire, gzip_seconds, gzip_on = _compressed(client, raw_spec, "gzip")
        zstd_wire, zstd_seconds, zstd_on = _compressed(client, raw_spec, "zstd")
        start = time.perf_counter()
        plain_again = client.post(
            "/api/trace", json=raw_spec, headers={"Accept-Encoding": "identity"}
        )
        plain_seconds = time.perf_counter() - start
        plain_again.raise_for_status()

        compact = client.post(
            "/api/trace",
            json=raw_spec,
            params={"encoding": "binary"},
            headers={"Accept-Encoding": "identity"},
        )
        compact_size: int | None = None
        if compact.status_code == 200:
            tensors = compact.json()["tensors"]
            if all(_is_typed_array(t["data"]) for t in tensors.values()):
                for name, t in tensors.items():
                    _check_typed_array(t["data"], trace.tensors[name].value)
                compact_size = len(compact.content)

    print(
        f"payload of a trace, 784-256-128-10 batch {args.batch}: {len(trace.tensors)} tensors, "
        f"{entries:,} entries"
    )
    print(f"  raw float64:      {raw:>12,} B")
    print(f"  JSON (nested):    {json_size:>12,} B  {json_size / raw:.2f}× raw")
    if gzip_on:
        print(
            f"  JSON, gzip:       {len(wire):>12,} B  {len(wire) / raw:.2f}× raw "
            f"(gzip on by default: met; {gzip_seconds * 1e3:.0f} ms vs "
            f"{plain_seconds * 1e3:.0f} ms uncompressed, loopback)"
        )
    else:
        local = len(gzip.compress(plain.content, compresslevel=6))
        print(
            f"  JSON, gzip:       not sent: the server ignored Accept-Encoding: gzip "
            f"(gzip on by default: MISSED); gzip -6 would give {local:,} B, "
            f"{local / raw:.2f}× raw"
        )
        status = 1
    if zstd_on:
        print(
            f"  JSON, zstd:       {len(zstd_wire):>12,} B  {len(zstd_wire) / raw:.2f}× raw "
            f"(for clients that take it; {zstd_seconds * 1e3:.0f} ms)"
        )
    if compact_size is None:
        print(
            f"  compact:          not offered (?encoding=binary answered {compact.status_code} "
            "without typed arrays): not done"
        )
        status = 1
    else:
        ratio = compact_size / raw
        print(
            f"  compact (binary): {compact_size:>12,} B  {ratio:.2f}× raw "
            f"(target ≤ {COMPACT_TARGET}×: {verdict(ratio, COMPACT_TARGET)})"
        )
        status |= ratio > COMPACT_TARGET
    return status


if __name__ == "__main__":
    raise SystemExit(main())
