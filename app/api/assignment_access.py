"""Who may do what with an assignment: the lecturer's token opens the lecturer's view, a
student's token that student's work and nothing else; and how a refusal names its field.

Tokens travel in the `Authorization: Bearer <token>` header, never in a URL (so never in an
access log); the pages keep them in the address's fragment, which no browser sends to a server
or puts in a Referer. A store keeps only a token's SHA-256.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException, Path, Request
from fastapi.responses import JSONResponse

from app import schemas
from app.store import (
    Assignment,
    AttemptsUsedUp,
    SessionStore,
    Student,
    StudentExists,
    StudentNotFound,
    StudentsFull,
    TooManyAttempts,
    token_digest,
)

from .paths import root_path

AssignmentId = Annotated[
    str,
    Path(
        description="The id POST /api/assignments returned (in the student link).",
        examples=["q8Vd2mXbT1n4Ls0eZk7Yw3rHc6uJp9Ga"],
    ),
]
AUTHORIZATION = ("header", "authorization")


async def page_root(request: Request) -> str:
    """The prefix the app is served under (`/bpv`, or empty), for the pages' links."""
    return root_path(request)


RootDep = Annotated[str, Depends(page_root)]

Responses = dict[int | str, dict[str, Any]]
UNAUTHORISED: Responses = {
    401: {"model": schemas.ValidationProblem, "description": "No token sent."},
    403: {"model": schemas.ValidationProblem, "description": "A token that does not open this."},
}
NO_ASSIGNMENT: Responses = {
    404: {"model": schemas.Problem, "description": "No assignment with this id (any more)."}
}
REFUSED: Responses = {
    409: {
        "model": schemas.ValidationProblem,
        "description": "The assignment is closed or revealed, or the attempts are used up.",
    },
    429: {
        "model": schemas.ValidationProblem,
        "description": "Too many submissions in a minute (`Retry-After` says when to retry).",
    },
}


def refusal(
    status: int,
    loc: Sequence[str | int],
    msg: str,
    kind: str,
    headers: Mapping[str, str] | None = None,
) -> HTTPException:
    """An answer of `status` naming one field, shaped like FastAPI's validation errors."""
    issue = {"loc": list(loc), "msg": msg, "type": kind}
    return HTTPException(status, [issue], headers=dict(headers) if headers else None)


def iso(when: float) -> str:
    """A Unix time as ISO 8601 in UTC, e.g. `2030-03-20T17:00:00Z`."""
    return datetime.fromtimestamp(when, UTC).isoformat().replace("+00:00", "Z")


async def bearer_token(
    authorization: Annotated[
        str | None,
        Header(
            description="`Bearer <token>`: the lecturer's token, or a student's.",
            examples=["Bearer 3q2-7wEuL9Zp0n5bXJdV8kYc1rTgMhQa"],
        ),
    ] = None,
) -> str:
    """The token of the request's `Authorization: Bearer …` header; 401 naming the header when
    there is none."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise refusal(
            401,
            AUTHORIZATION,
            "send the token of your link as `Authorization: Bearer <token>`",
            "missing_token",
            {"WWW-Authenticate": "Bearer"},
        )
    return token.strip()


TokenDep = Annotated[str, Depends(bearer_token)]
"""The lecturer's or a student's token (`Authorization: Bearer …`); which one a route takes,
its docstring says."""


def is_lecturer(assignment: Assignment, token: str) -> bool:
    """Whether `token` is the assignment's lecturer token (compared in constant time)."""
    return hmac.compare_digest(token_digest(token), assignment.key)


def lecturer_assignment(store: SessionStore, assignment_id: str, token: str) -> Assignment:
    """The assignment, when `token` is its lecturer's; 404 for an unknown id, 403 naming the
    header for any other token (a student's included)."""
    assignment = store.assignments.get(assignment_id)
    if not is_lecturer(assignment, token):
        raise refusal(
            403,
            AUTHORIZATION,
            "this token does not open this assignment's lecturer view: use the lecturer link "
            "made when the assignment was created",
            "wrong_token",
        )
    return assignment


def student_of(store: SessionStore, assignment_id: str, token: str) -> tuple[Assignment, Student]:
    """The assignment and the student whose token this is; 404 for an unknown id, 403 naming
    the header for any other token (the lecturer's included: it opens no student's work)."""
    assignment = store.assignments.get(assignment_id)
    try:
        return assignment, store.assignments.student_by_key(assignment_id, token_digest(token))
    except StudentNotFound:
        if is_lecturer(assignment, token):
            msg = "the lecturer's token opens no student's work: use a student's personal link"
        else:
            msg = "this token opens no student's work in this assignment: use your personal link"
        raise refusal(403, AUTHORIZATION, msg, "wrong_token") from None


async def _conflict(_request: Request, exc: Exception) -> JSONResponse:
    loc: list[str | int] = ["body", "tensor"]
    kind = "attempts_used_up"
    if isinstance(exc, StudentExists):
        loc, kind = ["body", "number"], "student_exists"
    elif isinstance(exc, StudentsFull):
        loc, kind = ["path", "assignment_id"], "students_full"
    issue = {"loc": loc, "msg": str(exc), "type": kind}
    return JSONResponse({"detail": [issue]}, status_code=409)


async def _too_many(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, TooManyAttempts)
    issue = {"loc": ["body"], "msg": str(exc), "type": "rate_limited"}
    retry = str(max(1, int(exc.retry_after + 0.999)))
    return JSONResponse({"detail": [issue]}, status_code=429, headers={"Retry-After": retry})


def install(app: FastAPI) -> None:
    """Adds the handlers that turn the assignment store's refusals into answers naming the
    field (its 404s and 503s are `errors.PLAIN_REFUSALS`)."""
    app.add_exception_handler(StudentExists, _conflict)
    app.add_exception_handler(StudentsFull, _conflict)
    app.add_exception_handler(AttemptsUsedUp, _conflict)
    app.add_exception_handler(TooManyAttempts, _too_many)
