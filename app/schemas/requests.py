"""The bodies requests carry: a network spec, an exported session to restore, moves and checks.

Requests are strict about JSON types (no `true` or `"3"` for a number), but their types are
otherwise as loose as a useful schema allows, so that the engine does the semantic checks and
names the field and the reason itself. NaN and Infinity are refused with 422 naming the field,
except in the `state` of an exported session (see `numbers.StateNumber`).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, FiniteFloat

from app import engine

from .numbers import Matrix, StateMatrix, StateNumber, WholeNumber


def _describe_choices(names: Any) -> str:
    return ", ".join(f"`{name}`" for name in names)


ACTIVATION_NAMES = _describe_choices(engine.ACTIVATIONS)
OBJECTIVE_NAMES = _describe_choices(engine.OBJECTIVES)
INIT_NAMES = _describe_choices(engine.INITIALISATIONS)

XOR_SPEC: dict[str, Any] = engine.preset("xor").spec
"""The example body: XOR with a batch of 4, a hidden layer of 4 tanh neurons."""

STRICT_JSON = ConfigDict(extra="forbid", strict=True)
"""Requests take no unknown fields, and no value of another JSON type (`true` or `"3"` for an
integer): the schema says what is accepted, exactly. An integer may be written `2.0`, as JSON
Schema's `integer` allows (`numbers.WholeNumber`)."""


class NetworkSpec(BaseModel):
    """A network, its data and how to train it (MATH.md): what POST /api/trace runs."""

    model_config = STRICT_JSON | ConfigDict(json_schema_extra={"examples": [XOR_SPEC]})

    layers: list[WholeNumber] = Field(
        description="Widths n_0 … n_k: the inputs n_0, then the neurons of layers 1 … k (k ≥ 1).",
        examples=[[2, 4, 1]],
    )
    activations: str | list[str | list[str]] = Field(
        default="sigmoid",
        description=(
            "One activation per layer 1 … k; an entry may instead list one name per neuron "
            f"of its layer; a single name applies to every layer. Names: {ACTIVATION_NAMES}."
        ),
        examples=[["tanh", "sigmoid"], [["tanh", "relu", "tanh", "sin"], "sigmoid"]],
    )
    bias: bool = Field(
        default=True,
        description="True for affine layers N_i = W_i Σ_{i-1} + b_i 1ᵀ, false for homogeneous "
        "layers N_i = W_i Σ_{i-1} (the paper's setting).",
    )
    loss: str = Field(
        default="squared_error",
        description=f"The objective J: {OBJECTIVE_NAMES}. `network` needs n_k = 1 and no "
        "targets; `softmax_cross_entropy` needs the identity activation on layer k and "
        "targets that are distributions.",
        examples=["squared_error"],
    )
    inputs: Matrix = Field(
        description="The batch: m samples, each a list of n_0 numbers (sent back as X, n_0 × m).",
        examples=[[[0, 0], [0, 1], [1, 0], [1, 1]]],
    )
    targets: Matrix | None = Field(
        default=None,
        description="One target per sample, each a list of n_k numbers (sent back as Y, "
        "n_k × m); omitted or null for the `network` objective.",
        examples=[[[0], [1], [1], [0]]],
    )
    weights: list[Matrix] | None = Field(
        default=None,
        description="Optional starting weights W_1 … W_k, W_i as n_i rows of n_{i-1} numbers; "
        "omitted: drawn by `init` from `seed`.",
        examples=[[[[0.5, -0.5], [0.3, 0.8], [-0.6, 0.2], [0.1, -0.9]], [[0.7, -0.4, 0.2, 0.5]]]],
    )
    biases: Matrix | None = Field(
        default=None,
        description="Optional starting biases b_1 … b_k, b_i as a list of n_i numbers; "
        "omitted: zeros. Only with `bias: true`.",
        examples=[[[0.1, 0.1, 0.1, 0.1], [0.1]]],
    )
    seed: WholeNumber = Field(
        default=0,
        description="Seed of the random starting weights, 0 … 2^63 − 1.",
        examples=[0],
    )
    init: str = Field(
        default="xavier",
        description=f"How random starting weights are drawn: {INIT_NAMES}.",
        examples=["xavier"],
    )
    learning_rate: FiniteFloat = Field(
        default=0.1, description="η of the update W_i ← W_i − η ∇W_i; positive.", examples=[0.5]
    )

    def to_engine(self) -> dict[str, Any]:
        """The spec as the engine's `build_spec` reads it."""
        return self.model_dump(exclude={"state"})


class HistoryEntry(BaseModel):
    """The parameters at the start of an earlier iteration, kept for stepping back."""

    model_config = STRICT_JSON

    weights: list[StateMatrix] = Field(description="W_1 … W_k, each a list of rows.")
    biases: StateMatrix | None = Field(
        default=None, description="b_1 … b_k, each a list of n_i numbers; null without biases."
    )


class SessionState(BaseModel):
    """Where a session is: what GET /api/sessions/{id}/export returns under `state`."""

    model_config = STRICT_JSON

    iteration: WholeNumber = Field(
        ge=0,
        description="Iterations finished (updates taken): a count, from which the answers' "
        "iteration numbers (from 1) follow as iteration + 1.",
    )
    cursor: WholeNumber = Field(
        ge=0, description="Steps taken in the current iteration, 0 … 2k + 1.", examples=[3]
    )
    weights: list[StateMatrix] = Field(
        description="W_1 … W_k at the start of the current iteration, each a list of rows."
    )
    biases: StateMatrix | None = Field(
        default=None,
        description="b_1 … b_k at the start of the current iteration; null without biases.",
    )
    losses: list[StateNumber] = Field(
        default_factory=list,
        description='J of each finished iteration; a diverged one as "Infinity" or "NaN".',
    )
    history: list[HistoryEntry] = Field(
        default_factory=list,
        description="The parameters at the start of the last finished iterations, oldest "
        "first, at most one per finished iteration: what stepping back across an update "
        "restores.",
    )

    def to_engine(self) -> dict[str, Any]:
        """The state as the engine's `Session.from_document` reads it."""
        return self.model_dump()


def _exported_example() -> dict[str, Any]:
    """The paper's 1-D chain after one update and two more steps, as export returns it."""
    session = engine.Session.create(engine.preset("paper-1d-chain").spec)
    for _ in range(session.steps_per_iteration + 2):
        session.step()
    document = session.to_document()
    return {**document["spec"], "state": document["state"]}


EXPORTED_EXAMPLE = _exported_example()


class SessionCreate(NetworkSpec):
    """A spec, and optionally the state an export returned, to restore that session exactly."""

    model_config = STRICT_JSON | ConfigDict(
        json_schema_extra={"examples": [XOR_SPEC, EXPORTED_EXAMPLE]}
    )

    state: SessionState | None = Field(
        default=None,
        description="Omitted: a new session at step 0 of iteration 1. Given (as export "
        "returns it): the session restored exactly, ready for its next step.",
    )

    def to_document(self) -> dict[str, Any]:
        """The body as the engine's `Session.from_document` reads it."""
        return {
            "spec": self.to_engine(),
            "state": None if self.state is None else self.state.to_engine(),
        }


class TrainRequest(BaseModel):
    """How many whole iterations to run."""

    model_config = STRICT_JSON | ConfigDict(json_schema_extra={"examples": [{"iterations": 100}]})

    iterations: WholeNumber = Field(
        ge=1,
        description="Whole iterations (forward, objective, backward, update) to run from the "
        "start of the current one; at most the server's MAX_TRAIN_ITERATIONS.",
        examples=[100],
    )


class GotoRequest(BaseModel):
    """Which step of the current iteration to show."""

    model_config = STRICT_JSON | ConfigDict(json_schema_extra={"examples": [{"step": 3}]})

    step: WholeNumber = Field(
        description="Steps taken afterwards, 0 … 2k + 2: 0 is the start of the iteration, "
        "2k + 2 takes the update and starts the next iteration.",
        examples=[3],
    )


class CheckRequest(BaseModel):
    """A student's prediction of a whole tensor, to be graded entry by entry."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "examples": [
                {"tensor": "Delta2", "values": [[0.01, -0.02, -0.02, 0.01]], "tolerance": 1e-3}
            ]
        },
    )

    tensor: str = Field(
        description="The key of a tensor of the iteration, e.g. `Delta2`, `gradW1`, `Sigma1`.",
        examples=["Delta2"],
    )
    values: Matrix = Field(
        description="The predicted matrix as a list of rows, of the tensor's shape in the "
        "convention asked (`convention=row`: transposed).",
        examples=[[[0.01, -0.02, -0.02, 0.01]]],
    )
    tolerance: FiniteFloat = Field(
        default=1e-3,
        gt=0,
        le=1,
        description="An entry v is right when |v − e| ≤ tolerance · (1 + |e|) for the expected "
        "e: absolute near zero, relative for large entries.",
    )
    iteration: WholeNumber | None = Field(
        default=None,
        ge=1,
        description="Which iteration (numbered from 1, as the session's `iteration`) to grade "
        "against: omitted, the current one, whether or not the cursor has reached the tensor; "
        "the one just finished (the session's `iteration` − 1) is accepted too, so that an "
        "update just taken can be checked.",
    )
