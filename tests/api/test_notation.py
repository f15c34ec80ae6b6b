"""app.api.notation: an iteration shown in the row convention is the column one transposed,
bit for bit; the homogeneous view is the embedded network's trace, its matrices hatted; a
network without biases cannot be embedded, and the answer names `view`."""

from __future__ import annotations

import numpy as np
import pytest
from fastapi.exceptions import RequestValidationError
from fastapi.testclient import TestClient

from app.api.notation import COLUMN_AFFINE, Notation
from app.engine import Session, preset


@pytest.fixture
def xor() -> Session:
    """XOR two steps in."""
    session = Session.create(preset("xor").spec)
    session.step()
    session.step()
    return session


def test_the_row_convention_shows_every_tensor_transposed_bit_for_bit(xor: Session) -> None:
    column = xor.trace()

    row = Notation("row").trace(xor.network, column)

    assert list(row.tensors) == list(column.tensors)
    for name, tensor in column.tensors.items():
        assert row.tensors[name].value.tobytes() == tensor.value.T.tobytes(), name
    assert [s.title for s in row.steps] == [s.title for s in column.steps]


def test_the_homogeneous_view_is_the_embedded_networks_trace_with_hatted_matrices(
    xor: Session,
) -> None:
    shown = Notation("column", "homogeneous").trace(xor.network, xor.trace())

    w1 = shown.tensors["W1"]
    assert w1.shape == (4 + 1, 2 + 1)  # Ŵ_1 = [[W_1, b_1], [0 … 0, 1]]
    assert np.array_equal(w1.value[-1], [0.0, 0.0, 1.0])
    assert w1.latex == r"\hat{W}_{1}"
    assert shown.tensors["X"].latex == r"\hat{X}"
    assert "b1" not in shown.tensors
    assert all(r"\hat{W}" in f.latex for f in shown.steps[0].formulas if "W" in f.latex)


def test_a_move_in_the_default_notation_is_shown_as_it_is(xor: Session) -> None:
    shown = xor.current()

    assert COLUMN_AFFINE.show(xor.network, shown) is shown
    assert Notation("row").show(xor.network, None) is None


def test_a_shown_step_is_the_same_step_of_the_rewritten_iteration(xor: Session) -> None:
    shown = Notation("row", "homogeneous").show(xor.network, xor.current())

    assert shown is not None
    step, trace = shown
    assert step is trace.steps[1]


def test_a_network_without_biases_cannot_be_embedded() -> None:
    chain = Session.create(preset("paper-1d-chain").spec)

    with pytest.raises(RequestValidationError) as refused:
        Notation("column", "homogeneous").check(chain.network)

    assert refused.value.errors()[0]["loc"] == ("query", "view")
    Notation("row").check(chain.network)  # the row convention is fine


def test_the_api_names_view_when_it_cannot_embed(client: TestClient) -> None:
    answer = client.post("/api/trace?view=homogeneous", json=preset("paper-1d-chain").spec)

    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["query", "view"]
