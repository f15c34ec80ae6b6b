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

import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import urljoin

import httpx

from . import __version__
from .arrays import FloatArray
from .assignments import AssignmentWork, parse_link
from .compatibility import check_server_version
from .exports import ExportCalls
from .results import (
    Check,
    Explanation,
    GradientForms,
    SessionState,
    StepResult,
    TraceResult,
)
from .session_transport import Convention, Encoding, View
from .sharing import SharingCalls
from .training import TrainingCalls
from .transport import URL_VARIABLE

__all__ = ["DEFAULT_URL", "URL_VARIABLE", "Client", "Convention", "Encoding", "View"]

DEFAULT_URL = "http://127.0.0.1:8000"
"""The address of `make run`, used when neither an address nor the variable is given."""


class Client(TrainingCalls, SharingCalls, ExportCalls):
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
