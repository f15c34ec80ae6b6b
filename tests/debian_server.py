"""What the tests' real servers (redis-server, nginx) share: Debian's binary, installed when
missing, and a process started, waited for until it answers, and stopped."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path


def find_or_install(binary: str, package: str, *, also_in: str | None = None) -> str | None:
    """The path of `binary` (looked for in `also_in` too), installed from Debian's `package`
    with apt-get (as root, or with sudo asking for no password) when missing; None when it is
    missing and cannot be installed."""

    def which() -> str | None:
        return shutil.which(binary) or (also_in and shutil.which(binary, path=also_in)) or None

    if found := which():
        return found
    if shutil.which("apt-get"):
        prefix = [] if os.geteuid() == 0 else ["sudo", "-n"]
        install = f"apt-get update -qq && apt-get install -y -qq --no-install-recommends {package}"
        subprocess.run(
            [*prefix, "sh", "-c", install],
            env=os.environ | {"DEBIAN_FRONTEND": "noninteractive"},
            capture_output=True,
            check=False,
        )
    return which()


class DebianServer:
    """A server process started from `command`, its log at `log`."""

    def __init__(self, command: list[str], log: Path) -> None:
        self.log = log
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
        )

    def wait_until(
        self,
        answers: Callable[[], object],
        refused: type[Exception],
        *,
        name: str,
        seconds: float = 10.0,
        poll: float = 0.02,
    ) -> None:
        """Returns once `answers()` raises no `refused`; stops the server and raises
        RuntimeError naming its log when it exits or does not answer within `seconds`."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                answers()
                return
            except refused:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"{name} did not start; see {self.log}") from None
                time.sleep(poll)

    def stop(self) -> None:
        """SIGTERM, then waits for it (SIGKILL after 10 s)."""
        if self.process.poll() is None:
            self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
