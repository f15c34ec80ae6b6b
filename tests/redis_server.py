"""A real redis-server for the tests: Debian's binary on a free loopback port, nothing on disk."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import redis

from devtools.server import free_port

BINARY = "redis-server"
START_SECONDS = 10
INSTALL = "apt-get update -qq && apt-get install -y -qq --no-install-recommends redis-server"


def find_or_install() -> str | None:
    """The path of redis-server, installed with apt-get (as root, or with sudo that asks for
    no password) when missing; None when it is missing and cannot be installed."""
    if found := shutil.which(BINARY):
        return found
    if shutil.which("apt-get"):
        prefix = [] if os.geteuid() == 0 else ["sudo", "-n"]
        subprocess.run(
            [*prefix, "sh", "-c", INSTALL],
            env=os.environ | {"DEBIAN_FRONTEND": "noninteractive"},
            capture_output=True,
            check=False,
        )
    return shutil.which(BINARY)


class RedisServer:
    """redis-server on 127.0.0.1:`port` (a free one unless given), in `directory`, with
    persistence off, or with an append-only file synced at every write (`appendonly`)."""

    def __init__(
        self, binary: str, directory: Path, *, appendonly: bool = False, port: int | None = None
    ) -> None:
        self.port = port or free_port()
        self.log = directory / "redis.log"
        persistence = ["--appendonly", "yes", "--appendfsync", "always"] if appendonly else []
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + (persistence or ["--appendonly", "no"])
            + ["--dir", str(directory), "--logfile", str(self.log)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        self.client = redis.Redis(port=self.port)
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                self.client.ping()
                return
            except redis.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"redis-server did not start; see {self.log}") from None
                time.sleep(0.02)

    def url(self, db: int = 0) -> str:
        """The STORE URL of database `db`."""
        return f"redis://127.0.0.1:{self.port}/{db}"

    def flush(self) -> None:
        """Empties database 0, the store tests' (the scale-out replicas use database 1)."""
        self.client.flushdb()

    def kill(self) -> None:
        """SIGKILL, as a crash or an evicted pod: nothing is flushed beyond what is on disk."""
        self.client.close()
        self.process.kill()
        self.process.wait()

    def stop(self) -> None:
        """Stops the server and waits for it."""
        self.client.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
