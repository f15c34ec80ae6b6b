"""Answers go out as zstd or gzip as the client accepts, the same JSON either way."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from typing import Any

import pytest
import zstandard
from fastapi.testclient import TestClient

from app.compression import MINIMUM_BYTES, accepted_codings
from app.engine import preset


@pytest.fixture
def session_id(client: TestClient) -> str:
    created = client.post("/api/sessions", json=preset("xor").spec)
    assert created.status_code == 201
    for _ in range(3):
        client.post(f"/api/sessions/{created.json()['id']}/step")
    return str(created.json()["id"])


def raw_answer(client: TestClient, url: str, accept: str) -> tuple[dict[str, str], bytes]:
    """The headers and the body bytes as they came over the wire, not decoded."""
    with client.stream("GET", url, headers={"accept-encoding": accept}) as response:
        assert response.status_code == 200
        return dict(response.headers), b"".join(response.iter_raw())


@pytest.mark.parametrize(
    ("header", "codings"),
    [
        ("gzip, deflate, br, zstd", {"gzip", "deflate", "br", "zstd"}),
        ("gzip;q=1.0, zstd;q=0", {"gzip"}),
        ("ZSTD ; q=0.5,identity", {"zstd", "identity"}),
        ("zstd;q=oops", set()),
        ("", set()),
    ],
)
def test_accepted_codings_are_those_listed_without_q_zero(header: str, codings: set[str]) -> None:
    assert accepted_codings(header) == codings


def unzstd(body: bytes) -> bytes:
    return zstandard.ZstdDecompressor().decompress(body)


@pytest.mark.parametrize(
    ("accept", "coding", "decode"),
    [("gzip, deflate, br, zstd", "zstd", unzstd), ("gzip", "gzip", gzip.decompress)],
)
def test_a_client_gets_the_best_coding_it_takes_holding_the_same_json(
    client: TestClient,
    session_id: str,
    accept: str,
    coding: str,
    decode: Callable[[bytes], bytes],
) -> None:
    url = f"/api/sessions/{session_id}/current"
    headers, body = raw_answer(client, url, accept)
    _, plain = raw_answer(client, url, "identity")

    assert headers["content-encoding"] == coding
    assert "accept-encoding" in headers["vary"].lower()
    assert decode(body) == plain
    assert int(headers["content-length"]) == len(body) < len(plain)


@pytest.mark.parametrize("accept", ["identity", "zstd;q=0, gzip;q=0", ""])
def test_a_client_taking_neither_gets_the_json_as_it_is(
    client: TestClient, session_id: str, accept: str
) -> None:
    headers, body = raw_answer(client, f"/api/sessions/{session_id}/current", accept)

    assert "content-encoding" not in headers
    assert json.loads(body)["step"]["number"] == 3


@pytest.mark.parametrize("accept", ["zstd", "gzip"])
def test_typed_array_answers_and_small_answers_go_out_as_they_are(
    client: TestClient, session_id: str, accept: str
) -> None:
    binary, body = raw_answer(client, f"/api/sessions/{session_id}/current?encoding=binary", accept)
    small, health = raw_answer(client, "/api/health", accept)

    assert "content-encoding" not in binary and len(body) > MINIMUM_BYTES
    assert "content-encoding" not in small and len(health) < MINIMUM_BYTES


def test_a_streamed_training_run_in_zstd_can_be_read_line_by_line_as_it_comes(
    client: TestClient, session_id: str
) -> None:
    url = f"/api/sessions/{session_id}/train/stream"
    decoder = zstandard.ZstdDecompressor().decompressobj()
    lines: list[dict[str, Any]] = []
    with client.stream(
        "POST", url, json={"iterations": 300}, headers={"accept-encoding": "zstd"}
    ) as response:
        assert response.headers["content-encoding"] == "zstd"
        for chunk in response.iter_raw():
            text = decoder.decompress(chunk).decode()
            # What each chunk the server sent holds ends with a line: it is readable without
            # what follows (the last chunk only ends the frame).
            assert text.endswith("\n") or text == "", text[-40:]
            lines += [json.loads(line) for line in text.splitlines()]

    assert len(lines) > 2
    assert lines[-1]["type"] == "done"
    assert lines[-1]["session"]["iteration"] == 301
