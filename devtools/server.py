"""The app served by uvicorn in a subprocess on a free loopback port, for as long as needed."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
"""Every server started here listens on loopback only."""
START_SECONDS = 30.0


@dataclass(frozen=True)
class LocalServer:
    """A running server: its origin and its process id."""

    url: str
    pid: int


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@contextmanager
def local_server(
    *,
    store: str = "memory://",
    env: Mapping[str, str] | None = None,
    log: Path | None = None,
    access_log: bool = True,
    log_level: str = "warning",
    port: int | None = None,
) -> Iterator[LocalServer]:
    """Runs `uvicorn app.main:app` (one worker, sessions in `store`, on `port` or a free one)
    until it answers /api/health, yields it, and stops it afterwards. Its output goes to `log`
    when given; uvicorn writes its access log there only at `log_level="info"` (or lower).

    Raises RuntimeError, with the log's end when there is one, if the server exits first or
    does not answer within 30 s.
    """
    port = port or free_port()
    url = f"http://{HOST}:{port}"
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", HOST, "--port"]
    command += [str(port), "--log-level", log_level, "--http", "app.http_limits:HeadLimitedHttp"]
    if not access_log:
        command.append("--no-access-log")
    environment = {**os.environ, "STORE": store, **(env or {})}
    output = log.open("wb") if log is not None else None
    try:
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, env=environment, stdout=output, stderr=output
        )
    finally:
        if output is not None:
            output.close()
    try:
        wait_until_answering(f"{url}/api/health", process, "the server", START_SECONDS, log)
        yield LocalServer(url, process.pid)
    finally:
        stop(process)


def wait_until_answering(
    url: str, process: subprocess.Popen[bytes], name: str, seconds: float, log: Path | None
) -> None:
    """Returns once `url` answers 200. Raises RuntimeError, naming `name` and with the end of
    `log` when there is one, if `process` exits first or `seconds` pass."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            said = log.read_text(errors="replace")[-2000:] if log is not None else ""
            why = "exited" if process.poll() is not None else f"did not answer in {seconds:.0f} s"
            raise RuntimeError(f"{name} {why}. {said}".strip())
        time.sleep(0.1)


def stop(process: subprocess.Popen[bytes], *, seconds: float = 10.0) -> None:
    """Terminates `process`, and kills it if it has not exited within `seconds`."""
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
