"""Every kind of request on one session, for the tests that try each on an id that must not
open it (a wrong id, a view id, a room's id or key) or on one session beside another."""

from __future__ import annotations

from typing import Any

SESSION_REQUESTS: list[tuple[str, str, Any]] = [
    ("POST", "/step", None),
    ("POST", "/back", None),
    ("POST", "/goto", {"step": 2}),
    ("POST", "/train", {"iterations": 1}),
    ("POST", "/train/stream", {"iterations": 1}),
    ("POST", "/reset", None),
    ("POST", "/view", None),
    ("POST", "/check", {"tensor": "X", "values": [[0]]}),
    ("DELETE", "", None),
    ("GET", "", None),
    ("GET", "/current", None),
    ("GET", "/export", None),
    ("GET", "/steps/1", None),
    ("GET", "/boundary", None),
    ("GET", "/gradients", None),
    ("GET", "/export/trace.json", None),
    ("GET", "/tensors/W1/latex", None),
    ("GET", "/explain?tensor=W1&row=1&col=1", None),
]
"""(method, path after /api/sessions/{id}, JSON body)."""
