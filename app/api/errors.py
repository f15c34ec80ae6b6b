"""How the API's refusals look: 422 naming the field, 404, 409, 503; never a 500 for input."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from app import schemas
from app.engine import CannotMove, SpecError
from app.store import SessionConflict, SessionNotFound, StoreFull

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
    503: {"model": schemas.Problem, "description": "The server keeps no more sessions."}
}


def invalid(
    loc: Sequence[str | int], msg: str, kind: str = "value_error"
) -> RequestValidationError:
    """A 422 naming one field, shaped like FastAPI's own validation errors."""
    return RequestValidationError([{"loc": tuple(loc), "msg": msg, "type": kind}])


def _problem(status: int, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=status)


async def validation_error(_request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's own 422, but safe for a NaN or Infinity echoed back as the bad input."""
    assert isinstance(exc, RequestValidationError)
    detail = schemas.encode_nested(jsonable_encoder(exc.errors()))
    return JSONResponse({"detail": detail}, status_code=422)


async def spec_error(_request: Request, exc: Exception) -> JSONResponse:
    """A spec the engine refused: 422 with its field (under "body") and its reason."""
    assert isinstance(exc, SpecError)
    issue = {"loc": ["body", *exc.loc], "msg": exc.reason, "type": "spec_error"}
    return JSONResponse({"detail": [issue]}, status_code=422)


async def session_not_found(_request: Request, exc: Exception) -> JSONResponse:
    """404."""
    return _problem(404, exc)


async def cannot_move(_request: Request, exc: Exception) -> JSONResponse:
    """409: a move the session cannot make, e.g. back at the very start."""
    return _problem(409, exc)


async def store_full(_request: Request, exc: Exception) -> JSONResponse:
    """503: the store holds MAX_SESSIONS sessions."""
    return _problem(503, exc)


def install(app: FastAPI) -> None:
    """Adds the handlers that turn engine and store refusals into answers."""
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(SpecError, spec_error)
    app.add_exception_handler(SessionNotFound, session_not_found)
    app.add_exception_handler(CannotMove, cannot_move)
    app.add_exception_handler(SessionConflict, cannot_move)
    app.add_exception_handler(StoreFull, store_full)
