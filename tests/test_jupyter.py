"""app/jupyter.py: what jupyter-server-proxy is told, so that JupyterLab's launcher starts the app
under the user's server path. tests/browser/test_jupyterlab.py starts it so from real JupyterLab."""

from __future__ import annotations

import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from app.config import Settings
from app.jupyter import NAME, setup_server


def test_the_entry_point_is_registered_for_jupyter_server_proxy() -> None:
    found = entry_points(group="jupyter_serverproxy_servers")

    assert [(e.name, e.value) for e in found if e.name == NAME] == [
        ("backprop-visualizer", "app.jupyter:setup_server")
    ]


def test_the_app_is_started_on_the_port_it_is_given_on_loopback() -> None:
    command = setup_server()["command"]

    assert command[:4] == [sys.executable, "-m", "uvicorn", "app.main:app"]
    assert command[command.index("--port") + 1] == "{port}"
    assert command[command.index("--host") + 1] == "127.0.0.1"


@pytest.mark.parametrize("base_url", ["/", "/user/ada/"])
def test_its_root_path_is_the_users_server_path_and_a_valid_setting(base_url: str) -> None:
    template = setup_server()["environment"]["ROOT_PATH"]
    root_path = template.replace("{base_url}", base_url)

    assert root_path == f"{base_url}backprop-visualizer"
    assert Settings(root_path=root_path).root_path == root_path


def test_sessions_go_to_a_sqlite_file_in_the_home_unless_store_says_otherwise(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("STORE", raising=False)
    in_home = setup_server()["environment"]["STORE"]
    monkeypatch.setenv("STORE", "memory://")
    chosen = setup_server()["environment"]["STORE"]

    assert in_home == f"sqlite:///{tmp_path}/.backprop-visualizer/sessions.sqlite3"
    assert chosen == "memory://"


def test_the_launcher_names_it_and_opens_it_in_a_tab_of_its_own() -> None:
    server = setup_server()

    assert server["launcher_entry"]["title"] == "Backprop Visualizer"
    assert Path(server["launcher_entry"]["icon_path"]).is_file()
    assert server["new_browser_tab"] is True  # the page forbids frames (X-Frame-Options)
    assert server["absolute_url"] is False  # the proxy strips its prefix; ROOT_PATH tells the app
