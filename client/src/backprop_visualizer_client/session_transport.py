"""What every part of the client stands on: the server's address, the session it works on and
the notation it asks for (see Client)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from .results import StepResult
from .transport import Transport

Convention = Literal["column", "row"]
View = Literal["affine", "homogeneous"]
Encoding = Literal["binary", "json"]


class SessionTransport(Transport):
    """Requests on the session `session_id`, in the client's notation (`convention`, `view`)
    and `encoding` unless a call says otherwise."""

    session_id: str | None
    convention: Convention
    view: View
    encoding: Encoding

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
