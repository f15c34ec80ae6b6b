"""One Settings object for the whole app, read from environment variables without a prefix."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
"""The directory holding app/, static/, templates/ and node_modules/."""

DISTRIBUTION = "backprop-visualizer"
SECONDS_PER_DAY = 24 * 60 * 60
MIB = 1024 * 1024


class Settings(BaseSettings):
    """Every knob of the app; field `max_width` is read from the variable `MAX_WIDTH`, and so on."""

    model_config = SettingsConfigDict(env_prefix="", case_sensitive=False, frozen=True)

    store: str = Field(
        default="sqlite:///./data/sessions.sqlite3",
        description=(
            "Where sessions live: `sqlite:///relative/path`, `sqlite:////absolute/path`, "
            "`memory://` (lost on restart) or `redis://host:port/db`."
        ),
    )
    session_ttl_seconds: int = Field(
        default=7 * SECONDS_PER_DAY,
        gt=0,
        description="Seconds a session is kept after its last use.",
    )
    max_width: int = Field(
        default=1024, gt=0, description="Most neurons in one layer, input and output included."
    )
    max_depth: int = Field(
        default=8, gt=0, description="Most layers with weights, k: the hidden ones plus the output."
    )
    max_parameters: int = Field(
        default=300_000, gt=0, description="Most weights and biases in one network."
    )
    max_batch: int = Field(default=256, gt=0, description="Most examples in one batch.")
    max_train_iterations: int = Field(
        default=2000, gt=0, description="Most gradient steps one training request may run."
    )
    max_sessions: int = Field(
        default=10_000, gt=0, description="Most sessions the store keeps at once."
    )
    max_body_bytes: int = Field(
        default=4 * MIB, gt=0, description="Largest request body accepted, in bytes."
    )
    back_history: int = Field(
        default=100, ge=0, description="Most past states a session keeps for stepping back."
    )
    static_dir: Path = Field(
        default=REPO_ROOT / "static", description="Directory served at `/static`."
    )
    templates_dir: Path = Field(
        default=REPO_ROOT / "templates", description="Directory of the Jinja2 page templates."
    )
    node_modules_dir: Path = Field(
        default=REPO_ROOT / "node_modules",
        description="Where `make assets` installs KaTeX; `katex/dist` in it is served.",
    )


@lru_cache
def get_settings() -> Settings:
    """Returns the settings read from the environment, once per process."""
    return Settings()


@lru_cache
def app_version() -> str:
    """Returns the project's version: installed metadata, else pyproject.toml beside app/."""
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        with (REPO_ROOT / "pyproject.toml").open("rb") as file:
            return str(tomllib.load(file)["project"]["version"])
