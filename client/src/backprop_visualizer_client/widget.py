"""A live session in the notebook: Back, Step and Play, and the step's equation view (the
`widget` extra, built on anywidget). Its front-end code and style ship in this package, so it
works offline; the view itself is the same HTML as a step's inline display."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import anywidget
import traitlets

from .display import step_html
from .errors import ApiError

if TYPE_CHECKING:
    from .client import Client
    from .results import StepResult

__all__ = ["SessionWidget"]

STATIC = Path(__file__).parent / "static"


class SessionWidget(anywidget.AnyWidget):
    """The client's session, live: its buttons move it on the server (the page and any
    follower see the same move) and the step shown is drawn below them."""

    _esm = STATIC / "widget.js"
    _css = STATIC / "widget.css"

    html = traitlets.Unicode("").tag(sync=True)
    """The equation view of the step shown."""
    where = traitlets.Unicode("").tag(sync=True)
    """Where the session is, in words: "Iteration 1, step 4 of 6: Backward, layer 2"."""
    message = traitlets.Unicode("").tag(sync=True)
    """The server's refusal in words, or empty."""
    cursor = traitlets.Int(0).tag(sync=True)
    """Steps taken in the current iteration."""
    iteration = traitlets.Int(0).tag(sync=True)
    """Iterations finished."""

    def __init__(self, client: Client, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._client = client
        self.on_msg(self._on_message)
        self._show(client.current())

    def _show(self, step: StepResult | None) -> None:
        session = step.session if step is not None else self._client.session().position
        if session is None:  # a step read without moving: ask where the session is
            session = self._client.session().position
        self.cursor, self.iteration = session.cursor, session.iteration
        if step is None:
            self.where = f"Iteration {session.shown_iteration}, before its first step"
            self.html = ""
        else:
            self.where = (
                f"Iteration {session.shown_iteration}, "
                f"step {step.number} of {session.step_count}: {step.title}"
            )
            self.html = step_html(step)
        self.message = ""

    def _on_message(self, widget: Any, content: Any, buffers: Any) -> None:
        action = content.get("action") if isinstance(content, dict) else None
        try:
            if action == "step":
                self._show(self._client.step())
            elif action == "back":
                self._show(self._client.back())
            elif action == "refresh":
                self._show(self._client.current())
        except ApiError as refused:
            self.message = refused.reason
