"""Exports of the iteration shown: trace as JSON, CSV and .npz; a matrix as a LaTeX bmatrix."""

from __future__ import annotations

import csv
import io
import math
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.api.exports import latex_number


@pytest.fixture(params=["session", "view"])
def base(request: pytest.FixtureRequest, client: TestClient, session_id: str) -> str:
    """Each export is tested under the session's URL and under its read-only view's."""
    for _ in range(4):
        client.post(f"/api/sessions/{session_id}/step")
    if request.param == "session":
        return f"/api/sessions/{session_id}"
    return f"/api/views/{client.post(f'/api/sessions/{session_id}/view').json()['view_id']}"


def trace_of(client: TestClient, session_id: str) -> dict[str, Any]:
    """The same iteration by POST /api/trace, from the session's current weights."""
    session = client.get(f"/api/sessions/{session_id}").json()
    spec = session["spec"] | {"weights": session["weights"], "biases": session["biases"]}
    return dict(client.post("/api/trace", json=spec).json())


def test_the_json_trace_is_the_iteration_shown(
    client: TestClient, session_id: str, base: str
) -> None:
    exported = client.get(f"{base}/export/trace.json").json()
    assert exported == trace_of(client, session_id)


def test_the_csv_is_one_long_table_indexed_from_1(
    client: TestClient, session_id: str, base: str
) -> None:
    response = client.get(f"{base}/export/trace.csv")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert 'filename="trace-iteration-1.csv"' in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    tensors = trace_of(client, session_id)["tensors"]
    assert len(rows) == sum(r * c for r, c in (t["shape"] for t in tensors.values()))
    for row in rows:
        expected = tensors[row["tensor"]]["data"][int(row["row"]) - 1][int(row["col"]) - 1]
        assert float(row["value"]) == expected
    assert {(r["row"], r["col"]) for r in rows if r["tensor"] == "W2"} == {
        ("1", str(c)) for c in range(1, 5)
    }


def test_the_npz_holds_every_tensor_without_pickles(
    client: TestClient, session_id: str, base: str
) -> None:
    response = client.get(f"{base}/export/trace.npz")
    assert response.headers["content-type"] == "application/octet-stream"
    archive = np.load(io.BytesIO(response.content), allow_pickle=False)
    tensors = trace_of(client, session_id)["tensors"]
    assert set(archive.files) == set(tensors)
    for name, tensor in tensors.items():
        np.testing.assert_array_equal(archive[name], np.array(tensor["data"]))


def test_a_matrix_as_latex_has_its_numbers_row_by_row(
    client: TestClient, session_id: str, base: str
) -> None:
    response = client.get(f"{base}/tensors/Delta2/latex?digits=4")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    delta = trace_of(client, session_id)["tensors"]["Delta2"]["data"]
    text = response.text
    assert "\\Delta_{2} = \\begin{bmatrix}" in text and text.rstrip().endswith("\\end{bmatrix}")
    body = text.split("\\begin{bmatrix}\n")[1].split("\n\\end{bmatrix}")[0]
    entries = [[e.strip() for e in line.split("&")] for line in body.split(" \\\\\n")]
    assert len(entries) == len(delta)
    for row, expected in zip(entries, delta, strict=True):
        assert row == [latex_number(v, 4) for v in expected]
        assert all(
            math.isclose(float(e), v, rel_tol=1e-3) for e, v in zip(row, expected, strict=True)
        )


@pytest.mark.parametrize(
    ("value", "digits", "latex"),
    [
        (0.125, 3, "0.125"),
        (-1.23456, 3, "-1.23"),
        (1.0, 3, "1"),
        (-0.0, 3, "0"),
        (0.000123456, 2, "0.00012"),
        (1.5e-7, 3, r"1.5 \times 10^{-7}"),
        (123456.0, 3, r"1.23 \times 10^{5}"),
        (math.inf, 3, r"\infty"),
        (-math.inf, 3, r"-\infty"),
        (math.nan, 3, r"\mathrm{NaN}"),
    ],
)
def test_numbers_are_written_for_latex(value: float, digits: int, latex: str) -> None:
    assert latex_number(value, digits) == latex


def test_a_wide_matrix_raises_amsmaths_column_limit(client: TestClient) -> None:
    spec = {"layers": [12, 1], "inputs": [[1.0] * 12], "targets": [[0.0]]}
    session_id = client.post("/api/sessions", json=spec).json()["id"]
    text = client.get(f"/api/sessions/{session_id}/tensors/W1/latex").text
    assert "\\setcounter{MaxMatrixCols}{12}" in text


def test_an_unknown_tensor_is_a_404_naming_the_known_ones(client: TestClient, base: str) -> None:
    response = client.get(f"{base}/tensors/Delta9/latex")
    assert response.status_code == 404
    assert "Delta2" in response.json()["detail"]


@pytest.mark.parametrize("digits", [0, 18, "many"])
def test_bad_digits_are_a_422(client: TestClient, base: str, digits: Any) -> None:
    response = client.get(f"{base}/tensors/W1/latex?digits={digits}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "digits"]


def test_after_an_update_the_export_is_the_iteration_it_finished(
    client: TestClient, session_id: str
) -> None:
    before = trace_of(client, session_id)
    client.post(f"/api/sessions/{session_id}/goto", json={"step": 6})
    response = client.get(f"/api/sessions/{session_id}/export/trace.json")
    assert response.json() == before
    csv_name = client.get(f"/api/sessions/{session_id}/export/trace.csv").headers
    assert 'filename="trace-iteration-1.csv"' in csv_name["content-disposition"]


def test_a_diverged_run_exports_non_finite_numbers_readably(client: TestClient) -> None:
    spec = {
        "layers": [1, 1],
        "activations": ["identity"],
        "inputs": [[1e200]],
        "targets": [[0]],
        "weights": [[[1e200]]],
        "bias": False,
    }
    session_id = client.post("/api/sessions", json=spec).json()["id"]
    rows = list(
        csv.DictReader(io.StringIO(client.get(f"/api/sessions/{session_id}/export/trace.csv").text))
    )
    assert any(math.isinf(float(r["value"])) for r in rows)
    latex = client.get(f"/api/sessions/{session_id}/tensors/N1/latex").text
    assert "\\infty" in latex


@pytest.mark.parametrize(
    ("params", "delta2_shape", "w1_latex"),
    [
        ({"convention": "row"}, [4, 1], r"W_{1}^{T}"),
        ({"view": "homogeneous"}, [1, 4], r"\hat{W}_{1}"),
        ({"convention": "row", "view": "homogeneous"}, [4, 1], r"\hat{W}_{1}^{T}"),
    ],
)
def test_every_export_takes_the_notation_of_the_step_answers(
    client: TestClient, session_id: str, base: str, params: dict[str, str], delta2_shape, w1_latex
) -> None:
    step = client.get(f"/api/sessions/{session_id}/current", params=params).json()["step"]

    exported = client.get(f"{base}/export/trace.json", params=params)
    table = client.get(f"{base}/export/trace.csv", params=params)
    arrays = np.load(io.BytesIO(client.get(f"{base}/export/trace.npz", params=params).content))
    latex = client.get(f"{base}/tensors/W1/latex", params=params)

    assert exported.status_code == table.status_code == latex.status_code == 200
    tensors = exported.json()["tensors"]
    assert tensors["Delta2"]["shape"] == delta2_shape
    assert tensors["W1"]["latex"] == w1_latex
    for name, tensor in step["tensors"].items():
        np.testing.assert_array_equal(arrays[name], tensor["data"])
        assert tensors[name]["data"] == tensor["data"]
    rows = [r for r in csv.DictReader(io.StringIO(table.text)) if r["tensor"] == "W1"]
    assert len(rows) == np.prod(arrays["W1"].shape)
    assert w1_latex + r" = \begin{bmatrix}" in latex.text


def test_an_export_in_a_notation_that_does_not_fit_is_a_422_naming_it(
    client: TestClient, base: str
) -> None:
    response = client.get(f"{base}/export/trace.csv", params={"names": "qa"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "names"]
