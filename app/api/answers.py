"""Every answer that holds tensors or a session's numbers, written in one place.

The models of app/schemas are the contract; the functions here make their answers as plain
data (dicts, lists, strings, numbers) from the engine's records, and `respond` writes them with
orjson, once. Each tensor's `data` is made by `entries`: a finite float64 array is handed to
orjson as it is (it writes the array as nested lists, the same float64 numbers pydantic
writes, 1e-05 as 0.00001), a typed array's base64 is made by pybase64 (fifty times as quick as
the standard library's), and only a diverged run's matrix becomes lists with the numbers'
names.

Why not return the models: these answers are most of what the server sends, one a click.
pydantic writing the same answer from its model, already built, takes 2 to 3 times as long for
a step of 3 layers of 32 and 3 to 5 times for the trace of 784-256-128-10
(`python -m benchmarks.answer_writer`; figures in benchmarks/README.md). Routes whose answers
hold no tensors return their models.
tests/api/test_answers.py parses every answer of every preset, step, notation and encoding as
its model and compares it with the model's dump.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import orjson
from fastapi import Response
from pybase64 import b64encode_as_string

from app import engine
from app.schemas import (
    Encoding,
    FloatArray,
    encode_float,
    encode_floats,
    encode_matrix,
    encode_nested,
)

JSON = "application/json"

Answer = dict[str, Any]
"""An answer as plain data: what orjson writes (numpy arrays and fragments included)."""


def respond(
    answer: Answer, *, status_code: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    """The answer as a JSON response, written here (in the handler's worker thread)."""
    return Response(dumps(answer), status_code=status_code, headers=headers, media_type=JSON)


def dumps(answer: Answer) -> bytes:
    """The answer's JSON."""
    return orjson.dumps(answer, option=orjson.OPT_SERIALIZE_NUMPY)


# --- tensors and steps ---------------------------------------------------------------------


def entries(value: FloatArray, encoding: Encoding) -> Any:
    """A tensor's `data` (rows × cols): its array for orjson to write as nested lists, or
    lists with "Infinity", "-Infinity", "NaN" where an entry is not finite; `binary`: the
    typed array (`schemas.TypedArray`)."""
    if encoding == "binary":
        rows, cols = value.shape
        entries = np.ascontiguousarray(value, dtype="<f8").data
        return {"dtype": "f8", "shape": f"{rows}, {cols}", "bdata": b64encode_as_string(entries)}
    return _numbers(value)


def _numbers(value: FloatArray) -> Any:
    """A 1-D or 2-D array as orjson writes JSON numbers (C-ordered arrays only), or as lists
    with the names of its numbers that are not finite (orjson would write them as null)."""
    if np.isfinite(value).all():
        return np.ascontiguousarray(value)
    if value.ndim == 1:
        return encode_floats(value.tolist())
    return encode_matrix(value)


def tensor(value: engine.Tensor, encoding: Encoding) -> Answer:
    """`schemas.Tensor`."""
    rows, cols = value.shape
    return {
        "name": value.name,
        "latex": value.latex,
        "shape": [rows, cols],
        "data": entries(value.value, encoding),
    }


def formula(line: engine.Formula) -> Answer:
    """`schemas.Formula`: a line in LaTeX (plain, with sizes), its shape algebra, and its tree."""
    return {
        "latex": line.latex,
        "latex_shapes": line.latex_shapes,
        "shape_algebra": line.shape_algebra,
        "expression": line.expression,
        "result": line.result,
        "note": line.note,
    }


def step_record(step: engine.Step, of: int) -> Answer:
    """`schemas.Step`: a step record of an iteration of `of` steps, without its tensors."""
    return {
        "index": step.index,
        "number": step.index + 1,
        "of": of,
        "phase": step.phase,
        "layer": step.layer,
        "title": step.title,
        "formulas": [formula(f) for f in step.formulas],
        "substeps": [
            {
                "description": s.description,
                "latex": s.latex,
                "latex_shapes": s.latex_shapes,
                "shape_algebra": s.shape_algebra,
                "operands": s.operands,
                "result": s.result,
            }
            for s in step.substeps
        ],
        "operands": step.operands,
        "intermediates": step.intermediates,
        "results": step.results,
        "shapes": step.shapes,
        "constants": step.constants,
        "held_fixed": {
            name: {"rows": entries.rows, "cols": entries.cols}
            for name, entries in step.held_fixed.items()
        },
        "held_fixed_reason": engine.FORMAL_ROW_REASON if step.held_fixed else None,
    }


def written_tensor(trace: engine.Trace, name: str, encoding: Encoding) -> orjson.Fragment:
    """`schemas.Tensor` of the trace's tensor `name`, its JSON written once per trace and
    encoding and kept on the trace (`Trace.written`): the steps of an iteration show most
    tensors more than once (a step's results are later steps' operands)."""
    return orjson.Fragment(
        trace.written.get(
            ("tensor", name, encoding), lambda: dumps(tensor(trace.tensors[name], encoding))
        )
    )


def step(step: engine.Step, trace: engine.Trace, encoding: Encoding) -> Answer:
    """`schemas.StepWithTensors`: the step record with its operands, intermediates and
    results."""
    record = step_record(step, len(trace.steps))
    record["tensors"] = {
        name: written_tensor(trace, name, encoding) for name in trace.step_tensors(step.index)
    }
    return record


def trace(trace: engine.Trace, encoding: Encoding) -> Answer:
    """`schemas.Trace`: every step record and every tensor of the iteration."""
    of = len(trace.steps)
    return {
        "step_count": of,
        "loss": encode_float(trace.loss),
        "steps": [step_record(s, of) for s in trace.steps],
        "tensors": {name: written_tensor(trace, name, encoding) for name in trace.tensors},
    }


# --- sessions ------------------------------------------------------------------------------

Shown = tuple[engine.Step, engine.Trace] | None
"""The step a session shows and its iteration's trace; None before its first step."""


def position(session_id: str, session: engine.Session, *, read_only: bool = False) -> Answer:
    """`schemas.Position`: where the session is."""
    return {
        "id": session_id,
        "iteration": session.iteration + 1,  # numbered from 1; the engine counts updates taken
        "cursor": session.cursor,
        "step_count": session.steps_per_iteration,
        "current": current_step_number(session),
        "read_only": read_only,
    }


def current_step_number(session: engine.Session) -> int | None:
    """The number of the step `Session.current()` returns, without computing it."""
    if session.cursor > 0:
        return session.cursor
    if session.iteration > 0 and len(session.history) > 0:
        return session.steps_per_iteration
    return None


def move(
    session_id: str,
    session: engine.Session,
    shown: Shown,
    encoding: Encoding = "json",
    *,
    read_only: bool = False,
) -> Answer:
    """`schemas.MoveAnswer` (`schemas.StepAnswer` after a step): where the session is and the
    step it shows; `read_only` as a view's followers get it."""
    return {
        "session": position(session_id, session, read_only=read_only),
        "step": None if shown is None else step(*shown, encoding),
    }


def session_answer(
    session_id: str,
    session: engine.Session,
    encoding: Encoding = "json",
    *,
    read_only: bool = False,
) -> Answer:
    """`schemas.Session`: where it is, its spec (the starting parameters explicit only where
    they are not those its `seed` and `init` draw: `Network.sent_spec`), its current parameters
    (typed arrays in the `binary` encoding: W_i n_i × n_{i-1}, b_i n_i × 1), its losses and the
    outline of its iterations. The parameters are sent once."""
    params = session.parameters
    # The outline's records depend on the network's structure only: they are those of the
    # current iteration's trace, computed once and kept (`Session.trace`) for its next step.
    steps = session.trace().steps
    if encoding == "binary":
        weights = [entries(w, encoding) for w in params.weights]
        biases = None if params.biases is None else [entries(b, encoding) for b in params.biases]
    else:
        weights = [_numbers(w) for w in params.weights]
        biases = None if params.biases is None else [_numbers(b[:, 0]) for b in params.biases]
    return position(session_id, session, read_only=read_only) | {
        "spec": session.network.sent_spec,
        "losses": encode_floats(session.losses),
        "weights": weights,
        "biases": biases,
        "outline": [
            {"number": s.index + 1, "phase": s.phase, "layer": s.layer, "title": s.title}
            for s in steps
        ],
    }


def view(view_id: str, session: engine.Session, shown: Shown, room: Answer | None = None) -> Answer:
    """`schemas.ViewAnswer`: a followed session under the view's id, read-only, the step it
    shows, and the room's state (`schemas.RoomState`) when the view is a room."""
    return {
        "session": session_answer(view_id, session, read_only=True),
        "step": None if shown is None else step(*shown, "json"),
        "room": room,
    }


def trained(session_id: str, session: engine.Session, losses: list[float]) -> Answer:
    """`schemas.TrainAnswer`: the session after training and J of each iteration run."""
    return {"session": session_answer(session_id, session), "losses": encode_floats(losses)}


def exported(session: engine.Session) -> Answer:
    """`schemas.ExportedSession`: the session as a document POST /api/sessions takes back."""
    document = session.to_document()
    return {**document["spec"], "state": encode_nested(document["state"])}


# --- assignments -----------------------------------------------------------------------------


def work_step(
    step: engine.Step, trace: engine.Trace, hidden: frozenset[str], encoding: Encoding
) -> Answer:
    """`schemas.WorkStep`: a step of a student's iteration with its tensors but the `hidden`
    ones, which `withheld` names (their values are not sent at all)."""
    record = step_record(step, len(trace.steps))
    tensors = trace.step_tensors(step.index)
    record["tensors"] = {
        name: tensor(t, encoding) for name, t in tensors.items() if name not in hidden
    }
    record["withheld"] = [name for name in tensors if name in hidden]
    return record


def work_move(
    position: Answer, shown: Shown, hidden: frozenset[str], encoding: Encoding = "json"
) -> Answer:
    """`schemas.WorkMove`: where the student is and the step shown, `hidden` withheld."""
    return {
        "position": position,
        "step": None if shown is None else work_step(*shown, hidden, encoding),
    }


def solutions(trace: engine.Trace, names: list[str]) -> Answer:
    """`schemas.Solutions`: the tensors `names` of an iteration, with their values."""
    return {"tensors": {name: tensor(trace.tensors[name], "json") for name in names}}
