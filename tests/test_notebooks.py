"""notebooks/: each runs top to bottom against a live server (nbclient, a real kernel), and
shows what it says: your Δ_i and ∇W_i agree with the server's, graded; the paper's forms agree;
steps drawn inline as SVG heatmaps under MathML."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

from devtools.server import REPO_ROOT, LocalServer, local_server

NOTEBOOKS = REPO_ROOT / "notebooks"

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with local_server() as running:
        yield running


@dataclass(frozen=True)
class Shown:
    """What a notebook showed once run: the text of its outputs, its HTML outputs, its widgets."""

    text: str
    html: list[str]
    widgets: list[Any]


def shown(book: Any) -> Shown:
    outputs = [out for cell in book.cells for out in cell.get("outputs", [])]
    data = [out.get("data", {}) for out in outputs]
    return Shown(
        text="".join(out.get("text", "") for out in outputs),
        html=[d["text/html"] for d in data if "text/html" in d],
        widgets=[d for d in data if "application/vnd.jupyter.widget-view+json" in d],
    )


Run = Callable[[str], Shown]


@pytest.fixture
def run(server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> Run:
    """Runs the notebook of that name in a fresh kernel that reads the server's address from
    BACKPROP_VISUALIZER_URL, as a student's does; what it showed."""
    monkeypatch.setenv("BACKPROP_VISUALIZER_URL", server.url)

    def run_notebook(name: str) -> Shown:
        book = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
        resources = {"metadata": {"path": str(NOTEBOOKS)}}
        NotebookClient(book, timeout=120, kernel_name="python3", resources=resources).execute()
        return shown(book)

    return run_notebook


def test_the_notebooks_are_committed_without_outputs() -> None:
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        book = nbformat.read(path, as_version=4)
        nbformat.validate(book)
        assert all(not c.get("outputs") for c in book.cells if c.cell_type == "code"), path.name


def test_check_your_own_backprop_agrees_with_the_server_and_is_graded(run: Run) -> None:
    book = run("check-your-own-backprop")

    for i in (3, 2, 1):
        assert f"Δ_{i} agrees True, ∇W_{i} agrees True" in book.text
    assert "∇W_1: 15 of 15 right" in book.text
    assert "[1 1 0 1 1 1]" in book.text  # the slip, and only it, marked wrong
    assert any("<svg" in h and "<math" in h and 'data-tensor="Delta1"' in h for h in book.html)
    assert len(book.widgets) == 1


def test_the_papers_forms_agree_and_the_1d_chain_is_the_servers(run: Run) -> None:
    book = run("the-papers-forms")

    for i in (1, 2, 3):
        assert f"∇w_{i} f:" in book.text
    assert book.text.count("equal to rounding True") == 3
    assert sum(h.count('data-tensor="gradW1"') for h in book.html) >= 4  # the four forms' ∇W_1
    assert any("Step 7 of 8: Backward, layer 1" in h for h in book.html)
