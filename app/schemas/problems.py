"""Refusals: what a 4xx or 503 answer holds."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ValidationIssue(BaseModel):
    """One reason a request was refused, as FastAPI's own validation errors are shaped."""

    loc: list[str | int] = Field(
        description='Where: "body" then the path to the field, e.g. ["body", "inputs", 2, 0].'
    )
    msg: str = Field(description="Why, in words.")
    type: str = Field(description="A machine-readable kind, e.g. `spec_error`.")
    input: Any = Field(default=None, description="The value refused, when FastAPI checked it.")
    ctx: dict[str, Any] | None = Field(default=None, description="Details of some checks.")


class ValidationProblem(BaseModel):
    """A refused request (422): every field at fault with its reason."""

    detail: list[ValidationIssue] = Field(description="The fields at fault.")


class Problem(BaseModel):
    """A refused request: unknown session (404), impossible move (409), store full (503)."""

    detail: str = Field(description="What went wrong, in words.")
