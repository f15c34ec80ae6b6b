"""The package: its public names, its version (the server's), its typing marker."""

from __future__ import annotations

import tomllib
from importlib.resources import files
from pathlib import Path

import backprop_visualizer_client as bvc

REPO = Path(__file__).resolve().parents[2]


def test_the_public_names_are_what_they_should_be() -> None:
    assert set(bvc.__all__) == {
        "DEFAULT_URL",
        "URL_VARIABLE",
        "ApiError",
        "AssignmentWork",
        "Boundary",
        "Check",
        "Client",
        "Conflict",
        "Convention",
        "Encoding",
        "Explanation",
        "FloatArray",
        "GradientForm",
        "GradientForms",
        "IncompatibleServer",
        "Invalid",
        "NotFound",
        "Position",
        "Problem",
        "RoomLink",
        "RoomState",
        "ServerUnavailable",
        "ServerUnreachable",
        "SessionState",
        "StepResult",
        "Submission",
        "Task",
        "TaskStanding",
        "Tensor",
        "TooLarge",
        "TraceResult",
        "TrainProgress",
        "Training",
        "View",
        "ViewLink",
        "__version__",
        "to_array",
    }
    assert all(hasattr(bvc, name) for name in bvc.__all__)


def test_the_client_is_released_with_the_server_it_speaks_to() -> None:
    with (REPO / "pyproject.toml").open("rb") as file:
        server = tomllib.load(file)["project"]["version"]

    assert bvc.__version__ == server


def test_the_package_is_typed_and_depends_on_httpx_numpy_and_latex2mathml_only() -> None:
    with (REPO / "client" / "pyproject.toml").open("rb") as file:
        project = tomllib.load(file)["project"]

    assert files("backprop_visualizer_client").joinpath("py.typed").is_file()
    names = [d.split(">")[0].split("=")[0].split("<")[0] for d in project["dependencies"]]
    assert names == ["httpx", "numpy", "latex2mathml"]
