"""The engine's public surface is locked, and it imports no web code."""

from __future__ import annotations

import subprocess
import sys

import app.engine


def test_the_engine_imports_no_web_framework() -> None:
    code = (
        "import sys, app.engine; "
        "print(sorted(m for m in ('fastapi', 'pydantic', 'jinja2', 'starlette', 'httpx') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_exported_name_exists_and_is_listed_once() -> None:
    assert len(app.engine.__all__) == len(set(app.engine.__all__))
    for name in app.engine.__all__:
        assert hasattr(app.engine, name), name


def test_the_exported_names_are_the_documented_ones() -> None:
    assert {
        "Network",
        "Session",
        "SpecError",
        "trace_iteration",
        "compare_gradient_forms",
        "to_homogeneous",
        "to_affine",
        "train",
        "presets",
    } <= set(app.engine.__all__)
    public = {n for n in vars(app.engine) if not n.startswith("_")} - set(app.engine.__all__)
    modules = {
        "activations",
        "boundary",
        "embedding",
        "errors",
        "explain",
        "gradients",
        "network",
        "objectives",
        "presets",
        "recent",
        "session",
        "spec",
        "trace",
        "training",
        "formulas",
        "annotations",
    }
    assert public <= modules
