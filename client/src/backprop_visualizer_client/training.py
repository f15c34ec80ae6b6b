"""Training a session: in one request, streamed chunk by chunk with a progress bar, and the
decision boundary of its network (see Client)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np

from .arrays import FloatArray, to_float
from .errors import ServerUnreachable, api_error
from .progress import progress_bar
from .results import Boundary, SessionState, Training, TrainProgress
from .session_transport import SessionTransport
from .transport import json_lines


class TrainingCalls(SessionTransport):
    """The client's training calls."""

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
