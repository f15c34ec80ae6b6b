"""JupyterLab (from the venv) served on a free loopback port with no token, its home, settings
and runtime files in a directory of their own, for as long as needed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from devtools.server import HOST, free_port, stop, wait_until_answering

START_SECONDS = 60.0

SETTINGS = {
    # A notebook starts its own kernel without asking which.
    "@jupyterlab/notebook-extension/tracker": {"autoStartDefaultKernel": True},
    # No question about fetching Jupyter's news (there is no network to fetch it from).
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false"},
}
"""The user's JupyterLab settings: nothing asked of a user that a test cannot answer."""


@dataclass(frozen=True)
class LocalJupyter:
    """A running JupyterLab: its origin, the folder it serves, and the home it runs with."""

    url: str
    root: Path
    home: Path


@contextmanager
def local_jupyterlab(
    root: Path, home: Path, *, env: Mapping[str, str] | None = None, log: Path | None = None
) -> Iterator[LocalJupyter]:
    """Runs `jupyter lab` on the notebooks in `root` with HOME `home` (and `env`) until its
    /api/status answers, yields it, and stops it (and its kernels) afterwards."""
    port = free_port()
    url = f"http://{HOST}:{port}"
    settings = home / "lab" / "settings"
    for plugin, values in SETTINGS.items():
        path = settings / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    environment = {
        **os.environ,
        "HOME": str(home),
        "JUPYTER_CONFIG_DIR": str(home / ".jupyter"),
        "JUPYTER_DATA_DIR": str(home / ".local" / "share" / "jupyter"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "lab" / "workspaces"),
        **(env or {}),
    }
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        f"--ip={HOST}",
        f"--port={port}",
        f"--ServerApp.root_dir={root}",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        "--ServerApp.disable_check_xsrf=True",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
    ]
    if os.geteuid() == 0:  # CI and these machines run as root
        command.append("--allow-root")
    output = log.open("wb") if log is not None else subprocess.DEVNULL
    process = subprocess.Popen(command, env=environment, stdout=output, stderr=output)
    try:
        wait_until_answering(f"{url}/api/status", process, "JupyterLab", START_SECONDS, log)
        yield LocalJupyter(url, root, home)
    finally:
        stop(process, seconds=15)
        if log is not None and not isinstance(output, int):
            output.close()
