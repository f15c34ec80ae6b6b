"""Assignments: what a lecturer sends to set one and sees of it, and what a student sends and
sees of their own work. No answer to a student holds an expected value of a task before the
lecturer reveals the solutions."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, FiniteFloat
from pydantic_core import PydanticCustomError

from .iteration import OutlineEntry, StepWithTensors, Tensor
from .numbers import Matrix
from .requests import ACTIVATION_NAMES, INIT_NAMES, OBJECTIVE_NAMES, STRICT_JSON, NetworkSpec
from .teaching import CheckAnswer

NUMBER_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._@+\-]*$"
"""A student number: letters, digits and `. _ @ + -` (an e-mail address will do)."""

TEMPLATE_EXAMPLE: dict[str, Any] = {
    "layers": [2, 3, 1],
    "activations": ["tanh", "sigmoid"],
    "loss": "squared_error",
    "batch": 2,
}
CREATE_EXAMPLE: dict[str, Any] = {
    "title": "Backprop by hand, week 3",
    "template": TEMPLATE_EXAMPLE,
    "tasks": ["Delta2", "gradW1"],
    "tolerance": 0.001,
    "attempts": 3,
    "closes_at": "2030-03-20T17:00:00Z",
}


def _iso_string(value: object) -> object:
    """A date and time must come as a string (the schema says so): not a number of seconds."""
    if value is not None and not isinstance(value, str):
        raise PydanticCustomError(
            "datetime_type",
            "must be a date and time as ISO 8601 text with its offset, e.g. 2030-03-20T17:00:00Z",
        )
    return value


IsoDatetime = Annotated[AwareDatetime, BeforeValidator(_iso_string), Field(strict=False)]
"""A date and time with its offset, as ISO 8601 text (JSON has no type of its own for it)."""


class NetworkTemplate(BaseModel):
    """The network every student gets, but for the numbers: what is not given is drawn for each
    student from their seed (inputs uniform in [−1, 1], targets in [0, 1] or one-hot for
    cross-entropy, weights by `init`), rounded to `decimals` places."""

    model_config = STRICT_JSON | ConfigDict(json_schema_extra={"examples": [TEMPLATE_EXAMPLE]})

    layers: list[int] = Field(description="Widths n_0 … n_k (k ≥ 1).", examples=[[2, 3, 1]])
    activations: str | list[str | list[str]] = Field(
        default="sigmoid",
        description=f"One per layer (or one name for all, or one per neuron): {ACTIVATION_NAMES}.",
    )
    bias: bool = Field(default=True, description="Affine layers (true) or homogeneous (false).")
    loss: str = Field(default="squared_error", description=f"The objective: {OBJECTIVE_NAMES}.")
    batch: int | None = Field(
        default=4,
        ge=1,
        description="Samples per student, m, when the inputs are drawn; with `inputs` given, "
        "their number (leave this out or equal to it).",
    )
    inputs: Matrix | None = Field(
        default=None, description="Every student's inputs (m samples of n_0); omitted: drawn."
    )
    targets: Matrix | None = Field(
        default=None, description="Every student's targets (m of n_k); omitted: drawn."
    )
    weights: list[Matrix] | None = Field(
        default=None, description="Every student's starting W_1 … W_k; omitted: drawn."
    )
    weights_seed: int | None = Field(
        default=None,
        ge=0,
        lt=2**63,
        description="Without `weights`: the seed of starting weights drawn once for every "
        "student alike (omitted: each student's own, from their seed).",
    )
    biases: Matrix | None = Field(
        default=None, description="Every student's starting b_1 … b_k; omitted: zeros."
    )
    init: str = Field(default="xavier", description=f"How weights are drawn: {INIT_NAMES}.")
    learning_rate: FiniteFloat = Field(default=0.1, description="η of the update; positive.")
    decimals: int = Field(default=2, ge=0, le=6, description="Decimal places of the numbers drawn.")


class AssignmentCreate(BaseModel):
    """A new assignment: a network template, the tasks and the rules of grading."""

    model_config = STRICT_JSON | ConfigDict(json_schema_extra={"examples": [CREATE_EXAMPLE]})

    title: str = Field(
        min_length=1,
        max_length=120,
        description="Its name, shown to students and heading each task's gradebook column.",
    )
    template: NetworkTemplate = Field(
        description="The network every student gets, but for its numbers."
    )
    tasks: list[str] = Field(
        min_length=1,
        max_length=32,
        description="Tensors of the first iteration the students compute, e.g. `Delta2`, "
        "`gradW1`, `Sigma1`, `J` (not X, Y, W_i or b_i, which they are given).",
        examples=[["Delta2", "gradW1"]],
    )
    tolerance: FiniteFloat = Field(
        default=1e-3,
        gt=0,
        le=1,
        description="An entry v is right when |v − e| ≤ tolerance · (1 + |e|).",
    )
    attempts: int | None = Field(
        default=3, ge=1, le=1000, description="Attempts allowed per task; null for unlimited."
    )
    closes_at: IsoDatetime | None = Field(
        default=None,
        description="When submissions stop being taken (ISO 8601 with its offset, e.g. "
        "`2030-03-20T17:00:00Z`); null: open until the lecturer closes it.",
    )


class AssignmentChange(BaseModel):
    """What the lecturer changes; a field left out stays as it was (`null` means none)."""

    model_config = STRICT_JSON | ConfigDict(
        json_schema_extra={"examples": [{"closes_at": "2030-03-21T17:00:00Z"}, {"revealed": True}]}
    )

    title: str | None = Field(
        default=None, min_length=1, max_length=120, description="A new title."
    )
    tolerance: FiniteFloat | None = Field(
        default=None, gt=0, le=1, description="A new tolerance, for the submissions to come."
    )
    attempts: int | None = Field(
        default=None, ge=1, le=1000, description="Attempts allowed per task; null: unlimited."
    )
    closes_at: IsoDatetime | None = Field(
        default=None,
        description="A new closing time (ISO 8601 with its offset); null: open until closed.",
    )
    closed: bool | None = Field(
        default=None, description="true: close now (the closing time becomes now); false: open."
    )
    revealed: bool | None = Field(
        default=None, description="true: every student may see their expected values."
    )


class JoinRequest(BaseModel):
    """A student joining an assignment."""

    model_config = STRICT_JSON | ConfigDict(
        json_schema_extra={"examples": [{"name": "Ada Lovelace", "number": "s1815"}]}
    )

    name: str = Field(min_length=1, max_length=100, description="The student's name.")
    number: str = Field(
        min_length=1,
        max_length=64,
        pattern=NUMBER_PATTERN,
        description="The student number (letters, digits and `. _ @ + -`; case does not "
        "matter): it seeds the student's network and identifies them in the gradebook.",
    )


class SubmissionRequest(BaseModel):
    """A student's answer to one task: the whole tensor."""

    model_config = STRICT_JSON | ConfigDict(
        json_schema_extra={"examples": [{"tensor": "Delta2", "values": [[0.01, -0.02]]}]}
    )

    tensor: str = Field(description="The task's tensor key, e.g. `Delta2`.")
    values: Matrix = Field(
        description="The tensor as a list of rows, in the convention asked (`convention=row`: "
        "transposed)."
    )


class SeedChange(BaseModel):
    """The lecturer's choice of one student's seed."""

    model_config = STRICT_JSON | ConfigDict(json_schema_extra={"examples": [{"seed": 2024}]})

    seed: int | None = Field(
        ge=0,
        lt=2**63,
        description="The seed of the student's network; null: the one derived from their number "
        "again. A new network clears the student's attempts.",
    )


class TaskInfo(BaseModel):
    """A task: which tensor, its shape, and the step that computes it."""

    name: str = Field(description="The tensor's key, e.g. `Delta2`.")
    latex: str = Field(description="Its symbol in LaTeX.")
    shape: list[int] = Field(description="[rows, cols] in the column convention.")
    step: int = Field(description="The 1-based step of the iteration that computes it.")
    step_title: str = Field(description="That step's heading.")


class TaskChoices(BaseModel):
    """The tensors a template's students could be set to compute."""

    tasks: list[TaskInfo] = Field(description="Every tensor an iteration computes, in step order.")


class TemplateInfo(BaseModel):
    """The network every student gets, in outline."""

    layers: list[int] = Field(description="Widths n_0 … n_k.")
    activations: list[str | list[str]] = Field(description="σ_1 … σ_k, one per layer.")
    bias: bool = Field(description="Affine layers (true) or homogeneous (false).")
    loss: str = Field(description="The objective.")
    batch: int = Field(description="m, the samples of each student's network.")
    drawn: list[str] = Field(
        description="What is drawn for each student: `inputs`, `targets`, `weights`."
    )


class AssignmentInfo(BaseModel):
    """An assignment as anyone with its student link sees it."""

    id: str = Field(description="Its id (192 random bits).")
    title: str = Field(description="What the students see as its name.")
    tasks: list[TaskInfo] = Field(description="The tensors to compute, in step order.")
    tolerance: float = Field(
        description="An entry v is right when |v − e| ≤ tolerance · (1 + |e|)."
    )
    attempts: int | None = Field(description="Attempts allowed per task; null: unlimited.")
    closes_at: str | None = Field(description="ISO 8601 (UTC), or null.")
    closed: bool = Field(description="Whether submissions are refused now.")
    revealed: bool = Field(description="Whether the solutions are revealed.")
    network: TemplateInfo = Field(
        description="The network every student gets, but for its numbers."
    )
    page: str = Field(description="The student page: `/assignments/<id>`.")


class AssignmentCreated(BaseModel):
    """A new assignment and the lecturer's secret."""

    assignment: AssignmentInfo = Field(description="The assignment as set.")
    lecturer_token: str = Field(
        description="The lecturer's token (192 random bits): send it as `Authorization: Bearer "
        "<token>`; the server keeps only its SHA-256, so keep it."
    )
    lecturer_page: str = Field(
        description="`/assignments/<id>/lecturer#token=<token>`: the token is in the fragment, "
        "which browsers send to no server and put in no Referer."
    )


class TaskStatus(BaseModel):
    """How a student stands at one task."""

    task: str = Field(description="The task's tensor key, e.g. `Delta2`.")
    attempts: int = Field(description="Attempts made.")
    attempts_left: int | None = Field(description="Attempts left; null: unlimited.")
    best: int = Field(description="Most entries right in one attempt.")
    total: int = Field(description="Entries of the tensor.")
    right: bool = Field(description="Whether some attempt had every entry right.")
    score: float = Field(description="best / total, as in the gradebook.")
    last: list[list[bool]] | None = Field(
        description="Per entry, whether the last attempt had it right (column convention); "
        "null before any."
    )


class Position(BaseModel):
    """Where a student is in the iteration."""

    cursor: int = Field(description="Steps taken, 0 … 2k + 2 (the update is the last).")
    step_count: int = Field(description="2k + 2.")
    current: int | None = Field(description="The step shown (1-based); null before the first.")


class StudentWork(BaseModel):
    """A student's own work: their network, how they stand, and where they are."""

    assignment: AssignmentInfo = Field(description="The assignment's outline.")
    name: str = Field(description="The student's name.")
    number: str = Field(description="The student number, as they typed it.")
    network: NetworkSpec = Field(
        description="The student's network with every number explicit: inputs, targets, "
        "starting weights and biases."
    )
    outline: list[OutlineEntry] = Field(description="The 2k + 2 steps of the iteration.")
    tasks: list[TaskStatus] = Field(description="How they stand at each task, in order.")
    position: Position = Field(description="Where they are in their iteration.")
    withheld: list[str] = Field(
        description="Tensors not shown until the solutions are revealed: the tasks and what "
        "is computed from them (it would give them away); empty once revealed."
    )
    page: str = Field(description="The student page, `/assignments/<id>`.")


class Joined(BaseModel):
    """A student who has just joined, and their secret."""

    token: str = Field(
        description="The student's token (192 random bits): `Authorization: Bearer <token>`. "
        "The server keeps only its SHA-256."
    )
    link: str = Field(
        description="Their personal link, `/assignments/<id>#student=<token>`, to open their "
        "work on any device."
    )
    work: StudentWork = Field(description="Their work, as GET …/work answers it.")


class WorkStep(StepWithTensors):
    """A step of a student's iteration, with the tensors they may see."""

    withheld: list[str] = Field(
        description="The step's tensors left out of `tensors` until the solutions are revealed."
    )


class WorkMove(BaseModel):
    """Where the student is after a move, and the step shown."""

    position: Position = Field(description="Where the student is now.")
    step: WorkStep | None = Field(description="The step shown; null before the first.")


class Submission(CheckAnswer):
    """A graded submission: which entries are right, never the expected values."""

    attempt: int = Field(description="This attempt's number at the task (from 1).")
    status: TaskStatus = Field(description="How the student stands at the task now.")


class Solutions(BaseModel):
    """A student's expected values of every task, once revealed."""

    tensors: dict[str, Tensor]


class StudentRow(BaseModel):
    """A student in the lecturer's table."""

    number: str = Field(description="The student number, as they typed it.")
    name: str = Field(description="The student's name.")
    seed: int = Field(description="The seed of their network (0 … 2^53 − 1 when derived).")
    seed_given: bool = Field(description="Whether the lecturer chose the seed.")
    joined: str = Field(description="ISO 8601 (UTC).")
    cursor: int = Field(description="Steps the student has taken on their page.")
    tasks: list[TaskStatus] = Field(description="How they stand at each task, in order.")
    total: float = Field(description="The sum of the task scores, as in the gradebook.")


class Results(BaseModel):
    """The lecturer's live table: a row per student, a column per task."""

    assignment: AssignmentInfo = Field(description="The assignment's outline.")
    students: list[StudentRow] = Field(description="A row per student, in the order they joined.")


class StudentLink(BaseModel):
    """A student's new personal link (their old one stops working)."""

    token: str = Field(
        description="The student's new token (shown once; the old one no longer works)."
    )
    link: str = Field(description="Their new personal link, `/assignments/<id>#student=<token>`.")
