"""The REST API of one Backprop Visualizer server, and the session a client works on.

    >>> api = Client()                            # BACKPROP_VISUALIZER_URL, else 127.0.0.1:8000
    >>> api.create_session(api.preset("xor"))
    >>> step = api.goto(4)                        # forward 1, 2, objective: now backward 2
    >>> np.allclose(step["Delta2"], my_delta2)    # the server's Δ_2 (1 × 4) against yours

Every tensor comes back as a float64 array, bit for bit the server's (the client asks for the
typed-array encoding, `encoding="binary"`). A refusal raises an `ApiError` naming the field and
the reason; the session is then as it was.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager
from typing import Any, Literal
from urllib.parse import urljoin

import httpx
import numpy as np

from . import __version__
from .arrays import FloatArray, to_float
from .assignments import AssignmentWork, parse_link
from .compatibility import check_server_version
from .errors import ServerUnreachable, api_error
from .progress import progress_bar
from .results import (
    Boundary,
    Check,
    Explanation,
    GradientForms,
    Position,
    SessionState,
    StepResult,
    TraceResult,
    Training,
    TrainProgress,
)
from .rooms import RoomLink, RoomState, ViewLink, followed_answers
from .transport import URL_VARIABLE, Transport, json_lines

__all__ = ["DEFAULT_URL", "URL_VARIABLE", "Client", "Convention", "Encoding", "View"]

DEFAULT_URL = "http://127.0.0.1:8000"
"""The address of `make run`, used when neither an address nor the variable is given."""

Convention = Literal["column", "row"]
View = Literal["affine", "homogeneous"]
Encoding = Literal["binary", "json"]


class Client(Transport):
    """The API of the server at `url` (BACKPROP_VISUALIZER_URL when omitted, else
    http://127.0.0.1:8000; a path such as `https://uni.example/bpv` is kept), and the session it
    works on (`session_id`).

    `convention` ("column", the paper's; "row", the Q&A's and NumPy's: every matrix transposed)
    and `view` ("affine"; "homogeneous", the paper's section 3 embedding Ŵ_i) are used by every
    call that takes them, unless the call says otherwise. `encoding="json"` asks for tensors as
    nested lists instead of typed arrays (the same numbers). On creation the client asks the
    server's version (/api/health) and raises IncompatibleServer when it does not speak its API
    (`check_version=False` skips this); ServerUnreachable when nothing answers.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        session_id: str | None = None,
        convention: Convention = "column",
        view: View = "affine",
        encoding: Encoding = "binary",
        timeout: float = 60.0,
        check_version: bool = True,
        http: httpx.Client | None = None,
    ) -> None:
        super().__init__(
            url or os.environ.get(URL_VARIABLE) or DEFAULT_URL, timeout=timeout, http=http
        )
        self.session_id = session_id
        self.convention: Convention = convention
        self.view: View = view
        self.encoding: Encoding = encoding
        self.server_version: str | None = None
        if check_version:
            self.server_version = self.health()["version"]
            check_server_version(__version__, self.server_version, self.url)

    def _notation(
        self, convention: Convention | None, view: View | None, *, tensors: bool = True
    ) -> dict[str, str]:
        params: dict[str, str] = {
            "convention": convention or self.convention,
            "view": view or self.view,
        }
        if tensors and self.encoding == "binary":
            params["encoding"] = "binary"
        return params

    def _session_path(self, suffix: str = "") -> str:
        return f"/api/sessions/{self._session_id()}{suffix}"

    def _session_id(self) -> str:
        if self.session_id is None:
            raise RuntimeError("no session yet: call create_session(spec) first")
        return self.session_id

    def _source(self, view_id: str | None) -> str:
        return f"/api/views/{view_id}" if view_id is not None else self._session_path()

    def _step(
        self, answer: Mapping[str, Any], convention: Convention | None, view: View | None
    ) -> StepResult | None:
        step = answer.get("step")
        if step is None:
            return None
        return StepResult.from_json(
            step,
            answer.get("session"),
            convention=convention or self.convention,
            view=view or self.view,
        )

    def _move(
        self,
        method: str,
        suffix: str,
        convention: Convention | None,
        view: View | None,
        body: Any = None,
    ) -> StepResult | None:
        answer = self._json(
            method,
            self._session_path(suffix),
            body=body,
            params=self._notation(convention, view),
        )
        return self._step(answer, convention, view)

    # --- the server and what it offers --------------------------------------------------------

    def health(self) -> dict[str, str]:
        """The server's `status`, `version` and the kind of `store` that keeps sessions."""
        return dict(self._json("GET", "/api/health"))

    def activations(self) -> list[dict[str, Any]]:
        """The activation functions a spec may name: `name`, `latex`, `description`."""
        return list(self._json("GET", "/api/activations"))

    def objectives(self) -> list[dict[str, Any]]:
        """The objectives a spec may name as `loss`."""
        return list(self._json("GET", "/api/objectives"))

    def presets(self) -> list[dict[str, Any]]:
        """The ready-made networks: `id`, `name`, `description`, `spec`."""
        return list(self._json("GET", "/api/presets"))

    def preset(self, preset_id: str) -> dict[str, Any]:
        """The spec of one ready-made network, e.g. "xor", "qa-one-hidden"."""
        return dict(self._json("GET", f"/api/presets/{preset_id}")["spec"])

    # --- one-shot ------------------------------------------------------------------------------

    def trace(
        self,
        spec: Mapping[str, Any],
        *,
        convention: Convention | None = None,
        view: View | None = None,
    ) -> TraceResult:
        """One whole iteration of `spec` from its starting parameters, every tensor an array
        (`trace["gradW1"]`, n_1 × n_0); nothing is stored on the server."""
        answer = self._json(
            "POST", "/api/trace", body=spec, params=self._notation(convention, view)
        )
        return TraceResult.from_json(
            answer, convention=convention or self.convention, view=view or self.view
        )

    # --- a session -----------------------------------------------------------------------------

    def create_session(self, spec: Mapping[str, Any]) -> SessionState:
        """Creates a session from `spec` (or restores an exported one, `export()`) and works on
        it from now on (`session_id`)."""
        session = SessionState.from_json(self._json("POST", "/api/sessions", body=spec))
        self.session_id = session.id
        return session

    def session(self) -> SessionState:
        """The session: where it is, its spec, losses, current weights and biases."""
        return SessionState.from_json(self._json("GET", self._session_path()))

    def parameters(self) -> tuple[list[FloatArray], list[FloatArray] | None]:
        """The current W_1 … W_k (n_i × n_{i-1}) and b_1 … b_k (n_i × 1; None without biases),
        in the column convention."""
        session = self.session()
        return session.weights, session.biases

    def step(self, *, convention: Convention | None = None, view: View | None = None) -> StepResult:
        """Takes the next step and returns it with its tensors; after the update the next
        iteration starts with the new weights."""
        step = self._move("POST", "/step", convention, view)
        assert step is not None  # a step always has one to show
        return step

    def back(
        self, *, convention: Convention | None = None, view: View | None = None
    ) -> StepResult | None:
        """Undoes the last step, exactly (across an update, the weights before it come back);
        returns the step now shown, None at the start of an iteration. Conflict (409) at the
        very start."""
        return self._move("POST", "/back", convention, view)

    def goto(
        self, step: int, *, convention: Convention | None = None, view: View | None = None
    ) -> StepResult | None:
        """Moves within the current iteration so that `step` steps are taken (0 … 2k + 2);
        returns the step now shown (None for 0)."""
        return self._move("POST", "/goto", convention, view, body={"step": step})

    def current(
        self, *, convention: Convention | None = None, view: View | None = None
    ) -> StepResult | None:
        """The step now shown, with its tensors (None before any step)."""
        return self._move("GET", "/current", convention, view)

    def get_step(
        self, number: int, *, convention: Convention | None = None, view: View | None = None
    ) -> StepResult:
        """Step `number` (1 … 2k + 2) of the current iteration with its tensors, without
        moving."""
        answer = self._json(
            "GET", self._session_path(f"/steps/{number}"), params=self._notation(convention, view)
        )
        return StepResult.from_json(
            answer, convention=convention or self.convention, view=view or self.view
        )

    def reset(self) -> SessionState:
        """Back to step 0 of the first iteration, with the starting weights."""
        return SessionState.from_json(self._json("POST", self._session_path("/reset")))

    def delete(self) -> None:
        """Deletes the session."""
        self._json("DELETE", self._session_path())
        self.session_id = None

    def export(self) -> dict[str, Any]:
        """The whole session (spec, weights, losses, history) as a document that
        `create_session` takes back, on this server or another."""
        return dict(self._json("GET", self._session_path("/export")))

    # --- teaching ------------------------------------------------------------------------------

    def explain(
        self,
        tensor: str,
        row: int,
        col: int,
        *,
        view_id: str | None = None,
        convention: Convention | None = None,
        view: View | None = None,
    ) -> Explanation:
        """Entry (`row`, `col`), counted from 1 in the matrix as shown, of `tensor` (`gradW2`)
        at index level, with the numbers: of the iteration of the step now shown (of a followed
        session with `view_id`)."""
        params: dict[str, str | int | float] = {"tensor": tensor, "row": row, "col": col}
        params |= self._notation(convention, view, tensors=False)
        return Explanation.from_json(
            self._json("GET", self._source(view_id) + "/explain", params=params)
        )

    def check(
        self,
        tensor: str,
        values: Any,
        *,
        tolerance: float | None = None,
        iteration: int | None = None,
        convention: Convention | None = None,
        view: View | None = None,
    ) -> Check:
        """Grades `values` (a rows × cols array or nested lists) as the session's `tensor` of
        the current iteration (reached or not), entry by entry: right when |v − e| ≤ tolerance ×
        (1 + |e|). Never reveals the expected values. `iteration`: the one just finished, right
        after an update."""
        body: dict[str, Any] = {"tensor": tensor, "values": values}
        if tolerance is not None:
            body["tolerance"] = tolerance
        if iteration is not None:
            body["iteration"] = iteration
        answer = self._json(
            "POST",
            self._session_path("/check"),
            body=body,
            params=self._notation(convention, view, tensors=False),
        )
        return Check.from_json(answer)

    def gradients(
        self, *, convention: Convention | None = None, view: View | None = None
    ) -> GradientForms:
        """∇W_i and ∇b_i of the current iteration by every form of the maths (recursive,
        Hadamard chain (3)/(4), diagonal chain (5), finite differences) and how far apart."""
        answer = self._json(
            "GET",
            self._session_path("/gradients"),
            params=self._notation(convention, view, tensors=False),
        )
        return GradientForms.from_json(answer)

    def assignment(
        self, link: str, *, student: str | None = None, name: str | None = None
    ) -> AssignmentWork:
        """A student's work on an assignment. With the personal link (`…#student=…`): opens it,
        on any device. With the student link, `student` (the student number) and `name`: joins,
        once; keep the answer's `.link`, the personal link, to come back."""
        assignment_id, token = parse_link(link)
        path = f"/api/assignments/{assignment_id}"
        if token is not None:
            work = self._json("GET", f"{path}/work", headers={"Authorization": f"Bearer {token}"})
            return AssignmentWork(self, token, work, link=link)
        if student is None or name is None:
            raise ValueError(
                "give the personal link (…#student=…), or student= (your number) and name= "
                "to join with the student link"
            )
        joined = self._json("POST", f"{path}/students", body={"name": name, "number": student})
        personal = urljoin(self.url + "/", joined["link"])
        return AssignmentWork(self, joined["token"], joined["work"], link=personal)

    # --- training ------------------------------------------------------------------------------

    def train(self, iterations: int) -> FloatArray:
        """Runs `iterations` whole iterations in one request; returns J of each as an array.
        For a long run with a progress bar, `train_streamed`."""
        answer = self._json("POST", self._session_path("/train"), body={"iterations": iterations})
        return np.array([to_float(v) for v in answer["losses"]], dtype=np.float64)

    def train_stream(self, iterations: int) -> Iterator[TrainProgress | SessionState]:
        """Runs `iterations` iterations streamed: yields a TrainProgress after each chunk the
        server saved, then the session after the run. Stopping the iteration early leaves the
        session at the last chunk saved."""
        path = self._session_path("/train/stream")
        with self._stream("POST", path, body={"iterations": iterations}) as response:
            for line in json_lines(response):
                if line["type"] == "progress":
                    yield TrainProgress.from_json(line)
                elif line["type"] == "done":
                    yield SessionState.from_json(line["session"])
                else:
                    raise api_error(int(line["status"]), line["detail"], method="POST", path=path)

    def train_streamed(
        self,
        iterations: int,
        *,
        progress: bool | None = None,
        on_progress: Callable[[TrainProgress], None] | None = None,
    ) -> Training:
        """Runs `iterations` iterations streamed, with a progress bar (a widget in a notebook
        with ipywidgets, text in a terminal; `progress=None`: when tqdm is installed) and
        `on_progress` called with each chunk. Returns J, ‖Δ_i‖ and ‖∇W_i‖ of every iteration
        (iterations × k) and the session after the run."""
        losses: list[FloatArray] = []
        deltas: list[FloatArray] = []
        gradients: list[FloatArray] = []
        dead: list[list[int]] = []
        session: SessionState | None = None
        with progress_bar(iterations, enabled=progress) as bar:
            for line in self.train_stream(iterations):
                if isinstance(line, SessionState):
                    session = line
                    continue
                losses.append(line.losses)
                deltas.append(line.delta_norms)
                gradients.append(line.gradient_norms)
                dead = line.dead_units
                bar.advance(line.done, float(line.losses[-1]) if line.losses.size else None)
                if on_progress is not None:
                    on_progress(line)
        if session is None:
            raise ServerUnreachable(f"the training stream from {self.url} ended before its end")
        return Training(
            losses=np.concatenate(losses) if losses else np.zeros(0),
            delta_norms=np.vstack(deltas) if deltas else np.zeros((0, 0)),
            gradient_norms=np.vstack(gradients) if gradients else np.zeros((0, 0)),
            dead_units=dead,
            session=session,
        )

    def boundary(self, *, resolution: int = 60, view_id: str | None = None) -> Boundary:
        """The network's output over a `resolution` × `resolution` grid of the input plane
        around the batch, with the current weights (networks of two inputs; Conflict else),
        of the session or of a followed one (`view_id`)."""
        answer = self._json(
            "GET", self._source(view_id) + "/boundary", params={"resolution": resolution}
        )
        return Boundary.from_json(answer)

    def widget(self) -> Any:
        """The session live in the notebook: Back, Step, Play and the step's equation view (a
        SessionWidget; needs the `widget` extra, anywidget)."""
        try:
            from .widget import SessionWidget
        except ImportError as missing:
            raise ImportError(
                "the widget needs anywidget: pip install 'backprop-visualizer-client[widget]'"
            ) from missing
        return SessionWidget(self)

    # --- read-only views -----------------------------------------------------------------------

    def create_view(self) -> ViewLink:
        """The session's read-only view (the same on every call): its id, and the page that
        follows the session live, as full addresses."""
        answer = self._json("POST", self._session_path("/view"))
        return ViewLink(
            view_id=str(answer["view_id"]),
            page=self.link(answer["page"]),
            events=self.link(answer["events"]),
        )

    def create_room(self) -> RoomLink:
        """A room showing this client's session, for others to follow read-only (`follow` with
        its id, or its page); `point_room` makes it show the session the client works on now."""
        answer = self._json("POST", "/api/rooms", body={"session": self._session_id()})
        return RoomLink(
            room_id=str(answer["id"]),
            key=str(answer["key"]),
            page=self.link(answer["page"]),
            events=self.link(answer["events"]),
        )

    def point_room(self, room: RoomLink, *, restart: bool = False) -> RoomState:
        """Makes `room` show the session the client works on now (its followers start anew with
        it); `restart` after a reset of the same session. Returns the room as followers see it."""
        body = {"key": room.key, "session": self._session_id(), "restart": restart}
        return RoomState.from_json(self._json("PUT", f"/api/rooms/{room.room_id}", body=body))

    def leave_room(self, room: RoomLink) -> RoomState:
        """Tells `room`'s followers that the lecturer has gone: they stay on the last step (told
        so after a few seconds, in which a page reloaded comes back; `point_room` comes back)."""
        path = f"/api/rooms/{room.room_id}/leave"
        return RoomState.from_json(self._json("POST", path, body={"key": room.key}))

    def read_view(
        self,
        view_id: str,
        *,
        convention: Convention | None = None,
        view: View | None = None,
    ) -> tuple[SessionState, StepResult | None]:
        """A followed session (its id is the view's) and the step it shows, in the notation
        asked for."""
        answer = self._json(
            "GET", f"/api/views/{view_id}", params=self._notation(convention, view, tensors=False)
        )
        return SessionState.from_json(answer["session"]), self._step(answer, convention, view)

    def follow(
        self,
        view_id: str,
        *,
        convention: Convention | None = None,
        view: View | None = None,
        on_room: Callable[[RoomState], None] | None = None,
    ) -> Iterator[tuple[Position, StepResult | None]]:
        """The followed session's position and step now, and again each time it moves (the
        server's event stream, connected again whenever the server ends it), a room's from
        network to network as the lecturer starts them (the step None at a network's start).

        For a room, `on_room` is called with its state whenever it changes: a new network, the
        lecturer's page closing or coming back (`on_room=print` prints the follower page's
        line). Ends when the session (or room) is gone; raises Conflict or ServerUnavailable
        when the server cannot go on (a session busy past the wait, a store it cannot read).
        """
        path = f"/api/views/{view_id}/events"
        params = self._notation(convention, view, tensors=False)

        def connect() -> AbstractContextManager[httpx.Response]:
            return self._stream("GET", path, params=params, timeout=None)

        for answer in followed_answers(connect, on_room):
            yield Position.from_json(answer["session"]), self._step(answer, convention, view)

    def link(self, path: str) -> str:
        """A path the server answered (`/?follow=…`) as a full address under the client's URL
        (its path prefix kept)."""
        return self.url + "/" + path.lstrip("/")

    # --- exports -------------------------------------------------------------------------------

    def export_trace(
        self,
        *,
        view_id: str | None = None,
        convention: Convention | None = None,
        view: View | None = None,
    ) -> TraceResult:
        """The iteration the session (or a followed one) shows, every tensor an array, in the
        notation asked for (as the page's downloads are in the notation on screen)."""
        params = self._notation(convention, view, tensors=False)
        return TraceResult.from_json(
            self._json("GET", self._source(view_id) + "/export/trace.json", params=params),
            convention=params["convention"],
            view=params["view"],
        )

    def export_csv(
        self,
        *,
        view_id: str | None = None,
        convention: Convention | None = None,
        view: View | None = None,
    ) -> str:
        """The iteration shown as one CSV table `tensor,row,col,value` (rows and columns from 1),
        in the notation asked for."""
        params = self._notation(convention, view, tensors=False)
        return self._send("GET", self._source(view_id) + "/export/trace.csv", params=params).text

    def export_npz(
        self,
        *,
        view_id: str | None = None,
        convention: Convention | None = None,
        view: View | None = None,
    ) -> dict[str, FloatArray]:
        """The iteration shown as NumPy's .npz, read straight into arrays by name, in the
        notation asked for."""
        params = self._notation(convention, view, tensors=False)
        path = self._source(view_id) + "/export/trace.npz"
        content = self._send("GET", path, params=params).content
        with np.load(io.BytesIO(content), allow_pickle=False) as archive:
            return {name: np.asarray(archive[name], dtype=np.float64) for name in archive.files}

    def tensor_latex(
        self,
        name: str,
        *,
        digits: int = 3,
        view_id: str | None = None,
        convention: Convention | None = None,
        view: View | None = None,
    ) -> str:
        """One matrix of the iteration shown as a LaTeX `bmatrix` with `digits` significant
        digits, for a handout, in the notation asked for (`W1` is W₁ᵀ's numbers in the row
        convention)."""
        path = self._source(view_id) + f"/tensors/{name}/latex"
        params: dict[str, str | int] = {"digits": digits}
        params |= self._notation(convention, view, tensors=False)
        return self._send("GET", path, params=params).text
