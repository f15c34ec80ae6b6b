"""A real redis-server for the tests: Debian's binary on a free loopback port, nothing on disk."""

from __future__ import annotations

from pathlib import Path

import redis

from devtools.server import free_port

from . import debian_server

BINARY = "redis-server"
START_SECONDS = 10


def find_or_install() -> str | None:
    """The path of redis-server, installed with apt-get when missing (see debian_server)."""
    return debian_server.find_or_install(BINARY, "redis-server")


class RedisServer(debian_server.DebianServer):
    """redis-server on 127.0.0.1:`port` (a free one unless given), in `directory`, with
    persistence off, or with an append-only file synced at every write (`appendonly`)."""

    def __init__(
        self, binary: str, directory: Path, *, appendonly: bool = False, port: int | None = None
    ) -> None:
        self.port = port or free_port()
        persistence = ["--appendonly", "yes", "--appendfsync", "always"] if appendonly else []
        super().__init__(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + (persistence or ["--appendonly", "no"])
            + ["--dir", str(directory), "--logfile", str(directory / "redis.log")],
            directory / "redis.log",
        )
        self.client = redis.Redis(port=self.port)
        self.wait_until(self.client.ping, redis.ConnectionError, name="redis-server")

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
        super().stop()
