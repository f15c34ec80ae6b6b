"""The client covers the whole API against a live server, every tensor the server's float64
numbers bit for bit."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
from backprop_visualizer_client import (
    Check,
    Client,
    SessionState,
    StepResult,
    TrainProgress,
)

from app.engine import Network, to_homogeneous, trace_iteration
from devtools.server import LocalServer


def test_a_student_compares_the_servers_delta2_with_their_own_in_one_line(
    api: Client, xor: dict[str, Any]
) -> None:
    api.create_session(xor)
    step = api.goto(4)  # forward 1, forward 2, objective: now backward 2
    assert step is not None

    x, y = np.array(xor["inputs"]).T, np.array(xor["targets"]).T
    (w1, w2), (b1, b2) = api.session().weights, api.session().biases or []
    sigma1 = np.tanh(w1 @ x + b1)
    sigma2 = 1 / (1 + np.exp(-(w2 @ sigma1 + b2)))
    my_delta2 = (sigma2 - y) / 4 * sigma2 * (1 - sigma2)

    assert np.allclose(step["Delta2"], my_delta2)


def test_a_step_is_a_mapping_of_arrays_with_its_record_and_position(
    api: Client, xor: dict[str, Any]
) -> None:
    api.create_session(xor)

    step = api.step()

    assert isinstance(step, StepResult)
    assert (step.number, step.phase, step.layer, step.title) == (
        1,
        "forward",
        1,
        "Forward, layer 1",
    )
    assert set(step) == {"W1", "X", "b1", "N1", "Sigma1", "SigmaPrime1"}
    assert step["N1"].shape == (4, 4) and step["N1"].dtype == np.float64
    assert step.tensor("Sigma1").latex == r"\Sigma_{1}"
    assert step.session is not None and (step.session.cursor, step.session.current) == (1, 1)


@pytest.mark.parametrize("encoding", ["binary", "json"])
@pytest.mark.parametrize(
    ("convention", "view"),
    [("column", "affine"), ("row", "affine"), ("column", "homogeneous"), ("row", "homogeneous")],
)
def test_a_trace_is_the_engines_numbers_bit_for_bit_in_every_notation_and_encoding(
    server: LocalServer, xor: dict[str, Any], encoding: Any, convention: Any, view: Any
) -> None:
    network = Network.from_spec(xor)
    params = network.initial_parameters()
    if view == "homogeneous":
        network, params = to_homogeneous(network, params)
    expected = trace_iteration(network, params)

    with Client(server.url, encoding=encoding, convention=convention, view=view) as api:
        trace = api.trace(xor)

    assert set(trace) == set(expected.tensors)
    for name, tensor in expected.tensors.items():
        value = tensor.value.T if convention == "row" else tensor.value
        assert trace[name].tobytes() == np.ascontiguousarray(value).tobytes(), name
    assert trace.loss == expected.loss


def test_infinities_and_nan_of_a_diverged_run_come_back_as_they_are(
    api: Client, xor: dict[str, Any]
) -> None:
    api.create_session(xor | {"learning_rate": 1e308, "activations": "identity"})
    api.train(3)

    step = api.goto(6)

    assert step is not None
    values = np.concatenate([step[name].ravel() for name in step])
    assert not np.isfinite(values).all()
    assert not np.isfinite(api.session().losses).all()


def test_moving_back_to_a_step_and_reading_one_without_moving(
    api: Client, xor: dict[str, Any]
) -> None:
    api.create_session(xor)
    api.goto(3)

    back = api.back()
    peek = api.get_step(5)
    current = api.current()

    assert back is not None and back.number == 2
    assert peek.title == "Backward, layer 1" and peek.session is None
    assert current is not None and current.number == 2
    assert api.goto(0) is None
    assert api.current() is None


@pytest.mark.parametrize("call", ["step", "current", "get_step", "goto"])
def test_the_row_convention_transposes_every_matrix_of_a_move(
    api: Client, xor: dict[str, Any], call: str
) -> None:
    api.create_session(xor)
    api.goto(2)
    moves = {
        "step": lambda **kw: (api.back(), api.step(**kw))[1],
        "current": lambda **kw: api.current(**kw),
        "get_step": lambda **kw: api.get_step(2, **kw),
        "goto": lambda **kw: api.goto(2, **kw),
    }

    column, row = moves[call](), moves[call](convention="row")

    assert column is not None and row is not None
    assert row.convention == "row" and set(row) == set(column)
    for name in column:
        assert row[name].tobytes() == np.ascontiguousarray(column[name].T).tobytes(), name


def test_check_grades_entry_by_entry_without_revealing_the_values(
    api: Client, xor: dict[str, Any]
) -> None:
    api.create_session(xor)
    expected = api.trace(xor)["gradW1"]
    guess = expected.copy()
    guess[0, 1] += 1.0

    graded = api.check("gradW1", guess)
    exact = api.check("gradW1", expected)

    assert isinstance(graded, Check) and not graded
    assert graded.correct.shape == (4, 2)
    assert (graded.correct_count, graded.total) == (7, 8)
    assert not graded.correct[0, 1]
    assert exact.all_correct and exact
    assert not hasattr(graded, "expected")


def test_check_in_the_row_convention_takes_the_transposed_matrix(
    api: Client, xor: dict[str, Any]
) -> None:
    api.create_session(xor)
    expected = api.trace(xor)["gradW1"]

    assert api.check("gradW1", expected.T, convention="row").all_correct


def test_explain_writes_an_entry_with_its_numbers(api: Client, xor: dict[str, Any]) -> None:
    api.create_session(xor)
    step = api.goto(4)
    assert step is not None

    explained = api.explain("gradW2", 1, 3)

    assert explained.value == step["gradW2"][0, 2]
    assert explained.formula.startswith(r"\nabla W_{2}[1,3]")
    assert [f["name"] for f in explained.terms[0]] == ["Delta2", "Sigma1"]
    assert explained.highlights["Sigma1"]["rows"] == [3]


def test_every_gradient_form_agrees(api: Client, xor: dict[str, Any]) -> None:
    api.create_session(xor)

    forms = api.gradients()
    homogeneous = api.gradients(view="homogeneous")

    assert list(forms.forms) == [
        "recursive",
        "hadamard_chain",
        "diagonal_chain",
        "finite_differences",
    ]
    recursive = forms.forms["recursive"]
    for name, form in forms.forms.items():
        for mine, theirs in zip(form.weights, recursive.weights, strict=True):
            assert np.allclose(mine, theirs, atol=1e-6), name
    assert forms.max_relative_difference < 1e-6
    assert homogeneous.view == "homogeneous"
    assert homogeneous.forms["recursive"].weights[0].shape == (5, 3)  # Ŵ_1 with its row [0 0 1]


def test_train_returns_the_losses_as_an_array(api: Client, xor: dict[str, Any]) -> None:
    api.create_session(xor)

    losses = api.train(20)

    assert losses.shape == (20,) and losses[-1] < losses[0]
    weights, biases = api.parameters()
    assert [w.shape for w in weights] == [(4, 2), (1, 4)]
    assert biases is not None and [b.shape for b in biases] == [(4, 1), (1, 1)]


def test_a_streamed_run_reports_each_chunk_and_gives_the_whole_run(
    api: Client, xor: dict[str, Any]
) -> None:
    api.create_session(xor)
    seen: list[TrainProgress] = []

    run = api.train_streamed(120, progress=False, on_progress=seen.append)

    assert run.losses.shape == (120,)
    assert run.delta_norms.shape == run.gradient_norms.shape == (120, 2)
    assert seen and seen[-1].done == 120 and [p.done for p in seen] == sorted(p.done for p in seen)
    assert run.session.iteration == 121  # the one it is in, from 1
    assert np.array_equal(run.losses, api.session().losses)


def test_a_streamed_run_can_be_read_line_by_line(api: Client, xor: dict[str, Any]) -> None:
    api.create_session(xor)

    lines = list(api.train_stream(5))

    assert all(isinstance(line, TrainProgress) for line in lines[:-1])
    assert isinstance(lines[-1], SessionState) and lines[-1].iteration == 6


def test_the_progress_bar_is_tqdm_in_a_terminal(
    api: Client, xor: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    api.create_session(xor)

    api.train_streamed(50, progress=True)

    assert "Training: 100%" in capsys.readouterr().err


def test_the_decision_boundary_covers_the_input_plane(api: Client, xor: dict[str, Any]) -> None:
    api.create_session(xor)

    boundary = api.boundary(resolution=7)

    assert boundary.value.shape == (7, 7) and boundary.x1.shape == (7,)
    assert boundary.outputs == 1 and boundary.winner is None
    assert boundary.labels is not None and list(boundary.labels) == [0, 1, 1, 0]


def test_a_view_is_followed_read_only_in_its_own_notation(api: Client, xor: dict[str, Any]) -> None:
    api.create_session(xor)
    api.goto(3)

    link = api.create_view()
    session, step = api.read_view(link.view_id, convention="row")
    position, followed = next(iter(api.follow(link.view_id)))

    assert link.page == f"{api.url}/?follow={link.view_id}"
    assert session.id == link.view_id and session.position.read_only
    assert step is not None and step.number == 3 and step.convention == "row"
    assert position.read_only and followed is not None and followed.number == 3
    assert api.explain("Delta2", 1, 1, view_id=link.view_id).tensor == "Delta2"
    followed_boundary = api.boundary(resolution=5, view_id=link.view_id)
    assert np.array_equal(followed_boundary.value, api.boundary(resolution=5).value)


def test_the_exports_give_the_iteration_shown_as_arrays(api: Client, xor: dict[str, Any]) -> None:
    api.create_session(xor)
    api.goto(6)
    trace = api.trace(xor)
    link = api.create_view()

    arrays = api.export_npz()
    exported = api.export_trace()
    table = api.export_csv(view_id=link.view_id)
    latex = api.tensor_latex("Delta2", digits=2)

    assert set(arrays) == set(trace)
    for name in trace:
        assert arrays[name].tobytes() == trace[name].tobytes() == exported[name].tobytes()
    assert table.startswith("tensor,row,col,value\nX,1,1,")
    assert r"\Delta_{2} = \begin{bmatrix}" in latex


def test_the_exports_are_in_the_notation_asked_for_as_the_pages_downloads(
    api: Client, xor: dict[str, Any]
) -> None:
    api.create_session(xor)
    api.goto(6)
    link = api.create_view()
    column = api.export_npz()

    row = api.export_npz(convention="row")
    followed = api.export_trace(view_id=link.view_id, convention="row")
    homogeneous = api.export_npz(view="homogeneous")
    table = api.export_csv(convention="row")
    latex = api.tensor_latex("W1", convention="row")

    assert row.keys() == column.keys()
    for name in column:
        assert np.array_equal(row[name], column[name].T), name
        assert np.array_equal(followed[name], column[name].T), name
    assert followed.convention == "row" and followed.view == "affine"
    assert homogeneous.keys() != column.keys()  # Ŵ_i in place of W_i and b_i
    assert table.startswith("tensor,row,col,value\nX,1,1,")
    rows, cols = column["W1"].shape
    assert f"W1, {cols} x {rows}" in latex


def test_an_export_restores_an_identical_session(api: Client, xor: dict[str, Any]) -> None:
    api.create_session(xor)
    api.train(3)
    api.goto(3)
    original = api.session_id

    restored = api.create_session(api.export())
    copy_step = api.step()
    api.session_id = original

    assert restored.id != original
    assert api.step()["Delta2"].tobytes() == copy_step["Delta2"].tobytes()


def test_reset_and_delete(api: Client, xor: dict[str, Any]) -> None:
    api.create_session(xor)
    api.train(2)

    assert api.reset().iteration == 1
    api.delete()
    assert api.session_id is None


def test_the_catalogue_lists_what_a_spec_may_name(api: Client) -> None:
    names = {a["name"] for a in api.activations()}
    objectives = {o["name"] for o in api.objectives()}
    presets = {p["id"] for p in api.presets()}

    assert {"tanh", "sigmoid", "relu"} <= names
    assert {"network", "squared_error", "softmax_cross_entropy"} <= objectives
    assert {"xor", "qa-one-hidden", "paper-k-layer"} <= presets


def test_the_client_reads_the_address_from_the_environment(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BACKPROP_VISUALIZER_URL", server.url + "/")

    with Client() as api:
        assert api.url == server.url
        assert api.health()["status"] == "ok"


def test_every_call_that_moves_is_covered_in_each_pair_of_notations(
    api: Client, xor: dict[str, Any]
) -> None:
    api.create_session(xor)
    for convention, view in itertools.product(["column", "row"], ["affine", "homogeneous"]):
        step = api.goto(1, convention=convention, view=view)  # type: ignore[arg-type]
        assert step is not None and (step.convention, step.view) == (convention, view)
        expected = r"\hat{W}_{1}" if view == "homogeneous" else "W_{1}"
        assert step.tensor("W1").latex.startswith(expected)
