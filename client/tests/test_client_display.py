"""A step, a trace and a tensor draw themselves for Jupyter: SVG heatmaps at their true shapes
under MathML formulas, no JavaScript, nothing fetched, big matrices in blocks."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

import numpy as np
import pytest
from backprop_visualizer_client import Client, StepResult, Tensor
from backprop_visualizer_client.display import (
    MAX_DRAWN,
    NOT_FINITE,
    RED_BLUE,
    colours,
    heatmap,
    step_bundle,
)
from backprop_visualizer_client.symbols import text_symbol

SVG = "{http://www.w3.org/2000/svg}"


def parsed(markup: str) -> ET.Element:
    """The HTML as XML: it must be well formed to be read the same by every front end."""
    return ET.fromstring(f"<div>{markup.replace('&nbsp;', ' ')}</div>")


def rects(figure: ET.Element) -> list[ET.Element]:
    return [r for r in figure.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]


@pytest.fixture
def backward_step(api: Client, xor: dict[str, Any]) -> Any:
    api.create_session(xor)
    return api.goto(4)  # Δ₂ = G ∘ Σ'₂, ∇W₂ = Δ₂ Σ₁ᵀ, ∇b₂ = Δ₂ 1


def test_a_step_comes_as_html_latex_and_text(backward_step: Any) -> None:
    bundle = backward_step._repr_mimebundle_()

    assert set(bundle) == {"text/html", "text/latex", "text/plain"}
    assert bundle["text/plain"].startswith("Step 4 of 6: Backward, layer 2")
    assert r"\underbrace{\Delta_{2}}_{1\times 4}" in bundle["text/latex"]


def test_the_html_needs_no_javascript_and_fetches_nothing(backward_step: Any) -> None:
    markup = step_bundle(backward_step)["text/html"]

    assert "<script" not in markup
    assert not re.search(r"\son[a-z]+=", markup)
    assert not re.search(r"(src|href)=", markup)
    urls = set(re.findall(r"https?://[^\"' ]+", markup))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1998/Math/MathML"}
    parsed(markup)


def test_each_formula_is_mathml_above_its_factors(backward_step: Any) -> None:
    root = parsed(step_bundle(backward_step)["text/html"])

    maths = list(root.iter("{http://www.w3.org/1998/Math/MathML}math"))
    figures = [f.get("data-tensor") for f in root.iter("figure")]

    assert len(maths) >= 3
    assert figures[:3] == ["Delta2", "G", "SigmaPrime2"]  # Δ₂ = G ∘ Σ'₂
    assert figures[3:6] == ["gradW2", "Delta2", "Sigma1"]  # ∇W₂ = Δ₂ Σ₁ᵀ


def test_every_cell_has_a_title_with_its_entry_from_1_and_row_1_on_top(
    backward_step: Any,
) -> None:
    root = parsed(step_bundle(backward_step)["text/html"])
    figure = next(f for f in root.iter("figure") if f.get("data-tensor") == "Sigma1")
    cells = rects(figure)
    value = backward_step["Sigma1"].T  # drawn as Σ₁ᵀ, the formula's factor

    assert len(cells) == 16
    first, last = cells[0], cells[-1]
    assert first.findtext(f"{SVG}title", "").startswith("Σ₁ᵀ[1,1] = ")
    assert last.findtext(f"{SVG}title", "").startswith("Σ₁ᵀ[4,4] = ")
    assert float(first.get("y", 0)) < float(last.get("y", 0))
    assert float(first.get("x", 0)) < float(last.get("x", 0))
    shown = float(cells[1].findtext(f"{SVG}title", "").split("= ")[1].replace("−", "-"))
    assert shown == pytest.approx(value[0, 1], rel=1e-3, abs=1e-12)


@pytest.mark.parametrize(("rows", "cols"), [(1, 4), (4, 1), (3, 7)])
def test_a_matrix_is_drawn_at_its_true_shape(rows: int, cols: int) -> None:
    tensor = Tensor("W1", "W_{1}", np.arange(rows * cols, dtype=float).reshape(rows, cols))

    figure = parsed(heatmap(tensor, symbol="W₁", cell=10))
    cells = rects(figure)
    xs = {float(c.get("x", 0)) for c in cells}
    ys = {float(c.get("y", 0)) for c in cells}

    assert (len(ys), len(xs)) == (rows, cols)


def test_a_784_by_256_matrix_is_drawn_in_blocks_not_200k_rectangles() -> None:
    value = np.random.default_rng(0).normal(size=(784, 256))
    tensor = Tensor("W1", "W_{1}", value)

    markup = tensor._repr_mimebundle_()["text/html"]
    cells = rects(parsed(markup))

    assert len(cells) <= MAX_DRAWN * MAX_DRAWN
    assert len(cells) == 40 * 13  # blocks of 20 × 20: 784 rows in 40, 256 columns in 13
    assert "blocks of 20 × 20" in markup
    assert cells[0].findtext(f"{SVG}title", "").startswith("W₁[1…20,1…20], mean = ")
    mean = float(cells[0].findtext(f"{SVG}title", "").split("= ")[1].replace("−", "-"))
    assert mean == pytest.approx(value[:20, :20].mean(), abs=5e-4)
    assert "<table" not in markup


def test_the_colours_are_the_pages_diverging_scale_centred_on_zero() -> None:
    values = np.array([[-2.0, 0.0, 2.0, np.nan, np.inf, 1.0]])

    picked = colours(values, 2.0)

    assert picked[:3] == [RED_BLUE[0], RED_BLUE[5], RED_BLUE[-1]]
    assert picked[3] == picked[4] == NOT_FINITE
    assert picked[5] not in (RED_BLUE[5], RED_BLUE[-1])


def test_a_small_matrix_also_comes_as_a_table() -> None:
    tensor = Tensor("Delta2", r"\Delta_{2}", np.array([[0.5, -0.25]]))

    root = parsed(tensor._repr_mimebundle_()["text/html"])
    table = next(root.iter("table"))

    assert [th.text for th in table.iter("th")] == [None, "1", "2", "1"]
    assert [td.text for td in table.iter("td")] == ["0.5", "−0.25"]


def test_a_trace_draws_every_step(api: Client, xor: dict[str, Any]) -> None:
    trace = api.trace(xor)

    root = parsed(trace._repr_mimebundle_()["text/html"])

    titles = [d.text for d in root.iter("div") if (d.text or "").startswith("Step ")]
    assert len(titles) == 6
    assert trace.step(5).title == "Backward, layer 1"


def test_an_explanation_shows_its_rule_and_numbers(api: Client, xor: dict[str, Any]) -> None:
    api.create_session(xor)
    api.goto(4)

    bundle = api.explain("gradW2", 1, 3)._repr_mimebundle_()

    assert bundle["text/html"].count("<math") == 2
    assert bundle["text/plain"].startswith("gradW2[1,3] = 0.0179")


@pytest.mark.parametrize(
    ("name", "convention", "view", "symbol"),
    [
        ("Delta2", "column", "affine", "Δ₂"),
        ("SigmaPrime1", "column", "affine", "Σ′₁"),
        ("gradW12", "column", "affine", "∇W₁₂"),
        ("W1_new", "column", "affine", "W₁ (new)"),
        ("WTDelta1", "column", "affine", "W₂ᵀΔ₂"),
        ("WTDelta1", "row", "affine", "Δ₂ᵀW₂"),
        ("Sigma1", "row", "affine", "Σ₁ᵀ"),
        ("J", "row", "affine", "J"),
        ("W1", "column", "homogeneous", "Ŵ₁"),
        ("X", "row", "homogeneous", "X̂ᵀ"),
        ("mystery", "column", "affine", "mystery"),
    ],
)
def test_cell_titles_use_the_symbol_as_shown(
    name: str, convention: str, view: str, symbol: str
) -> None:
    assert text_symbol(name, convention, view) == symbol


def tensor_node(name: str, latex: str, shape: list[int], transpose: bool = False) -> Any:
    return {"kind": "tensor", "latex": latex, "shape": shape, "name": name, "transpose": transpose}


def operation_node(op: str, shape: list[int], *args: Any, latex: str = "") -> Any:
    return {"kind": "operation", "latex": latex, "shape": shape, "op": op, "args": list(args)}


def equation_node(lhs: Any, rhs: Any) -> Any:
    """`lhs` = `rhs`, of the shape of both."""
    return {"kind": "equation", "latex": "", "shape": lhs["shape"], "lhs": lhs, "rhs": rhs}


def test_a_formula_with_its_expression_tree_is_drawn_from_the_tree() -> None:
    """Δ₁ = (W₂ᵀ Δ₂) ∘ Σ'₁ and ∇W₁ = Δ₁ Xᵀ for layers 2-3-1 and m = 4, as the server's tree
    describes them: the factors in the order written, Xᵀ drawn transposed, the bracketed
    sub-result in brackets, the operators between."""
    rng = np.random.default_rng(1)
    shapes = {"W2": (1, 3), "Delta2": (1, 4), "SigmaPrime1": (3, 4), "Delta1": (3, 4)}
    shapes |= {"X": (2, 4), "gradW1": (3, 2)}
    tensors = {n: Tensor(n, n, rng.normal(size=s)) for n, s in shapes.items()}
    w2t_delta2 = operation_node(
        "matmul",
        [3, 4],
        tensor_node("W2", "W_{2}^{T}", [3, 1], True),
        tensor_node("Delta2", r"\Delta_{2}", [1, 4]),
        latex=r"W_{2}^{T}\,\Delta_{2}",
    )
    bracketed = {
        "kind": "group",
        "latex": "",
        "shape": [3, 4],
        "name": "WTDelta1",
        "brackets": True,
        "body": w2t_delta2,
    }
    delta1 = equation_node(
        tensor_node("Delta1", r"\Delta_{1}", [3, 4]),
        operation_node(
            "hadamard", [3, 4], bracketed, tensor_node("SigmaPrime1", r"\Sigma'_{1}", [3, 4])
        ),
    )
    grad = equation_node(
        tensor_node("gradW1", r"\nabla W_{1}", [3, 2]),
        operation_node(
            "matmul",
            [3, 2],
            tensor_node("Delta1", r"\Delta_{1}", [3, 4]),
            tensor_node("X", "X^{T}", [4, 2], True),
        ),
    )
    record = {
        "number": 5,
        "of": 6,
        "title": "Backward, layer 1",
        "formulas": [
            {
                "latex": r"\Delta_{1} = (W_{2}^{T}\,\Delta_{2}) \circ \Sigma'_{1}",
                "latex_shapes": "",
                "shape_algebra": "(1×3)ᵀ · (1×4) ∘ (3×4) → (3×4)",
                "expression": delta1,
                "result": "Delta1",
                "note": None,
            },
            {
                "latex": r"\nabla W_{1} = \Delta_{1}\,X^{T}",
                "latex_shapes": "",
                "shape_algebra": "(3×4) · (2×4)ᵀ → (3×2)",
                "expression": grad,
                "result": "gradW1",
                "note": None,
            },
        ],
        "substeps": [],
    }

    root = parsed(step_bundle(StepResult(record, tensors))["text/html"])

    figures = [f.get("data-tensor") for f in root.iter("figure")]
    assert figures == ["Delta1", "W2", "Delta2", "SigmaPrime1", "gradW1", "Delta1", "X"]
    x = [f for f in root.iter("figure") if f.get("data-tensor") == "X"][0]
    assert len({c.get("y") for c in rects(x)}) == 4  # Xᵀ: 4 rows, 2 columns
    assert rects(x)[1].findtext(f"{SVG}title", "").startswith("Xᵀ[1,2] = ")
    signs = [s.text for s in root.iter("span") if s.get("aria-hidden") == "true"]
    assert signs == ["=", "(", "·", ")", "∘", "=", "·"]
