"""`encoding=binary`: the same tensors as typed arrays, which NumPy and Plotly.js read as they
are, about half the size of the nested lists and never compressed (base64 hardly compresses);
every other answer zstd or gzip as the client accepts, the same JSON either way."""

from __future__ import annotations

import base64
import gzip
import json
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import zstandard
from fastapi.testclient import TestClient

from app.api import views
from app.api.encoding import MINIMUM_BYTES
from app.engine import preset

from .test_divergence import DIVERGING

MOVES = [("POST", "/step", None), ("POST", "/goto", {"step": 3}), ("GET", "/current", None)]


def decoded(tensor: dict[str, Any]) -> np.ndarray:
    """A typed-array tensor as an array, read as the docs tell NumPy users to."""
    data = tensor["data"]
    assert data["dtype"] == "f8"
    assert data["shape"] == "{}, {}".format(*tensor["shape"])
    return np.frombuffer(base64.b64decode(data["bdata"]), "<f8").reshape(tensor["shape"])


def listed(tensor: dict[str, Any]) -> np.ndarray:
    """A nested-list tensor as an array, its "Infinity" and "NaN" strings as floats."""
    return np.array(tensor["data"], dtype=np.float64).reshape(tensor["shape"])


def assert_same_entries(binary: dict[str, Any], plain: dict[str, Any]) -> None:
    assert set(binary) == set(plain)
    for name in plain:
        assert {k: v for k, v in binary[name].items() if k != "data"} == {
            k: v for k, v in plain[name].items() if k != "data"
        }
        assert same_numbers(decoded(binary[name]), listed(plain[name])), name


def same_numbers(a: np.ndarray, b: np.ndarray) -> bool:
    """Bit for bit (so -0.0 is not 0.0), except that any NaN is any other NaN."""
    nan = np.isnan(a)
    return bool((nan == np.isnan(b)).all()) and a[~nan].tobytes() == b[~nan].tobytes()


def test_a_binary_trace_holds_exactly_the_numbers_of_the_plain_one(client: TestClient) -> None:
    spec = preset("xor").spec

    plain = client.post("/api/trace", json=spec).json()
    binary = client.post("/api/trace?encoding=binary", json=spec).json()

    assert_same_entries(binary["tensors"], plain["tensors"])
    assert {k: v for k, v in binary.items() if k != "tensors"} == {
        k: v for k, v in plain.items() if k != "tensors"
    }


@pytest.mark.parametrize(("method", "path", "body"), MOVES)
def test_a_binary_move_holds_exactly_the_numbers_of_the_plain_one(
    client: TestClient, xor: dict[str, Any], method: str, path: str, body: Any
) -> None:
    twins = [client.post("/api/sessions", json=xor).json()["id"] for _ in range(2)]
    for session_id in twins:
        client.post(f"/api/sessions/{session_id}/step")

    plain = client.request(method, f"/api/sessions/{twins[0]}{path}", json=body).json()
    binary = client.request(
        method, f"/api/sessions/{twins[1]}{path}?encoding=binary", json=body
    ).json()

    assert_same_entries(binary["step"]["tensors"], plain["step"]["tensors"])
    assert binary["session"] | {"id": None} == plain["session"] | {"id": None}


def test_a_step_read_without_moving_can_be_binary_too(client: TestClient, session_id: str) -> None:
    plain = client.get(f"/api/sessions/{session_id}/steps/4").json()
    binary = client.get(f"/api/sessions/{session_id}/steps/4?encoding=binary").json()

    assert_same_entries(binary["tensors"], plain["tensors"])


def test_a_diverged_run_is_infinities_and_nans_in_the_typed_arrays(client: TestClient) -> None:
    session_id = client.post("/api/sessions", json=DIVERGING).json()["id"]
    client.post(f"/api/sessions/{session_id}/train", json={"iterations": 40})

    plain = client.post(f"/api/sessions/{session_id}/goto", json={"step": 6}).json()
    binary = client.get(f"/api/sessions/{session_id}/current?encoding=binary").json()

    assert_same_entries(binary["step"]["tensors"], plain["step"]["tensors"])
    entries = np.concatenate([decoded(t).ravel() for t in binary["step"]["tensors"].values()])
    assert not np.isfinite(entries).all()
    assert any(isinstance(v, str) and not math.isfinite(float(v)) for v in str_entries(plain))


def str_entries(answer: dict[str, Any]) -> list[Any]:
    return [
        entry
        for tensor in answer["step"]["tensors"].values()
        for row in tensor["data"]
        for entry in row
        if isinstance(entry, str)
    ]


def test_binary_answers_are_not_gzipped_and_plain_ones_are(client: TestClient) -> None:
    spec = preset("xor").spec
    headers = {"accept-encoding": "gzip"}

    plain = client.post("/api/trace", json=spec, headers=headers)
    binary = client.post("/api/trace?encoding=binary", json=spec, headers=headers)

    assert plain.headers["content-encoding"] == "gzip"
    assert "content-encoding" not in binary.headers
    assert int(binary.headers["content-length"]) == len(binary.content)


def test_the_gzip_is_standard_gzip_of_the_same_answer(client: TestClient) -> None:
    spec = preset("xor").spec

    raw = client.post("/api/trace", json=spec, headers={"accept-encoding": "gzip"}).read()
    compressed = client.post("/api/trace", json=spec, headers={"accept-encoding": "gzip"})

    stream = client.stream("POST", "/api/trace", json=spec, headers={"accept-encoding": "gzip"})
    with stream as response:
        body = b"".join(response.iter_raw())
    assert gzip.decompress(body) == raw == compressed.content
    identity = client.post("/api/trace", json=spec, headers={"accept-encoding": "identity"})
    assert identity.content == raw
    assert "accept-encoding" in identity.headers["vary"].lower()


def test_an_unknown_encoding_is_a_422_naming_it(client: TestClient, session_id: str) -> None:
    response = client.post(f"/api/sessions/{session_id}/step?encoding=msgpack")

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "encoding"]
    assert client.get(f"/api/sessions/{session_id}").json()["cursor"] == 0


@pytest.fixture
def stepped_session_id(client: TestClient) -> str:
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


def unzstd(body: bytes) -> bytes:
    return zstandard.ZstdDecompressor().decompress(body)


@pytest.mark.parametrize(
    ("accept", "coding", "decode"),
    [("gzip, deflate, br, zstd", "zstd", unzstd), ("gzip", "gzip", gzip.decompress)],
)
def test_a_client_gets_the_best_coding_it_takes_holding_the_same_json(
    client: TestClient,
    stepped_session_id: str,
    accept: str,
    coding: str,
    decode: Callable[[bytes], bytes],
) -> None:
    url = f"/api/sessions/{stepped_session_id}/current"
    headers, body = raw_answer(client, url, accept)
    _, plain = raw_answer(client, url, "identity")

    assert headers["content-encoding"] == coding
    assert "accept-encoding" in headers["vary"].lower()
    assert decode(body) == plain
    assert int(headers["content-length"]) == len(body) < len(plain)


@pytest.mark.parametrize("accept", ["identity", "zstd;q=0, gzip;q=0", ""])
def test_a_client_taking_neither_gets_the_json_as_it_is(
    client: TestClient, stepped_session_id: str, accept: str
) -> None:
    headers, body = raw_answer(client, f"/api/sessions/{stepped_session_id}/current", accept)

    assert "content-encoding" not in headers
    assert json.loads(body)["step"]["number"] == 3


@pytest.mark.parametrize("accept", ["zstd", "gzip"])
def test_typed_array_answers_and_small_answers_go_out_as_they_are(
    client: TestClient, stepped_session_id: str, accept: str
) -> None:
    binary, body = raw_answer(
        client, f"/api/sessions/{stepped_session_id}/current?encoding=binary", accept
    )
    small, health = raw_answer(client, "/api/health", accept)

    assert "content-encoding" not in binary and len(body) > MINIMUM_BYTES
    assert "content-encoding" not in small and len(health) < MINIMUM_BYTES


def test_a_streamed_training_run_in_zstd_can_be_read_line_by_line_as_it_comes(
    client: TestClient, stepped_session_id: str
) -> None:
    url = f"/api/sessions/{stepped_session_id}/train/stream"
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
    assert lines[-1]["session"]["iteration"] == 301  # the iteration it is in, from 1


@pytest.mark.parametrize("accept", ["zstd", "gzip"])
def test_a_views_events_go_out_as_they_are(
    client: TestClient, stepped_session_id: str, accept: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "STREAM_SECONDS", 0.1)
    view_id = client.post(f"/api/sessions/{stepped_session_id}/view").json()["view_id"]

    headers, body = raw_answer(client, f"/api/views/{view_id}/events", accept)

    assert "content-encoding" not in headers
    assert body.startswith(b"retry: 1000\n") or b"event: step" in body


def test_a_move_sends_without_entries_the_tensors_its_client_holds_of_the_iteration_shown(
    client: TestClient, xor: dict[str, Any]
) -> None:
    twins = [client.post("/api/sessions", json=xor).json()["id"] for _ in range(2)]
    seen: set[str] = set()
    for _ in range(5):  # up to backward layer 1; the update is step 6
        for session_id in twins:
            answer = client.post(f"/api/sessions/{session_id}/step").json()
        seen |= set(answer["step"]["tensors"])

    whole = client.post(f"/api/sessions/{twins[0]}/step").json()
    held = ",".join(sorted(seen))
    update = client.post(
        f"/api/sessions/{twins[1]}/step?held_iteration=1&held={held}&encoding=binary"
    ).json()

    tensors = update["step"]["tensors"]
    assert update["session"]["iteration"] == 2  # the update shown ended iteration 1
    assert {n for n, t in tensors.items() if t["data"] is None} == seen & set(tensors)
    assert {n for n, t in tensors.items() if t["data"] is not None} == {
        "W1_new",
        "b1_new",
        "W2_new",
        "b2_new",
    }
    for name, tensor in tensors.items():
        assert {k: v for k, v in tensor.items() if k != "data"} == {
            k: v for k, v in whole["step"]["tensors"][name].items() if k != "data"
        }
        if tensor["data"] is not None:
            assert same_numbers(decoded(tensor), listed(whole["step"]["tensors"][name])), name


def test_tensors_held_of_another_iteration_are_sent_whole(
    client: TestClient, xor: dict[str, Any]
) -> None:
    session_id = client.post("/api/sessions", json=xor).json()["id"]
    client.post(f"/api/sessions/{session_id}/goto", json={"step": 6})  # the update

    first = client.post(f"/api/sessions/{session_id}/step?held_iteration=1&held=W1,X").json()

    assert first["step"]["number"] == 1
    assert all(t["data"] is not None for t in first["step"]["tensors"].values())


def test_held_tensors_need_an_iteration_from_one(client: TestClient, session_id: str) -> None:
    answer = client.post(f"/api/sessions/{session_id}/step?held_iteration=0&held=W1")

    assert answer.status_code == 422


def test_a_session_read_sends_null_the_current_weights_its_client_holds(
    client: TestClient, xor: dict[str, Any]
) -> None:
    session_id = client.post("/api/sessions", json=xor).json()["id"]
    client.post(f"/api/sessions/{session_id}/goto", json={"step": 6})  # the update: iteration 2
    whole = client.get(f"/api/sessions/{session_id}?encoding=binary").json()

    read = client.get(
        f"/api/sessions/{session_id}?encoding=binary&held_iteration=2&held=W1,W1_new"
    ).json()
    stale = client.get(f"/api/sessions/{session_id}?held_iteration=1&held=W1,W2").json()

    assert read["weights"][0] is None
    assert read["weights"][1] == whole["weights"][1]
    assert read | {"weights": None} == whole | {"weights": None}
    assert all(w is not None for w in stale["weights"])  # of another iteration: sent whole
