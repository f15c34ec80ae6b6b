"""The app in JupyterLab's launcher (jupyter-server-proxy): a JupyterHub user starts it from
there and reaches it at `<their server>/backprop-visualizer/`, under their own login.

jupyter-server-proxy finds `setup_server` through the `jupyter_serverproxy_servers` entry point
(pyproject.toml), starts the app on a free loopback port on first use, and passes requests on
with its prefix stripped; ROOT_PATH tells the app that prefix, so that its pages, API calls and
links carry it. Sessions are kept in a SQLite file in the user's home
(`~/.backprop-visualizer/sessions.sqlite3`), or where STORE says (`STORE=memory://` to keep none).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from app.config import REPO_ROOT

NAME = "backprop-visualizer"
"""The entry point's name: the path the app is served under, after the user's server URL."""


def default_store() -> str:
    """STORE if set, else a SQLite file in the user's home."""
    return (
        os.environ.get("STORE")
        or f"sqlite:///{Path.home() / '.backprop-visualizer'}/sessions.sqlite3"
    )


def setup_server() -> dict[str, Any]:
    """jupyter-server-proxy's description of the app: the command that serves it on `{port}`,
    its environment (`{base_url}` is the user's server path, e.g. `/user/ada/`), and the
    launcher's entry. The page forbids frames, so it opens in a browser tab of its own."""
    return {
        "command": [
            sys.executable,
            "-m",
            "uvicorn",
            "app.main:app",
            "--host",
            "127.0.0.1",
            "--port",
            "{port}",
            "--no-access-log",
        ],
        "environment": {"ROOT_PATH": "{base_url}" + NAME, "STORE": default_store()},
        "absolute_url": False,
        "timeout": 60,
        "new_browser_tab": True,
        "launcher_entry": {
            "title": "Backprop Visualizer",
            "icon_path": str(REPO_ROOT / "static" / "img" / "favicon.svg"),
            "category": "Notebook",
        },
    }
