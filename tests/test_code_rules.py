"""House rules that the code itself can be held to: caches belong to the objects that own the
data, so nothing in app/ is keyed by the `id()` of an object (an id is reused once its object is
freed, so such a cache can answer for another object)."""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app"


def calls_of_id(path: Path) -> list[int]:
    """The lines of `path` that call the builtin `id`."""
    tree = ast.parse(path.read_text(), filename=str(path))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "id"
    ]


def test_no_module_of_the_app_keys_anything_by_the_id_of_an_object() -> None:
    found = {
        str(path.relative_to(APP.parent)): lines
        for path in sorted(APP.rglob("*.py"))
        if (lines := calls_of_id(path))
    }

    assert found == {}
