"""How the API's refusals look: 422 naming the field, 404, 409, 413, 415, 503; never a 500 for
anything a client sends."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.dependencies.models import Dependant
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from app import schemas
from app.engine import CannotMove, SpecError
from app.security import BodyTooLarge
from app.store import (
    AssignmentNotFound,
    AssignmentsFull,
    NotRoomOwner,
    SessionConflict,
    SessionNotFound,
    StoreFull,
    StoreUnavailable,
    StudentNotFound,
)

from .json_body import DuplicateKey

Responses = dict[int | str, dict[str, Any]]
"""Extra answers of a route, for the OpenAPI schema."""

INVALID: Responses = {
    422: {"model": schemas.ValidationProblem, "description": "A field is missing or wrong."}
}
NOT_FOUND: Responses = {
    404: {"model": schemas.Problem, "description": "No session with this id (any more)."}
}
CONFLICT: Responses = {
    409: {"model": schemas.Problem, "description": "The session cannot make this move."}
}
FULL: Responses = {
    503: {
        "model": schemas.Problem,
        "description": "The server keeps no more sessions, or cannot save now (its disk is full "
        "or read-only).",
    }
}
EVERY_ROUTE: Responses = {
    413: {
        "model": schemas.ValidationProblem,
        "description": "The body is over the server's MAX_BODY_BYTES (MAX_RESTORE_BYTES for "
        "POST /api/sessions); refused before the request does anything.",
    },
    415: {
        "model": schemas.ValidationProblem,
        "description": "A body sent as something else than JSON (`Content-Type`).",
    },
    503: {
        "model": schemas.Problem,
        "description": "The server cannot do this now: its session store is full, cannot save "
        "(disk full, read-only) or cannot be reached. Nothing stored changed; try again later.",
    },
}
"""Answers any route may give: documented once, for the whole app."""

HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")

BODY_PARSE_ERROR = "There was an error parsing the body"
"""The detail of FastAPI's 400 for a body it could not decode (not UTF-8, nested too deep)."""

ECHOED_INPUT_CHARACTERS = 100
"""A refused value is sent back in a 422 only when it is a number, or a string this short."""


def invalid(
    loc: Sequence[str | int], msg: str, kind: str = "value_error"
) -> RequestValidationError:
    """A 422 naming one field, shaped like FastAPI's own validation errors."""
    return RequestValidationError([{"loc": tuple(loc), "msg": msg, "type": kind}])


def _problem(status: int, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=status)


def _echo(issue: dict[str, Any]) -> dict[str, Any]:
    """The issue, with the refused value only when it is small: a list or object is left out,
    as it may be megabytes long or nested thousands deep."""
    value = issue.get("input")
    small = value is None or isinstance(value, bool | int | float)
    small = small or (isinstance(value, str) and len(value) <= ECHOED_INPUT_CHARACTERS)
    return issue if small else {k: v for k, v in issue.items() if k != "input"}


def _said_plainly(issue: dict[str, Any]) -> dict[str, Any]:
    """The issue, its message saying why an integer past 64 bits is refused: orjson reads it as
    a float (see app/api/json_body.py), which a strict integer field would call "not a valid
    integer"."""
    value = issue.get("input")
    if issue.get("type") == "int_type" and isinstance(value, float) and abs(value) >= 2.0**63:
        return {**issue, "msg": "is too large for an integer: it must be below 2^63"}
    return issue


async def validation_error(_request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's own 422, but safe for a NaN or Infinity echoed back as the bad input."""
    assert isinstance(exc, RequestValidationError)
    issues = [_echo(_said_plainly(e)) for e in exc.errors()]
    detail = schemas.encode_nested(jsonable_encoder(issues))
    return JSONResponse({"detail": detail}, status_code=422)


def _unreadable_body(exc: StarletteHTTPException) -> JSONResponse | None:
    """FastAPI's 400 for a JSON body it cannot decode, as a 422 on "body" saying why; or the
    413 of a body that went past its limit while it was read (sent chunked)."""
    cause = exc.__cause__
    if exc.status_code != 400 or exc.detail != BODY_PARSE_ERROR or cause is None:
        return None
    if isinstance(cause, BodyTooLarge):
        return JSONResponse(
            {"detail": cause.detail()}, status_code=413, headers={"Connection": "close"}
        )
    if isinstance(cause, DuplicateKey):
        return JSONResponse(
            {"detail": [{"loc": ["body"], "msg": str(cause), "type": "duplicate_key"}]},
            status_code=422,
        )
    if isinstance(cause, RecursionError):
        msg = "is nested too deeply to be read: arrays and objects within one another"
    else:
        msg = f"cannot be read as JSON: {cause}"
    return JSONResponse(
        {"detail": [{"loc": ["body"], "msg": msg, "type": "json_invalid"}]}, status_code=422
    )


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at the request's path (HEAD wherever GET is: see
    app/head.py); GET and HEAD in a mount of static files."""
    scope = request.scope
    if scope.get("root_path", "") != scope.get("app_root_path", scope.get("root_path", "")):
        return ["GET", "HEAD"]  # inside a mount: every mount of the app serves files
    allowed = [
        method
        for method in HTTP_METHODS
        if any(
            route.matches({**scope, "method": method})[0] == Match.FULL
            for route in request.app.router.routes
        )
    ]
    if "GET" in allowed and "HEAD" not in allowed:
        allowed.insert(allowed.index("GET") + 1, "HEAD")
    return allowed


async def http_error(request: Request, exc: Exception) -> Response:
    """FastAPI's answer to an HTTPException, but 422 for an unreadable body, and a 405 that
    lists in `Allow` the methods of every route at the path (not only of the first one)."""
    assert isinstance(exc, StarletteHTTPException)
    unreadable = _unreadable_body(exc)
    if unreadable is not None:
        return unreadable
    if exc.status_code == 405:
        allowed = ", ".join(_allowed_methods(request))
        exc = StarletteHTTPException(405, exc.detail, headers={"Allow": allowed})
    return await http_exception_handler(request, exc)


async def refuse_non_json(request: Request) -> None:
    """415 for a request whose body is declared as something other than JSON, or undeclared:
    the API reads JSON only. A dependency of every route."""
    headers = request.headers
    if headers.get("content-length", "0") == "0" and "transfer-encoding" not in headers:
        return
    declared = headers.get("content-type", "")
    media_type = declared.split(";", 1)[0].strip().lower()
    if media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    ):
        return
    raise HTTPException(
        415,
        [
            {
                "loc": ["header", "content-type"],
                "msg": f"the body must be JSON, sent with Content-Type: application/json; "
                f"got {declared or 'no Content-Type'}",
                "type": "unsupported_media_type",
            }
        ],
    )


def _declared_query(route: APIRoute) -> set[str]:
    """The query parameters a route reads, its dependencies' included."""
    names: set[str] = set()
    pending: list[Dependant] = [route.dependant]
    while pending:
        dependant = pending.pop()
        names.update(field.alias for field in dependant.query_params)
        pending.extend(dependant.dependencies)
    return names


async def refuse_unknown_query(request: Request) -> None:
    """422 naming a query parameter an API route does not read, so that a typo
    (`?convetion=row`) is not silently ignored. A dependency of every route."""
    route = request.scope.get("route")
    if not request.query_params or not isinstance(route, APIRoute):
        return
    if not route.path.startswith("/api/"):
        return  # the pages read their own query (?session=, ?follow=, ?presenter=) in the browser
    unknown = sorted(set(request.query_params) - _declared_query(route))
    if unknown:
        raise RequestValidationError(
            [
                {
                    "loc": ["query", name],
                    "msg": "unknown query parameter",
                    "type": "extra_forbidden",
                    "input": request.query_params[name][:100],
                }
                for name in unknown
            ]
        )


async def spec_error(_request: Request, exc: Exception) -> JSONResponse:
    """A spec the engine refused: 422 with its field (under "body") and its reason."""
    assert isinstance(exc, SpecError)
    issue = {"loc": ["body", *exc.loc], "msg": exc.reason, "type": "spec_error"}
    return JSONResponse({"detail": [issue]}, status_code=422)


PLAIN_REFUSALS: dict[type[Exception], int] = {
    SessionNotFound: 404,
    AssignmentNotFound: 404,
    StudentNotFound: 404,
    NotRoomOwner: 403,
    CannotMove: 409,
    SessionConflict: 409,
    StoreFull: 503,
    AssignmentsFull: 503,
}
"""Refusals answered with their status and their message alone: 404 for what is not there
(any more), 403 a room changed with a key that is not its owner's, 409 a move the session
cannot make (e.g. back at the very start), 503 a store keeping its maximum."""


async def plain_refusal(_request: Request, exc: Exception) -> JSONResponse:
    """The status PLAIN_REFUSALS gives the refusal's class (or the nearest it derives from)."""
    status = next(PLAIN_REFUSALS[kind] for kind in type(exc).__mro__ if kind in PLAIN_REFUSALS)
    return _problem(status, exc)


async def store_unavailable(request: Request, exc: Exception) -> JSONResponse:
    """503: the store cannot do this now (disk full or read-only, Redis down), saying why and
    what that means; /api/health then reports it too."""
    watch = getattr(request.app.state, "store_watch", None)
    if watch is not None:
        watch.refused(str(exc))
    return _problem(503, exc)


def install(app: FastAPI) -> None:
    """Adds the handlers that turn engine and store refusals into answers."""
    for refusal in PLAIN_REFUSALS:
        app.add_exception_handler(refusal, plain_refusal)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(SpecError, spec_error)
    app.add_exception_handler(StoreUnavailable, store_unavailable)
    app.add_exception_handler(StarletteHTTPException, http_error)
