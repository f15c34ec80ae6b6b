"""Teaching endpoints: explain an entry, the two notations on every move, check a prediction,
every form of the gradient; each refusal a 422 naming the field or a 404."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.engine import (
    Session,
    explain_entry,
    preset,
    row_convention,
    to_homogeneous,
    trace_iteration,
)

STEPS = 6  # XOR: k = 2


def url(session_id: str, suffix: str = "") -> str:
    return f"/api/sessions/{session_id}{suffix}"


def goto(client: TestClient, session_id: str, n: int, **params: str) -> dict[str, Any]:
    response = client.post(url(session_id, "/goto"), json={"step": n}, params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


def engine_session(spec: dict[str, Any]) -> Session:
    return Session.create(spec)


def loc_of(response: Any) -> list[Any]:
    assert response.status_code == 422, response.text
    return list(response.json()["detail"][0]["loc"])


# --- explain ------------------------------------------------------------------------------


def test_explain_gives_the_engines_index_level_formula_numbers_and_highlights(
    client: TestClient, session_id: str, xor: dict[str, Any]
) -> None:
    goto(client, session_id, 4)  # backward, layer 2

    answer = client.get(
        url(session_id, "/explain"), params={"tensor": "gradW2", "row": 1, "col": 3}
    )

    assert answer.status_code == 200
    body = answer.json()
    session = engine_session(xor)
    expected = explain_entry(session.network, session.trace(), "gradW2", 1, 3)
    assert body["formula"] == expected.formula
    assert body["formula"].startswith(r"\nabla W_{2}[1,3] = \sum_{j=1}^{4} \Delta_{2}[1,j]")
    assert body["numbers"] == expected.numbers
    assert body["value"] == pytest.approx(session.trace().tensors["gradW2"].value[0, 2])
    assert body["highlights"] == {
        "Delta2": {"rows": [1], "cols": []},
        "Sigma1": {"rows": [3], "cols": []},
    }
    assert [[f["name"] for f in term] for term in body["terms"]] == [["Delta2", "Sigma1"]] * 4
    assert (body["convention"], body["view"]) == ("column", "affine")


def test_explain_in_the_row_convention_uses_the_transposed_indices(
    client: TestClient, session_id: str
) -> None:
    goto(client, session_id, 4)
    column = client.get(
        url(session_id, "/explain"), params={"tensor": "gradW2", "row": 1, "col": 3}
    )

    row = client.get(
        url(session_id, "/explain"),
        params={"tensor": "gradW2", "row": 3, "col": 1, "convention": "row"},
    )

    assert row.status_code == 200
    body = row.json()
    assert body["value"] == column.json()["value"]
    assert body["formula"] == (
        r"\nabla W_{2}^{T}[3,1] = \sum_{j=1}^{4} \Sigma_{1}^{T}[j,3]\,\Delta_{2}^{T}[j,1]"
    )
    assert body["highlights"] == {
        "Delta2": {"rows": [], "cols": [1]},
        "Sigma1": {"rows": [], "cols": [3]},
    }
    assert (body["terms"][1][0]["name"], body["terms"][1][0]["row"]) == ("Sigma1", 2)
    assert body["terms"][1][0]["col"] == 3


def test_every_factor_of_a_row_convention_explanation_is_the_shown_entry(
    client: TestClient, session_id: str, xor: dict[str, Any]
) -> None:
    goto(client, session_id, STEPS - 1)  # the iteration's trace, before its update
    session = engine_session(xor)
    rows = row_convention(session.trace())

    for name, tensor in rows.tensors.items():
        shape = tensor.value.shape
        answer = client.get(
            url(session_id, "/explain"),
            params={"tensor": name, "row": shape[0], "col": shape[1], "convention": "row"},
        ).json()
        assert answer["value"] == tensor.value[-1, -1]
        for term in answer["terms"]:
            for factor in term:
                shown = rows.tensors[factor["name"]].value
                assert factor["value"] == shown[factor["row"] - 1, factor["col"] - 1]


def test_explain_in_the_homogeneous_view_explains_the_embedded_network(
    client: TestClient, session_id: str
) -> None:
    goto(client, session_id, 1)

    answer = client.get(
        url(session_id, "/explain"),
        params={"tensor": "N1", "row": 5, "col": 2, "view": "homogeneous"},
    )

    assert answer.status_code == 200
    body = answer.json()
    assert body["latex"] == "N_{1}"
    assert body["value"] == 1.0  # the formal neuron: [0 0 1] · [x; 1]
    assert "b_{1}" not in body["formula"]
    assert body["formula"] == (
        r"N_{1}[5,2] = \sum_{q=1}^{3} \hat{W}_{1}[5,q]\,\hat{X}[q,2]"
    )  # written with the symbols the page shows in this view


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"tensor": "gradW9", "row": 1, "col": 1}, "tensor"),
        ({"tensor": "gradW2", "row": 2, "col": 1}, "row"),
        ({"tensor": "gradW2", "row": 1, "col": 5}, "col"),
        ({"tensor": "gradW2", "row": 0, "col": 1}, "row"),
        ({"tensor": "gradW2", "row": "one", "col": 1}, "row"),
        ({"tensor": "gradW2", "row": 1}, "col"),
        ({"tensor": "gradW2", "row": 3, "col": 2, "convention": "row"}, "col"),
        ({"tensor": "gradW2", "row": 1, "col": 1, "convention": "rows"}, "convention"),
    ],
)
def test_a_bad_tensor_row_or_col_is_a_422_naming_it(
    client: TestClient, session_id: str, params: dict[str, Any], field: str
) -> None:
    goto(client, session_id, 4)

    assert loc_of(client.get(url(session_id, "/explain"), params=params)) == ["query", field]


def test_explain_right_after_an_update_explains_the_iteration_just_finished(
    client: TestClient, session_id: str, xor: dict[str, Any]
) -> None:
    goto(client, session_id, STEPS)  # the update taken: iteration 1, step 6 of iteration 0 shown

    body = client.get(
        url(session_id, "/explain"), params={"tensor": "W1_new", "row": 1, "col": 1}
    ).json()

    first = engine_session(xor).trace()
    assert body["value"] == pytest.approx(first.tensors["W1_new"].value[0, 0])


# --- the two notations on the moves --------------------------------------------------------


@pytest.mark.parametrize("n", range(1, STEPS + 1))
def test_every_move_in_the_row_convention_shows_the_engines_transposed_step(
    client: TestClient, session_id: str, xor: dict[str, Any], n: int
) -> None:
    step = goto(client, session_id, n, convention="row")["step"]

    session = engine_session(xor)
    rows = row_convention(session.trace())
    expected = rows.steps[n - 1]
    assert [f["latex"] for f in step["formulas"]] == [f.latex for f in expected.formulas]
    assert [f["shape_algebra"] for f in step["formulas"]] == [
        f.shape_algebra for f in expected.formulas
    ]
    for name, tensor in step["tensors"].items():
        assert tensor["latex"] == rows.tensors[name].latex
        assert np.allclose(tensor["data"], session.trace().tensors[name].value.T)


@pytest.mark.parametrize("suffix", ["/current", "/steps/4"])
def test_reads_take_the_notation_too(client: TestClient, session_id: str, suffix: str) -> None:
    goto(client, session_id, 4)

    step = client.get(url(session_id, suffix), params={"convention": "row"}).json()
    step = step.get("step", step)

    assert step["tensors"]["Delta2"]["shape"] == [4, 1]
    assert step["formulas"][0]["latex"].startswith(r"\Delta_{2}^{T} = G^{T}")


def test_back_takes_the_notation(client: TestClient, session_id: str) -> None:
    goto(client, session_id, 2)

    answer = client.post(url(session_id, "/back"), params={"view": "homogeneous"})

    assert answer.status_code == 200
    assert answer.json()["step"]["tensors"]["W1"]["shape"] == [5, 3]


def test_the_homogeneous_view_shows_w_hat_with_the_bias_column_and_the_formal_row(
    client: TestClient, session_id: str, xor: dict[str, Any]
) -> None:
    step = goto(client, session_id, 1, view="homogeneous")["step"]

    session = engine_session(xor)
    embedded, params = to_homogeneous(session.network, session.parameters)
    w_hat = step["tensors"]["W1"]
    assert w_hat["latex"] == r"\hat{W}_{1}"
    assert w_hat["shape"] == [5, 3]
    assert np.allclose(w_hat["data"], params.weights[0])
    assert w_hat["data"][-1] == [0.0, 0.0, 1.0]
    assert [row[-1] for row in w_hat["data"][:-1]] == [0.0] * 4  # b_1 starts at zero
    assert step["tensors"]["X"]["latex"] == r"\hat{X}"
    assert step["tensors"]["X"]["data"][-1] == [1.0] * 4
    assert step["formulas"][0]["latex"] == r"N_{1} = \hat{W}_{1} \cdot \hat{X}"
    expected = trace_iteration(embedded, params).tensors["N1"].value
    assert np.allclose(step["tensors"]["N1"]["data"], expected)


@pytest.mark.parametrize("convention", ["column", "row"])
def test_the_homogeneous_update_holds_the_formal_row_and_the_next_iteration_starts_from_it(
    client: TestClient, session_id: str, convention: str
) -> None:
    assert client.post(url(session_id, "/train"), json={"iterations": 5}).status_code == 200
    notation = {"view": "homogeneous", "convention": convention}
    update = goto(client, session_id, STEPS, **notation)["step"]
    after = client.post(url(session_id, "/step"), params=notation).json()["step"]

    def matrix(step: dict[str, Any], name: str) -> np.ndarray:
        data = np.array(step["tensors"][name]["data"])
        return data.T if convention == "row" else data

    assert after["phase"] == "forward"
    # The formal row of Ŵ_1 (5 × 3) is its 5th row, the 5th column of Ŵ_1ᵀ.
    formal = {"rows": [5], "cols": []} if convention == "column" else {"rows": [], "cols": [5]}
    assert update["held_fixed"] == {"W1": formal, "gradW1": formal, "W1_new": formal}
    assert "§3" in update["held_fixed_reason"]
    assert after["held_fixed"] == {"W1": formal}
    assert matrix(update, "gradW1")[-1].any()  # differentiated blindly, it is not zero
    np.testing.assert_array_equal(matrix(update, "W1_new")[-1], [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(matrix(update, "W1_new"), matrix(after, "W1"))  # bit for bit


def test_the_homogeneous_update_is_the_affine_one_embedded(
    client: TestClient, session_id: str
) -> None:
    client.post(url(session_id, "/train"), json={"iterations": 5})
    update = goto(client, session_id, STEPS, view="homogeneous")["step"]
    hat, eta = update["tensors"], update["constants"]["eta"]
    affine = client.get(url(session_id, "/current")).json()["step"]["tensors"]

    for i in (1, 2):
        new = np.array(hat[f"W{i}_new"]["data"])
        rows = len(affine[f"W{i}_new"]["data"])
        np.testing.assert_array_equal(new[:rows, :-1], affine[f"W{i}_new"]["data"])
        np.testing.assert_array_equal(new[:rows, -1:], affine[f"b{i}_new"]["data"])
        # Ŵ_i − η ∇Ŵ_i with the formal row held fixed, up to rounding.
        old, grad = np.array(hat[f"W{i}"]["data"]), np.array(hat[f"gradW{i}"]["data"])
        moved = old - eta * grad
        moved[rows:] = old[rows:]
        np.testing.assert_allclose(new, moved, rtol=1e-12, atol=1e-15)


def test_the_affine_view_holds_nothing_fixed(client: TestClient, session_id: str) -> None:
    step = goto(client, session_id, STEPS)["step"]
    assert step["held_fixed"] == {}
    assert step["held_fixed_reason"] is None


def test_the_homogeneous_view_of_a_network_without_biases_is_a_422_and_moves_nothing(
    client: TestClient,
) -> None:
    spec = preset("paper-1d-chain").spec
    session_id = client.post("/api/sessions", json=spec).json()["id"]

    response = client.post(url(session_id, "/step"), params={"view": "homogeneous"})

    assert loc_of(response) == ["query", "view"]
    assert "no biases" in response.json()["detail"][0]["msg"]
    assert client.get(url(session_id)).json()["cursor"] == 0


def test_a_one_shot_trace_takes_the_notation(client: TestClient, xor: dict[str, Any]) -> None:
    trace = client.post("/api/trace", json=xor, params={"convention": "row"}).json()

    assert trace["tensors"]["X"]["shape"] == [4, 2]
    assert trace["tensors"]["W1"]["latex"] == "W_{1}^{T}"


# --- check --------------------------------------------------------------------------------


def test_check_grades_entry_by_entry_without_revealing_the_values(
    client: TestClient, session_id: str, xor: dict[str, Any]
) -> None:
    delta = engine_session(xor).trace().tensors["Delta2"].value.copy()
    delta[0, 1] += 0.5
    delta[0, 3] *= 1 + 5e-4  # within the default tolerance

    answer = client.post(
        url(session_id, "/check"), json={"tensor": "Delta2", "values": delta.tolist()}
    )

    assert answer.status_code == 200
    body = answer.json()
    assert body == {
        "tensor": "Delta2",
        "shape": [1, 4],
        "correct": [[True, False, True, True]],
        "correct_count": 3,
        "total": 4,
        "all_correct": False,
        "tolerance": 1e-3,
        "iteration": 1,
        "hint": None,
    }
    assert client.get(url(session_id)).json()["cursor"] == 0, "checking does not move"


def test_check_takes_a_tolerance_and_the_row_convention(
    client: TestClient, session_id: str, xor: dict[str, Any]
) -> None:
    grad = engine_session(xor).trace().tensors["gradW1"].value
    values = (grad.T * 1.05).tolist()

    strict = client.post(
        url(session_id, "/check"),
        params={"convention": "row"},
        json={"tensor": "gradW1", "values": values},
    ).json()
    loose = client.post(
        url(session_id, "/check"),
        params={"convention": "row"},
        json={"tensor": "gradW1", "values": values, "tolerance": 0.1},
    ).json()

    assert strict["shape"] == [2, 4]
    assert not strict["all_correct"]
    assert loose["all_correct"] and loose["correct_count"] == 8


def test_check_right_after_an_update_can_grade_the_iteration_just_finished(
    client: TestClient, session_id: str, xor: dict[str, Any]
) -> None:
    goto(client, session_id, STEPS)
    w_new = engine_session(xor).trace().tensors["W2_new"].value

    current = client.post(
        url(session_id, "/check"), json={"tensor": "W2_new", "values": w_new.tolist()}
    ).json()
    finished = client.post(
        url(session_id, "/check"),
        json={"tensor": "W2_new", "values": w_new.tolist(), "iteration": 1},
    ).json()

    assert not current["all_correct"] and current["iteration"] == 2
    assert current["correct_count"] == 0
    assert '"iteration": 1' in current["hint"] and "finished iteration 1" in current["hint"]
    assert finished["all_correct"] and finished["iteration"] == 1
    assert finished["hint"] is None


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"tensor": "Delta2", "values": [[0, 0, 0, 0], [0, 0, 0, 0]]}, ["body", "values"]),
        ({"tensor": "Delta2", "values": [[0, 0, 0]]}, ["body", "values", 0]),
        ({"tensor": "Delta9", "values": [[0]]}, ["body", "tensor"]),
        ({"tensor": "Delta2", "values": [[0, 0, 0, 0]], "tolerance": 0}, ["body", "tolerance"]),
        ({"tensor": "Delta2", "values": [[0, 0, 0, 0]], "iteration": 3}, ["body", "iteration"]),
        ({"tensor": "Delta2", "values": [[0, 0, 0, 0]], "iteration": 0}, ["body", "iteration"]),
        ({"tensor": "Delta2"}, ["body", "values"]),
        ({"tensor": "Delta2", "values": [[0, 0, 0, 0]], "extra": 1}, ["body", "extra"]),
    ],
)
def test_a_bad_check_is_a_422_naming_the_field(
    client: TestClient, session_id: str, body: dict[str, Any], loc: list[Any]
) -> None:
    assert loc_of(client.post(url(session_id, "/check"), json=body)) == loc


# --- every form of the gradient ---------------------------------------------------------------


def test_the_four_forms_of_the_gradient_agree_and_match_the_trace(
    client: TestClient, session_id: str, xor: dict[str, Any]
) -> None:
    answer = client.get(url(session_id, "/gradients"))

    assert answer.status_code == 200
    body = answer.json()
    assert [f["name"] for f in body["forms"]] == [
        "recursive",
        "hadamard_chain",
        "diagonal_chain",
        "finite_differences",
    ]
    assert body["finite_differences"] is True and body["note"] is None
    assert 0 <= body["max_difference"] < 1e-8
    trace = engine_session(xor).trace()
    for form in body["forms"]:
        assert [w["name"] for w in form["weights"]] == ["gradW1", "gradW2"]
        for i in (1, 2):
            expected = trace.tensors[f"gradW{i}"].value
            assert np.allclose(form["weights"][i - 1]["data"], expected, atol=1e-8)
            assert form["biases"][i - 1]["shape"] == [expected.shape[0], 1]


def test_gradients_in_the_row_convention_are_transposed(
    client: TestClient, session_id: str
) -> None:
    body = client.get(url(session_id, "/gradients"), params={"convention": "row"}).json()

    assert body["forms"][0]["weights"][0]["shape"] == [2, 4]
    assert body["forms"][0]["weights"][0]["latex"] == r"\nabla W_{1}^{T}"


def test_finite_differences_are_skipped_above_the_setting_and_the_answer_says_so(
    client_with: Any, xor: dict[str, Any]
) -> None:
    client = client_with(max_finite_difference_parameters=10)
    session_id = client.post("/api/sessions", json=xor).json()["id"]

    body = client.get(url(session_id, "/gradients")).json()

    assert body["finite_differences"] is False
    assert [f["name"] for f in body["forms"]] == ["recursive", "hadamard_chain", "diagonal_chain"]
    assert "17 parameters" in body["note"] and "10" in body["note"]


def test_the_qa_names_are_asked_with_names_qa_in_the_row_convention(client: TestClient) -> None:
    session_id = client.post("/api/sessions", json=preset("qa-one-hidden").spec).json()["id"]

    step = goto(client, session_id, 4, convention="row", names="qa")["step"]

    assert (
        step["formulas"][2]["latex"]
        == r"\frac{\partial J}{\partial B} = (Y - Y^{*}) \circ f'(HW + B)"
    )
    assert step["tensors"]["Sigma1"]["latex"] == "H"
    assert step["formulas"][1]["expression"]["rhs"]["args"][0] == {
        "kind": "tensor",
        "latex": "H^{T}",
        "shape": [4, 1],
        "name": "Sigma1",
        "transpose": True,
    }


@pytest.mark.parametrize(
    ("preset_id", "params", "why"),
    [
        ("qa-one-hidden", {"names": "qa"}, "row convention"),
        ("qa-one-hidden", {"names": "qa", "convention": "row", "view": "homogeneous"}, "affine"),
        ("softmax-classifier", {"names": "qa", "convention": "row"}, "squared error"),
        ("paper-k-layer", {"names": "qa", "convention": "row"}, "one hidden layer"),
    ],
)
def test_the_qa_names_where_they_do_not_fit_are_a_422_naming_names(
    client: TestClient, preset_id: str, params: dict[str, str], why: str
) -> None:
    session_id = client.post("/api/sessions", json=preset(preset_id).spec).json()["id"]

    response = client.post(url(session_id, "/step"), params=params)

    assert loc_of(response) == ["query", "names"]
    assert why in response.json()["detail"][0]["msg"]
    assert client.get(url(session_id)).json()["cursor"] == 0


def test_the_gradients_of_one_layer_write_out_formulas_3_4_and_5_with_its_sizes(
    client: TestClient, session_id: str
) -> None:
    answer = client.get(url(session_id, "/gradients"), params={"layer": 1})

    assert answer.status_code == 200
    body = answer.json()
    assert body["layer"] == 1
    forms = {form["name"]: form for form in body["forms"]}
    bullet, kronecker = (f["latex"] for f in forms["hadamard_chain"]["formulas"])
    assert bullet == (
        r"\nabla W_{1} = ((G \circ \Sigma'_{2}) \bullet W_{2}^{T} \circ \Sigma'_{1}) \cdot X^{T}"
    )
    assert kronecker.startswith(r"\nabla W_{1} = \sum_{j=1}^{m} X^{T}[j,:] \otimes (")
    (diagonal,) = forms["diagonal_chain"]["formulas"]
    assert (
        r"(\widehat{\Sigma}'_{1} \cdot W_{2}^{T} \cdot \widehat{\Sigma}'_{2} \cdot G[:,j])"
        in (diagonal["latex"])
    )
    assert "the paper's hat" in diagonal["note"]
    assert r"\underbrace{W_{2}^{T}}_{4\times 1}" in diagonal["latex_shapes"]
    assert r"\underbrace{\widehat{\Sigma}'_{1}}_{4\times 4}" in diagonal["latex_shapes"]
    assert r"\underbrace{X^{T}[j,:]}_{1\times 2}" in diagonal["latex_shapes"]
    assert forms["finite_differences"]["formulas"] == []
    for form in body["forms"]:
        assert [t["name"] for t in form["weights"]] == ["gradW1"]
        assert form["weights"][0]["shape"] == [4, 2]
        (difference,) = form["differences"]
        assert 0 <= difference < 1e-6
    assert forms["recursive"]["differences"] == [0.0]


def test_the_gradients_of_a_layer_the_network_has_not_are_a_422(
    client: TestClient, session_id: str
) -> None:
    response = client.get(url(session_id, "/gradients"), params={"layer": 3})
    assert loc_of(response) == ["query", "layer"]
