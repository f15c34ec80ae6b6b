"""What the client raises: the server's refusals, with the field at fault and the reason."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "ApiError",
    "Conflict",
    "IncompatibleServer",
    "Invalid",
    "NotFound",
    "Problem",
    "ServerUnavailable",
    "ServerUnreachable",
    "TooLarge",
]


@dataclass(frozen=True)
class Problem:
    """One reason a request was refused: `field` is where (`inputs.0`, `step`, `tensor`; None
    when the whole request is at fault) and `reason` why, in words."""

    field: str | None
    reason: str

    def __str__(self) -> str:
        return self.reason if self.field is None else f"{self.field}: {self.reason}"


def _field(loc: Any) -> str | None:
    """FastAPI's `loc` (`["body", "inputs", 0]`, `["query", "row"]`) as `inputs.0`, `row`."""
    if not isinstance(loc, list | tuple):
        return None
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:]
    return ".".join(parts) or None


def problems_of(detail: Any) -> tuple[Problem, ...]:
    """The problems in the `detail` of a refusal: a list of FastAPI issues (422, 413, 415) or a
    sentence (404, 409, 503)."""
    if isinstance(detail, list):
        return tuple(
            Problem(_field(issue.get("loc")), str(issue.get("msg", issue)))
            if isinstance(issue, dict)
            else Problem(None, str(issue))
            for issue in detail
        )
    if detail is None:
        return ()
    return (Problem(None, str(detail)),)


class ApiError(Exception):
    """The server refused a request. `status_code` is its HTTP status, `problems` every field at
    fault with its reason; `field` and `reason` are the first one's. The session the request
    named is as it was before it."""

    def __init__(self, status_code: int, detail: Any, *, method: str = "", path: str = "") -> None:
        self.status_code = status_code
        self.detail = detail
        self.problems = problems_of(detail)
        self.method = method
        self.path = path
        first = self.problems[0] if self.problems else Problem(None, "no reason given")
        self.field: str | None = first.field
        self.reason: str = first.reason
        said = "; ".join(map(str, self.problems)) or first.reason
        super().__init__(f"{status_code}: {said}")


class Invalid(ApiError):
    """422: a field is missing or wrong (`field` names it, `reason` says why)."""


class NotFound(ApiError):
    """404: no such session, view, preset or tensor (any more: sessions expire when unused)."""


class Conflict(ApiError):
    """409: the session cannot make this move now (back at the very start), or another request
    holds it; nothing changed."""


class TooLarge(ApiError):
    """413: the body is over the server's limit (MAX_BODY_BYTES, MAX_RESTORE_BYTES)."""


class ServerUnavailable(ApiError):
    """503: the server cannot do this now (its store is full or cannot save); try again."""


_BY_STATUS: dict[int, type[ApiError]] = {
    404: NotFound,
    409: Conflict,
    413: TooLarge,
    422: Invalid,
    503: ServerUnavailable,
}


def api_error(status_code: int, detail: Any, *, method: str = "", path: str = "") -> ApiError:
    """The exception for a refusal with `status_code`: a subclass of ApiError where there is
    one for that status."""
    kind = _BY_STATUS.get(status_code, ApiError)
    return kind(status_code, detail, method=method, path=path)


class ServerUnreachable(ConnectionError):
    """No Backprop Visualizer server answers at the address given."""


class IncompatibleServer(RuntimeError):
    """The server runs a version of the API this client does not speak."""
