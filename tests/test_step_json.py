"""app.step_json: move answers and traces written from the engine's records, byte for byte what
the models write, for every step, notation and encoding, a diverged run's strings included."""

from __future__ import annotations

import gc
from typing import Any

import numpy as np
import pytest

from app import schemas, step_json
from app.api.notation import Notation
from app.engine import Session, preset
from app.engine.recent import RECENT

NOTATIONS = [
    Notation(),
    Notation("row"),
    Notation("column", "homogeneous"),
    Notation("row", "homogeneous"),
]
DIVERGING: dict[str, Any] = {
    **preset("xor").spec,
    "activations": "identity",
    "learning_rate": 100.0,
}
"""XOR through identity layers with η = 100: J overflows within a few iterations."""


def model_json(session: Session, shown: Any, encoding: schemas.Encoding) -> bytes:
    """What the models write for the move answer (the reference)."""
    return schemas.dump_json(schemas.MoveAnswer.from_engine("an-id", session, shown, encoding))


def _shown_in(name: str, notation: Notation) -> bool:
    """Whether a preset can be shown in a notation (the homogeneous view needs biases)."""
    return notation.view == "affine" or Session.create(preset(name).spec).network.bias


CASES = [
    (name, notation)
    for name in ["xor", "paper-1d-chain", "qa-one-hidden"]
    for notation in NOTATIONS
    if _shown_in(name, notation)
]


@pytest.mark.parametrize("encoding", ["json", "binary"])
@pytest.mark.parametrize(("name", "notation"), CASES, ids=str)
def test_every_move_answer_is_written_as_the_models_write_it(
    name: str, notation: Notation, encoding: schemas.Encoding
) -> None:
    session = Session.create(preset(name).spec)

    for _ in range(2 * session.steps_per_iteration + 1):
        shown = notation.show(session.network, session.current())
        fast = b"".join(step_json.move_answer("an-id", session, shown, encoding))
        assert fast == model_json(session, shown, encoding)
        session.step()


def test_a_diverged_runs_entries_are_written_as_the_models_write_them() -> None:
    session = Session.create(DIVERGING)
    session.train(6)
    written = []

    for _ in range(session.steps_per_iteration):
        shown = session.step()
        fast = b"".join(step_json.move_answer("an-id", session, shown))
        assert fast == model_json(session, shown, "json")
        written.append(fast)

    assert any(b'"NaN"' in answer or b'Infinity"' in answer for answer in written)


def test_a_step_read_is_the_step_with_its_tensors_as_the_model_writes_it() -> None:
    session = Session.create(preset("xor").spec)
    trace = session.trace()

    for step in trace.steps:
        fast = b"".join(step_json.step_with_tensors(step, trace, "json"))
        reference = schemas.StepWithTensors.from_engine(step, trace)
        assert fast == schemas.dump_json(reference)


@pytest.mark.parametrize("encoding", ["json", "binary"])
@pytest.mark.parametrize(("name", "notation"), CASES, ids=str)
def test_every_trace_answer_is_written_as_the_models_write_it(
    name: str, notation: Notation, encoding: schemas.Encoding
) -> None:
    session = Session.create(preset(name).spec)
    trace = notation.trace(session.network, session.trace())

    fast = b"".join(step_json.trace_answer(trace, encoding))

    assert fast == schemas.dump_json(schemas.Trace.from_engine(trace, encoding))


def test_a_diverged_trace_is_written_as_the_models_write_it_its_loss_a_string() -> None:
    session = Session.create(DIVERGING)
    session.train(6)
    trace = session.trace()

    fast = b"".join(step_json.trace_answer(trace))

    assert fast == schemas.dump_json(schemas.Trace.from_engine(trace))
    assert b'"loss":"' in fast


def test_a_small_loss_is_written_as_the_model_writes_it() -> None:
    session = Session.create({**preset("xor").spec, "targets": [[0.0], [0.0], [0.0], [0.0]]})
    session.train(2000)
    trace = session.trace()
    assert "e-" in repr(trace.loss)  # Python would write it with an exponent

    fast = b"".join(step_json.trace_answer(trace))

    assert fast == schemas.dump_json(schemas.Trace.from_engine(trace))


def test_a_one_shot_traces_entries_are_not_kept() -> None:
    session = Session.create(preset("xor").spec)
    trace = session.trace()
    kept = step_json._entries.nbytes

    step_json.trace_answer(trace)

    assert step_json._entries.nbytes == kept


def test_the_entries_of_a_kept_trace_are_written_once_and_forgotten_with_it() -> None:
    session = Session.create(preset("xor").spec)
    for _ in range(3):
        session.step()
    trace = session.trace()
    value = trace.tensors["Sigma1"].value

    first = step_json._data(value, "json")
    again = step_json._data(value, "json")

    assert again is first  # not written a second time
    assert step_json._entries.get(value, "json") is first
    key = (id(value), "json")
    del session, trace, value, first, again
    RECENT.clear()
    gc.collect()
    len(step_json._entries)  # drops what was freed
    assert key not in step_json._entries._kept


def test_the_entries_of_an_array_that_may_still_change_are_not_kept() -> None:
    value = np.arange(6.0).reshape(2, 3)

    written = step_json._data(value, "json")
    value[0, 0] = 7.0

    assert step_json._entries.get(value, "json") is None
    assert step_json._data(value, "json") != written


def test_a_followers_answer_is_the_models_with_the_session_read_only() -> None:
    session = Session.create(preset("xor").spec)
    shown = session.step()
    answer = schemas.MoveAnswer.from_engine("a-view-id", session, shown)
    answer.session.read_only = True

    fast = b"".join(step_json.move_answer("a-view-id", session, shown, read_only=True))

    assert fast == schemas.dump_json(answer)


def test_a_transposed_view_of_an_array_is_written_as_its_entries_row_by_row() -> None:
    value = np.arange(6.0).reshape(2, 3)
    value.flags.writeable = False

    written = b"".join(step_json._data(value.T, "json"))

    assert written == b"[[0.0,3.0],[1.0,4.0],[2.0,5.0]]"
