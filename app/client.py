"""A small Python client of the REST API that hands back every tensor as a NumPy array.

    >>> from app.client import Client
    >>> api = Client("http://127.0.0.1:8000")
    >>> session = api.create_session(api.preset("xor"))
    >>> step = api.goto(4)                        # forward 1, 2, objective, backward 2
    >>> np.allclose(step["Delta2"], my_delta2)    # the server's Δ_2 (1 × 4) against yours

Matrices are in the column convention of the API (MATH.md): `step["W1"]` is n_1 × n_0, and
`step["X"]` is n_0 × m, one column per sample. The client asks for tensors as typed arrays
(`encoding=binary`): the same float64 numbers, bit for bit, in half the bytes of JSON lists.
Needs httpx (`pip install '.[client]'`).
"""

from __future__ import annotations

import base64
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Protocol

import httpx
import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

DEFAULT_URL = "http://127.0.0.1:8000"


class Response(Protocol):
    """What the client reads of an HTTP response."""

    @property
    def status_code(self) -> int: ...

    def json(self) -> Any: ...


class Http(Protocol):
    """What the client needs of an HTTP client: httpx.Client, or FastAPI's TestClient."""

    def request(self, method: str, url: str, *, json: Any = None) -> Response: ...


class ApiError(Exception):
    """The server refused a request: `status_code` and its `detail` (a list for 422)."""

    def __init__(self, status_code: int, detail: Any) -> None:
        self.status_code = status_code
        self.detail = detail
        if isinstance(detail, list):
            reasons = "; ".join(
                f"{'.'.join(str(p) for p in issue.get('loc', [])[1:]) or 'body'}: "
                f"{issue.get('msg')}"
                for issue in detail
                if isinstance(issue, dict)
            )
        else:
            reasons = str(detail)
        super().__init__(f"{status_code}: {reasons}")


BINARY = "?encoding=binary"
"""Asks for the tensors of an answer as typed arrays."""


def to_array(tensor: Mapping[str, Any]) -> FloatArray:
    """A tensor of the API (`{"name", "latex", "shape", "data"}`) as a rows × cols array, its
    `data` either nested lists ("Infinity", "-Infinity" and "NaN" become inf, -inf and nan) or
    a typed array (`{"dtype": "f8", "bdata", "shape"}`)."""
    rows, cols = tensor["shape"]
    data = tensor["data"]
    if isinstance(data, Mapping):
        if data.get("dtype") != "f8":
            raise ValueError(f"tensor {tensor.get('name')}: dtype {data.get('dtype')!r}, not f8")
        entries = np.frombuffer(base64.b64decode(data["bdata"]), dtype="<f8")
        return entries.astype(np.float64).reshape(rows, cols)
    return np.array(data, dtype=np.float64).reshape(rows, cols)


def _jsonable(value: Any) -> Any:
    """NumPy arrays and scalars inside a spec, as plain lists and numbers."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Mapping):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


@dataclass(frozen=True)
class StepResult(Mapping[str, FloatArray]):
    """A step record whose tensors are arrays: `result["Delta2"]`, `result.title`, ...

    `record` is the step as the API sent it, without its tensors; `session` is where the
    session is after the move (`id`, `iteration`, `cursor`, `current`, ...; None for
    `Client.get_step`, which does not move).
    """

    record: dict[str, Any]
    tensors: dict[str, FloatArray]
    session: dict[str, Any] | None = None

    @classmethod
    def from_json(cls, step: dict[str, Any], session: dict[str, Any] | None) -> StepResult:
        """From the API's step record with its tensors."""
        record = {k: v for k, v in step.items() if k != "tensors"}
        tensors = {name: to_array(t) for name, t in step.get("tensors", {}).items()}
        return cls(record, tensors, session)

    def __getitem__(self, name: str) -> FloatArray:
        return self.tensors[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.tensors)

    def __len__(self) -> int:
        return len(self.tensors)

    @property
    def number(self) -> int:
        """1-based position in the iteration."""
        return int(self.record["number"])

    @property
    def phase(self) -> str:
        """forward, objective, backward or update."""
        return str(self.record["phase"])

    @property
    def layer(self) -> int | None:
        """The layer (1-based), None for the objective and the update."""
        layer = self.record["layer"]
        return None if layer is None else int(layer)

    @property
    def title(self) -> str:
        """E.g. "Backward, layer 1"."""
        return str(self.record["title"])


@dataclass(frozen=True)
class TraceResult(Mapping[str, FloatArray]):
    """A whole iteration: `result["gradW1"]`, `result.loss`, `result.steps` (the records)."""

    loss: float
    steps: list[dict[str, Any]]
    tensors: dict[str, FloatArray] = field(repr=False)

    def __getitem__(self, name: str) -> FloatArray:
        return self.tensors[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.tensors)

    def __len__(self) -> int:
        return len(self.tensors)


class Client:
    """The REST API of one server, and the session it works on (`session_id`)."""

    def __init__(
        self,
        base_url: str = DEFAULT_URL,
        *,
        session_id: str | None = None,
        timeout: float = 60.0,
        http: Http | None = None,
    ) -> None:
        self._owned = http is None
        self._http: Http = http or httpx.Client(base_url=base_url, timeout=timeout)
        self.session_id = session_id

    def close(self) -> None:
        """Closes the connection pool, if the client made it."""
        if self._owned and isinstance(self._http, httpx.Client):
            self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        response = self._http.request(method, path, json=_jsonable(body))
        if response.status_code >= 400:
            try:
                detail = response.json().get("detail")
            except ValueError:
                detail = None
            raise ApiError(response.status_code, detail)
        return None if response.status_code == 204 else response.json()

    def _session_path(self, suffix: str = "") -> str:
        if self.session_id is None:
            raise RuntimeError("no session yet: call create_session(spec) first")
        return f"/api/sessions/{self.session_id}{suffix}"

    @staticmethod
    def _move(answer: dict[str, Any]) -> StepResult | None:
        step = answer["step"]
        return None if step is None else StepResult.from_json(step, answer["session"])

    # --- what the server offers -------------------------------------------------------------

    def activations(self) -> list[dict[str, Any]]:
        """The activation functions a spec may name."""
        return list(self._call("GET", "/api/activations"))

    def objectives(self) -> list[dict[str, Any]]:
        """The objectives a spec may name as `loss`."""
        return list(self._call("GET", "/api/objectives"))

    def presets(self) -> list[dict[str, Any]]:
        """The ready-made networks, each with its `spec`."""
        return list(self._call("GET", "/api/presets"))

    def preset(self, preset_id: str) -> dict[str, Any]:
        """The spec of one ready-made network, e.g. "xor"."""
        return dict(self._call("GET", f"/api/presets/{preset_id}")["spec"])

    # --- one-shot ------------------------------------------------------------------------

    def trace(self, spec: Mapping[str, Any]) -> TraceResult:
        """One whole iteration of `spec`, every tensor an array; nothing is stored."""
        answer = self._call("POST", "/api/trace" + BINARY, spec)
        tensors = {name: to_array(t) for name, t in answer["tensors"].items()}
        return TraceResult(float(answer["loss"]), answer["steps"], tensors)

    # --- a session -----------------------------------------------------------------------

    def create_session(self, spec: Mapping[str, Any]) -> dict[str, Any]:
        """Creates a session (or restores an exported one) and works on it from now on."""
        session: dict[str, Any] = self._call("POST", "/api/sessions", spec)
        self.session_id = session["id"]
        return session

    def session(self) -> dict[str, Any]:
        """The session: spec, iteration, cursor, losses, current weights, ..."""
        return dict(self._call("GET", self._session_path()))

    def parameters(self) -> tuple[list[FloatArray], list[FloatArray] | None]:
        """The current W_1 … W_k (n_i × n_{i-1}) and b_1 … b_k (n_i × 1, None without biases)."""
        session = self.session()
        weights = [np.array(w, dtype=np.float64) for w in session["weights"]]
        biases = session["biases"]
        if biases is None:
            return weights, None
        return weights, [np.array(b, dtype=np.float64).reshape(-1, 1) for b in biases]

    def step(self) -> StepResult:
        """Takes the next step and returns it with its tensors."""
        answer = self._call("POST", self._session_path("/step") + BINARY)
        return StepResult.from_json(answer["step"], answer["session"])

    def back(self) -> StepResult | None:
        """Undoes the last step; returns the step now shown (None at the very start)."""
        return self._move(self._call("POST", self._session_path("/back") + BINARY))

    def goto(self, step: int) -> StepResult | None:
        """Moves within the current iteration so that `step` steps are taken (0 … 2k + 2)."""
        path = self._session_path("/goto") + BINARY
        return self._move(self._call("POST", path, {"step": step}))

    def current(self) -> StepResult | None:
        """The step now shown, with its tensors (None before any step)."""
        return self._move(self._call("GET", self._session_path("/current") + BINARY))

    def get_step(self, number: int) -> StepResult:
        """Step `number` (1 … 2k + 2) of the current iteration, without moving."""
        path = self._session_path(f"/steps/{number}") + BINARY
        return StepResult.from_json(self._call("GET", path), None)

    def train(self, iterations: int) -> FloatArray:
        """Runs whole iterations; returns J of each as an array."""
        answer = self._call("POST", self._session_path("/train"), {"iterations": iterations})
        return np.array(answer["losses"], dtype=np.float64)

    def reset(self) -> dict[str, Any]:
        """Back to step 0 of iteration 0 with the starting weights."""
        return dict(self._call("POST", self._session_path("/reset")))

    def export(self) -> dict[str, Any]:
        """The session as a document that `create_session` takes back."""
        return dict(self._call("GET", self._session_path("/export")))

    def delete(self) -> None:
        """Deletes the session."""
        self._call("DELETE", self._session_path())
        self.session_id = None
