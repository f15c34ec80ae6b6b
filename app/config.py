"""One Settings object for the whole app, read from environment variables without a prefix."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Literal

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
    damaged_store: Literal["refuse", "move-aside"] = Field(
        default="refuse",
        description="What the server does when its SQLite file is damaged (not a database, or "
        "pages SQLite's quick check finds broken): `refuse` to start, saying so in one line "
        "that names the file; `move-aside` to rename it to `<name>.damaged-<time>` beside "
        "itself and start with no sessions.",
    )
    session_ttl_seconds: int = Field(
        default=7 * SECONDS_PER_DAY,
        gt=0,
        description="Seconds a session is kept after its last use.",
    )
    lock_wait_seconds: float = Field(
        default=30.0,
        gt=0,
        description="Longest a request waits for a session another request is using; then "
        "409, to try again. The wait is on the server's event loop: waiting requests hold no "
        "worker thread that other sessions need.",
    )
    lock_lease_seconds: float = Field(
        default=5.0,
        gt=0,
        description="With Redis: a session's lock lapses this long after its holder last "
        "renewed it (three times a lease, while its request runs), so a replica that died "
        "mid-request, or a Redis restarted from its append-only file, blocks a session no longer.",
    )
    max_width: int = Field(
        default=1024, gt=0, description="Most neurons in one layer, input and output included."
    )
    max_depth: int = Field(
        default=8, gt=0, description="Most layers with weights, k: the hidden ones plus the output."
    )
    max_parameters: int = Field(
        default=250_000,
        gt=0,
        description="Most weights and biases in one network (784-256-128-10 has 235,146).",
    )
    max_batch: int = Field(default=256, gt=0, description="Most examples in one batch.")
    max_activations: int = Field(
        default=50_000,
        gt=0,
        description="Most activations of one batch, (n_0 + … + n_k) × m: the values of X and "
        "every Σ_i. Bounds the tensors one step or trace returns.",
    )
    max_train_iterations: int = Field(
        default=2000, gt=0, description="Most gradient steps one training request may run."
    )
    max_train_work: int = Field(
        default=5_000_000,
        gt=0,
        description="Most work one training request may do: iterations × (parameters + "
        "activations). A big network gets fewer iterations per request than "
        "MAX_TRAIN_ITERATIONS.",
    )
    max_sessions: int = Field(
        default=10_000, gt=0, description="Most sessions the store keeps at once."
    )
    max_session_iterations: int = Field(
        default=100_000,
        gt=0,
        description="Most iterations one session may finish; then it is reset or a new one "
        "started. Bounds its losses (J of each iteration: 8 bytes a number in the store, up "
        "to 25 in an answer or an export), so that every export can be taken back.",
    )
    max_body_bytes: int = Field(
        default=8 * MIB,
        gt=0,
        description="Largest request body accepted, in bytes; a bigger one is refused (413) "
        "before the request does anything, its body dropped unread.",
    )
    max_restore_bytes: int = Field(
        default=32 * MIB,
        gt=0,
        description="Largest body of POST /api/sessions, which also takes back an export (a "
        "784-256-128-10 session's is about 10 MB). Never less than MAX_BODY_BYTES.",
    )
    max_header_bytes: int = Field(
        default=64 * 1024,
        gt=0,
        description="Largest request line and headers, in bytes (counted as they arrive); a "
        "bigger head is answered 431 and its connection closed. Served with deploy/serve.sh "
        "or `make run` (uvicorn's `--http app.http_limits:HeadLimitedHttp`).",
    )
    header_timeout_seconds: float = Field(
        default=10.0,
        gt=0,
        description="Longest a connection may take to send a request's line and headers, "
        "from when it opened or began that request; then it is closed (408 if it had begun).",
    )
    max_finite_difference_parameters: int = Field(
        default=2000,
        ge=0,
        description="Most parameters for which the gradient forms include finite differences "
        "(4 forward passes per parameter).",
    )
    back_history: int = Field(
        default=100, ge=0, description="Most past states a session keeps for stepping back."
    )
    max_history_bytes: int = Field(
        default=1 * MIB,
        gt=0,
        description="Most bytes of past states one session keeps (8 per parameter each): a big "
        "network keeps fewer than BACK_HISTORY.",
    )
    assignment_ttl_seconds: int = Field(
        default=180 * SECONDS_PER_DAY,
        gt=0,
        description="Seconds an assignment, its students and their attempts are kept after "
        "the last write to them (created, changed, joined, stepped, submitted to).",
    )
    max_assignments: int = Field(
        default=1000, gt=0, description="Most assignments the store keeps at once."
    )
    max_students: int = Field(
        default=2000, gt=0, description="Most students who may join one assignment."
    )
    submissions_per_minute: int = Field(
        default=12,
        gt=0,
        description="Most submissions one student may make in a minute (429 past it), over "
        "every process: with unlimited attempts, it keeps answers from being guessed entry by "
        "entry.",
    )
    root_path: str = Field(
        default="",
        pattern=r"^(/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)*$",
        description="The path the app is published under behind a proxy, e.g. `/bpv` for "
        "`https://uni.example/bpv/` (empty: at the root). Every page asset, API call, link and "
        "`/docs` then carries it; the proxy may pass requests on with or without it.",
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
    public_url: str = Field(
        default="",
        pattern=r"^(https?://[^/?#\s]+(/[^?#\s]*)?)?$",
        description="The address students open the app at, e.g. `https://bpv.uni.example` or "
        "`http://192.168.1.20:8000`: the links and QR codes a room is followed by are made "
        "from it (the app's ROOT_PATH added unless it ends with it). Empty: from the address "
        "the lecturer's page was opened at, or this machine's LAN addresses when that was "
        "127.0.0.1 or localhost.",
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
