"""notebooks/: each runs top to bottom against a live server (nbclient, a real kernel), and
shows what it says: your Δ_i and ∇W_i agree with the server's, graded; the paper's forms agree;
steps drawn inline as SVG heatmaps under MathML."""

from __future__ import annotations

from collections.abc import Iterator
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


def run(name: str, server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The notebook `name`, executed in a fresh kernel that reads the server's address from
    BACKPROP_VISUALIZER_URL, as a student's does."""
    monkeypatch.setenv("BACKPROP_VISUALIZER_URL", server.url)
    book = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    NotebookClient(
        book, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
    ).execute()
    return book


def texts(book: Any) -> str:
    return "".join(out.get("text", "") for cell in book.cells for out in cell.get("outputs", []))


def html_outputs(book: Any) -> list[str]:
    return [
        out["data"]["text/html"]
        for cell in book.cells
        for out in cell.get("outputs", [])
        if "text/html" in out.get("data", {})
    ]


def test_the_notebooks_are_committed_without_outputs() -> None:
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        book = nbformat.read(path, as_version=4)
        nbformat.validate(book)
        assert all(not c.get("outputs") for c in book.cells if c.cell_type == "code"), path.name


def test_check_your_own_backprop_agrees_with_the_server_and_is_graded(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = run("check-your-own-backprop", server, monkeypatch)

    said = texts(book)
    for i in (3, 2, 1):
        assert f"Δ_{i} agrees True, ∇W_{i} agrees True" in said
    assert "∇W_1: 15 of 15 right" in said
    assert "[1 1 0 1 1 1]" in said  # the slip, and only it, marked wrong
    drawn = html_outputs(book)
    assert any("<svg" in h and "<math" in h and 'data-tensor="Delta1"' in h for h in drawn)
    widget = [
        out
        for cell in book.cells
        for out in cell.get("outputs", [])
        if "application/vnd.jupyter.widget-view+json" in out.get("data", {})
    ]
    assert len(widget) == 1


def test_the_papers_forms_agree_and_the_1d_chain_is_the_servers(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = run("the-papers-forms", server, monkeypatch)

    said = texts(book)
    for i in (1, 2, 3):
        assert f"∇w_{i} f:" in said
    assert said.count("equal to rounding True") == 3
    drawn = html_outputs(book)
    assert sum(h.count('data-tensor="gradW1"') for h in drawn) >= 4  # the four forms' ∇W_1
    assert any("Step 7 of 8: Backward, layer 1" in h for h in drawn)
