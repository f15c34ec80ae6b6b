"""Stepping a session forward and back, across updates, exactly."""

from __future__ import annotations

import numpy as np
import pytest

from app.engine import CannotMove, Session, SpecError, preset


def xor_session(**kwargs) -> Session:
    return Session.create(preset("xor").spec, **kwargs)


def test_steps_come_in_order_and_the_update_starts_the_next_iteration() -> None:
    session = xor_session()
    titles = [session.step()[0].title for _ in range(7)]
    assert titles[:6] == [
        "Forward, layer 1",
        "Forward, layer 2",
        "Objective and its gradient",
        "Backward, layer 2",
        "Backward, layer 1",
        "Update, η = 2",
    ]
    assert titles[6] == "Forward, layer 1"
    assert (session.iteration, session.cursor) == (1, 1)
    assert len(session.losses) == 1


def test_the_next_iteration_uses_the_updated_weights() -> None:
    session = xor_session()
    for _ in range(5):
        session.step()
    update, trace = session.step()
    np.testing.assert_array_equal(session.parameters.weights[0], trace.tensors["W1_new"].value)


def test_back_across_an_update_restores_the_weights_bitwise() -> None:
    session = xor_session()
    before = session.parameters.copy()
    for _ in range(6):
        session.step()
    assert not np.array_equal(session.parameters.flat(), before.flat())
    current = session.back()
    assert current is not None and current[0].phase == "backward"
    assert (session.iteration, session.cursor) == (0, 5)
    np.testing.assert_array_equal(session.parameters.flat(), before.flat())
    assert session.losses == []


def test_back_at_the_start_cannot_move() -> None:
    with pytest.raises(CannotMove):
        xor_session().back()


def test_back_from_the_first_step_shows_nothing() -> None:
    session = xor_session()
    session.step()
    assert session.back() is None


def test_goto_moves_within_the_iteration() -> None:
    session = xor_session()
    step, _ = session.goto(4)
    assert step.title == "Backward, layer 2"
    assert session.cursor == 4
    step, _ = session.goto(6)
    assert step.phase == "update" and (session.iteration, session.cursor) == (1, 0)


def test_train_then_back_restores_the_weights_before_the_last_update() -> None:
    stepped, trained = xor_session(), xor_session()
    for _ in range(3 * 6):
        stepped.step()
    losses = trained.train(3)
    assert losses == stepped.losses
    np.testing.assert_array_equal(trained.parameters.flat(), stepped.parameters.flat())
    trained.back()
    stepped.back()
    np.testing.assert_array_equal(trained.parameters.flat(), stepped.parameters.flat())


def test_training_in_chunks_equals_training_at_once_and_keeps_each_record() -> None:
    whole, chunked = xor_session(), xor_session()
    records = whole.train_records(10)
    parts = chunked.train_records(4) + chunked.train_records(6)
    assert parts == records
    assert [r.loss for r in records] == whole.losses == chunked.losses
    assert all(len(r.delta_norms) == len(r.gradient_norms) == 2 for r in records)
    np.testing.assert_array_equal(whole.parameters.flat(), chunked.parameters.flat())
    assert (chunked.iteration, chunked.cursor) == (10, 0)


def test_history_is_bounded_and_says_so() -> None:
    session = xor_session(history_limit=2)
    session.train(3)
    session.back()
    session.goto(0)
    session.back()
    session.goto(0)
    with pytest.raises(CannotMove, match="no longer kept"):
        session.back()


def test_reset_returns_to_the_initial_weights() -> None:
    session = xor_session()
    initial = session.parameters.copy()
    session.train(4)
    session.reset()
    assert (session.iteration, session.cursor, session.losses) == (0, 0, [])
    np.testing.assert_array_equal(session.parameters.flat(), initial.flat())


def test_a_document_rebuilds_an_identical_session() -> None:
    session = xor_session()
    session.train(3)
    session.step()
    session.step()
    copy = Session.from_document(session.to_document())
    assert copy.to_document() == session.to_document()
    assert copy.step()[0].title == session.step()[0].title
    copy.reset()
    session.reset()
    np.testing.assert_array_equal(copy.parameters.flat(), session.parameters.flat())


def test_a_document_with_a_bad_state_names_the_field() -> None:
    document = xor_session().to_document()
    document["state"]["weights"][0][0][0] = "a string"
    with pytest.raises(SpecError) as caught:
        Session.from_document(document)
    assert caught.value.field == "state.weights.0.0.0"


def test_a_diverged_state_is_restored_with_its_infinities_and_nans() -> None:
    document = xor_session().to_document()
    document["state"]["weights"][0][0][0] = float("nan")
    document["state"]["biases"][1][0] = float("-inf")

    copy = Session.from_document(document)

    assert np.isnan(copy.parameters.weights[0][0, 0])
    assert copy.parameters.biases is not None and copy.parameters.biases[1][0, 0] == -np.inf
    assert (
        copy.to_document()["state"]["weights"][0][0][1:] == document["state"]["weights"][0][0][1:]
    )
