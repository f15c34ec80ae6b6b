"""Writes tests/js/expressions.json: the formula lines' expression trees of every step of four
presets, in both conventions, the homogeneous view and the Q&A's names, as the step answers
carry them, for the page's layout tests (`node --test`). tests/api/test_expression_fixture.py
holds the file to the API's answers.

    .venv/bin/python -m scripts.expression_fixture
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from app.config import Settings
from app.engine import preset
from app.main import create_app

FIXTURE = Path(__file__).resolve().parent.parent / "tests" / "js" / "expressions.json"
PRESETS = ("xor", "softmax-classifier", "paper-1d-chain", "qa-one-hidden")
# A notation's tag in the file's keys and its query: both conventions, the embedded view, and
# the Q&A's names (those of one hidden layer with biases and the squared error: its preset).
NOTATIONS = {
    "column": {},
    "row": {"convention": "row"},
    "row-homogeneous": {"convention": "row", "view": "homogeneous"},
    "qa": {"convention": "row", "names": "qa"},
}


def written_in(name: str, notation: dict[str, str]) -> bool:
    """Whether the file holds preset `name` in `notation`: XOR, the softmax classifier and the
    1-D chain in the paper's names (with biases, embedded too), the Q&A's preset in its own."""
    if name == "qa-one-hidden" or "names" in notation:
        return name == "qa-one-hidden" and "names" in notation
    return "view" not in notation or bool(preset(name).spec["bias"])


def fixture(client: TestClient) -> dict[str, Any]:
    """ "<preset>/<notation>/<step number>" → {title, shapes, expressions} of iteration 1."""
    steps: dict[str, Any] = {}
    for name in PRESETS:
        for tag, notation in NOTATIONS.items():
            if not written_in(name, notation):
                continue
            created = client.post("/api/sessions", json=preset(name).spec).json()
            for _ in range(created["step_count"]):
                answer = client.post(f"/api/sessions/{created['id']}/step", params=notation).json()
                step = answer["step"]
                steps[f"{name}/{tag}/{step['number']}"] = {
                    "title": step["title"],
                    "shapes": step["shapes"],
                    "expressions": [formula["expression"] for formula in step["formulas"]],
                }
    return steps


def written(steps: dict[str, Any]) -> str:
    """The file's text: one step a line, so that a change reads as a diff of its steps."""
    lines = [
        f"{json.dumps(key)}:{json.dumps(value, ensure_ascii=False)}" for key, value in steps.items()
    ]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def main() -> None:
    with TestClient(create_app(Settings(store="memory://"))) as client:
        FIXTURE.write_text(written(fixture(client)), encoding="utf-8")
    print(f"wrote {FIXTURE}")


if __name__ == "__main__":
    main()
