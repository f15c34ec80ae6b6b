"""A session as the API sends it: where it is, the session whole, move answers and exports."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from .iteration import OutlineEntry, StepWithTensors, TypedArray
from .numbers import JsonFloat
from .requests import EXPORTED_EXAMPLE, NetworkSpec
from .rooms import RoomState


class Position(BaseModel):
    """Where a session is: what a move changes. A move answers with this; the spec, the
    parameters and the losses, which change at most once an iteration, are in
    GET /api/sessions/{id}."""

    id: str = Field(description="The session's id, unguessable (192 random bits).")
    iteration: int = Field(
        description="The iteration the session is in, numbered from 1 as everywhere a user "
        "meets iterations (the first iteration is 1; after n updates it is n + 1). Right after "
        "an update (`cursor` 0) the step shown is the update of iteration − 1."
    )
    cursor: int = Field(description="Steps taken in the current iteration, 0 … 2k + 1.")
    step_count: int = Field(description="Steps per iteration, 2k + 2.")
    current: int | None = Field(
        description="Number (1 … 2k + 2) of the step now shown: the last one taken, the "
        "previous iteration's update right after it; null before any step."
    )
    read_only: bool = Field(description="True when the session cannot be moved.")


class Session(Position):
    """A session: where it is, its spec, its current parameters and its losses so far."""

    spec: NetworkSpec = Field(
        description="The spec, normalised. Its `weights` and `biases` are those it was given, "
        "or null: then its `seed` and `init` draw the starting weights (biases start at 0) "
        "again exactly, so POST /api/sessions with this spec starts the same network (the "
        "export, GET /api/sessions/{id}/export, gives them explicitly). The parameters are "
        "sent once: the current ones are `weights` and `biases`."
    )
    losses: list[JsonFloat] = Field(description="J of each finished iteration, oldest first.")
    weights: list[list[list[JsonFloat]]] | list[TypedArray] = Field(
        description="W_1 … W_k at the start of the current iteration, each a list of rows; "
        "with `encoding=binary`, each a typed array of n_i × n_{i-1}."
    )
    biases: list[list[JsonFloat]] | list[TypedArray] | None = Field(
        description="b_1 … b_k at the start of the current iteration, each a list of n_i "
        "numbers (with `encoding=binary`, a typed array of the column, n_i × 1); null without "
        "biases."
    )
    outline: list[OutlineEntry] = Field(description="The 2k + 2 steps of an iteration.")


class StepAnswer(BaseModel):
    """Where the session is after a step, and the step taken."""

    session: Position = Field(description="Where the session is after the move.")
    step: StepWithTensors = Field(description="The step just taken, with its tensors.")


class MoveAnswer(BaseModel):
    """Where the session is after a move, and the step now shown."""

    session: Position = Field(description="Where the session is after the move.")
    step: StepWithTensors | None = Field(
        description="The step now shown (the last one taken), with its tensors; null at the "
        "very start of the session."
    )


class ViewAnswer(BaseModel):
    """A followed session, read-only, and the step it shows."""

    session: Session = Field(description="The session under the view's id, `read_only` true.")
    step: StepWithTensors | None = Field(
        description="The step it shows, with its tensors; null before its first step."
    )
    room: RoomState | None = Field(
        default=None,
        description="For a room (a view the lecturer's page owns): the network it shows and "
        "whether that page is open; null for a view of one session.",
    )


class TrainAnswer(BaseModel):
    """The session after training, and J of each iteration run."""

    session: Session = Field(description="The session after training, at step 0.")
    losses: list[JsonFloat] = Field(description="J of each iteration run, in order.")


class ExportedHistoryEntry(BaseModel):
    """The parameters at the start of an earlier iteration."""

    weights: list[list[list[JsonFloat]]] = Field(description="W_1 … W_k, each a list of rows.")
    biases: list[list[JsonFloat]] | None = Field(description="b_1 … b_k; null without biases.")


class ExportedState(BaseModel):
    """Where a session is, as SessionState but with non-finite numbers as strings."""

    iteration: int = Field(description="Iterations finished (updates taken).")
    cursor: int = Field(description="Steps taken in the current iteration, 0 … 2k + 1.")
    weights: list[list[list[JsonFloat]]] = Field(
        description="W_1 … W_k at the start of the current iteration."
    )
    biases: list[list[JsonFloat]] | None = Field(
        description="b_1 … b_k at the start of the current iteration; null without biases."
    )
    losses: list[JsonFloat] = Field(description="J of each finished iteration.")
    history: list[ExportedHistoryEntry] = Field(
        description="The parameters at the start of the last finished iterations, oldest first."
    )


class ExportedSession(NetworkSpec):
    """A session as a document: its spec and its state. POST /api/sessions takes it back."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXPORTED_EXAMPLE]})

    state: ExportedState = Field(description="Where the session is.")


class ViewLink(BaseModel):
    """A read-only view of a session: others follow it live but cannot move it."""

    view_id: str = Field(
        description="The view's id (192 random bits), not the session's: it opens no session "
        "endpoint."
    )
    page: str = Field(description="The page that follows the session live, `/?follow=<view id>`.")
    events: str = Field(description="The text/event-stream of the step shown, as it changes.")
