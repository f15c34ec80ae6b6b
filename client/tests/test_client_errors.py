"""A refusal is an exception naming the field and the reason; the session is as it was; a
server of another version or no server at all is said plainly."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Callable, Iterator
from typing import Any

import backprop_visualizer_client as bvc
import pytest
from backprop_visualizer_client import (
    ApiError,
    Client,
    Conflict,
    IncompatibleServer,
    Invalid,
    NotFound,
    ServerUnreachable,
)
from backprop_visualizer_client.compatibility import fits

from devtools.server import free_port

REFUSALS: list[tuple[str, Callable[[Client, dict[str, Any]], object], type[ApiError], Any, str]] = [
    (
        "a sample of the wrong width",
        lambda api, xor: api.trace(xor | {"inputs": [[1.0, 2.0, 3.0]]}),
        Invalid,
        "inputs.0",
        "must have 2 numbers",
    ),
    ("a step past the end", lambda api, xor: api.goto(99), Invalid, "step", "between 0 and 6"),
    (
        "a row past the matrix",
        lambda api, xor: api.explain("gradW2", 7, 1),
        Invalid,
        "row",
        "rows 1 … 1",
    ),
    (
        "a prediction of the wrong shape",
        lambda api, xor: api.check("Delta2", [[1.0, 2.0]]),
        Invalid,
        "values.0",
        "4 columns",
    ),
    (
        "an unknown tensor",
        lambda api, xor: api.check("Delta9", [[1.0]]),
        Invalid,
        "tensor",
        "no tensor 'Delta9'",
    ),
    ("back at the very start", lambda api, xor: api.back(), Conflict, None, "start"),
    ("too many iterations", lambda api, xor: api.train(10**6), Invalid, "iterations", "at most"),
    ("an unknown preset", lambda api, xor: api.preset("nope"), NotFound, None, "no preset"),
]


@pytest.mark.parametrize(
    ("call", "kind", "field", "reason"),
    [r[1:] for r in REFUSALS],
    ids=[r[0] for r in REFUSALS],
)
def test_a_refusal_names_the_field_and_the_reason_and_loses_nothing(
    api: Client,
    xor: dict[str, Any],
    call: Callable[[Client, dict[str, Any]], object],
    kind: type[ApiError],
    field: str | None,
    reason: str,
) -> None:
    api.create_session(xor)
    before = api.export()

    with pytest.raises(kind) as raised:
        call(api, xor)

    assert raised.value.field == field
    assert reason in raised.value.reason
    assert str(raised.value).startswith(f"{raised.value.status_code}: ")
    assert api.export() == before


def test_an_unknown_session_is_not_found(api: Client) -> None:
    api.session_id = "no-such-session"

    with pytest.raises(NotFound, match="404"):
        api.step()


def test_a_call_before_any_session_says_what_to_do_first(api: Client) -> None:
    with pytest.raises(RuntimeError, match="create_session"):
        api.step()


def test_nothing_listening_is_said_plainly() -> None:
    url = f"http://127.0.0.1:{free_port()}"

    with pytest.raises(ServerUnreachable, match=f"no Backprop Visualizer server answers at {url}"):
        Client(url)


@pytest.fixture
def other_version() -> Iterator[str]:
    """A real HTTP server on loopback whose /api/health says version 0.9.3."""

    class Health(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            body = json.dumps({"status": "ok", "version": "0.9.3", "store": "memory"}).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_server_of_another_version_is_refused_with_what_to_install(other_version: str) -> None:
    with pytest.raises(IncompatibleServer, match=r"runs Backprop Visualizer 0\.9\.3") as raised:
        Client(other_version)

    assert "pip install 'backprop-visualizer-client==0.9.*'" in str(raised.value)
    with Client(other_version, check_version=False) as api:
        assert api.server_version is None


def test_the_live_server_fits_this_client(api: Client) -> None:
    assert api.server_version is not None and fits(bvc.__version__, api.server_version)


@pytest.mark.parametrize(
    ("client", "server", "fit"),
    [
        ("0.1.0", "0.1.0", True),
        ("0.1.0", "0.1.7", True),
        ("0.1.2", "0.2.0", False),
        ("1.2.0", "1.9.1", True),
        ("1.2.0", "2.0.0", False),
        ("0.1.0", "0.1.0rc1", True),
        ("0.1.0", "unknown", False),
    ],
)
def test_versions_fit_by_minor_before_1_0_and_by_major_after(
    client: str, server: str, fit: bool
) -> None:
    assert fits(client, server) is fit
