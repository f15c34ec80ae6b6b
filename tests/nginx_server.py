"""Debian's nginx running the repository's own deploy/nginx.conf on a free loopback port.

The file is included as it is shipped; only backprop-site.conf, which it includes to learn where
to listen and where the app is, is written here: loopback ports in place of Docker's names.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import httpx

from app.config import REPO_ROOT
from devtools.server import free_port

BINARY = "nginx"
INSTALL = "apt-get update -qq && apt-get install -y -qq --no-install-recommends nginx"
SHIPPED = REPO_ROOT / "deploy" / "nginx.conf"
DOCKER_SITE = REPO_ROOT / "deploy" / "nginx-docker.conf"


def find_or_install() -> str | None:
    """The path of nginx, installed with apt-get (as root, or with sudo asking for no password)
    when missing; None when it is missing and cannot be installed."""
    found = shutil.which(BINARY) or shutil.which(BINARY, path="/usr/sbin")
    if found:
        return found
    if shutil.which("apt-get"):
        prefix = [] if os.geteuid() == 0 else ["sudo", "-n"]
        subprocess.run(
            [*prefix, "sh", "-c", INSTALL],
            env=os.environ | {"DEBIAN_FRONTEND": "noninteractive"},
            capture_output=True,
            check=False,
        )
    return shutil.which(BINARY) or shutil.which(BINARY, path="/usr/sbin")


def main_conf(directory: Path, http: str) -> Path:
    """An nginx.conf in `directory` running in the foreground as this user, everything it
    writes in `directory`, with `http` inside its http block."""
    temp = "".join(
        f"{kind}_temp_path {directory}/{kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = directory / "nginx.conf"
    # As root, nginx's workers would run as nobody, who may not enter the test's directory.
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf.write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {directory}/nginx.pid;\n"
        f"error_log {directory}/error.log warn;\nevents {{ worker_connections 1024; }}\n"
        f"http {{\naccess_log off;\n{temp}{http}\n}}\n"
    )
    return conf


def check_config(binary: str, directory: Path) -> subprocess.CompletedProcess[str]:
    """`nginx -t` of deploy/nginx.conf as shipped, with compose's backprop-site.conf."""
    shutil.copyfile(DOCKER_SITE, directory / "backprop-site.conf")
    conf = main_conf(directory, f"include {SHIPPED};")
    return subprocess.run(
        [binary, "-t", "-p", str(directory), "-c", str(conf)],
        capture_output=True,
        text=True,
        check=False,
    )


class NginxServer:
    """nginx on 127.0.0.1:`port` proxying deploy/nginx.conf's way to the apps at `upstreams`."""

    def __init__(self, binary: str, directory: Path, upstreams: list[str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        servers = "".join(
            f"    server {address} max_fails=1 fail_timeout=10s;\n" for address in upstreams
        )
        (directory / "backprop-site.conf").write_text(
            f"listen 127.0.0.1:{self.port};\nset $app http://backprop_apps;\n"
        )
        conf = main_conf(directory, f"upstream backprop_apps {{\n{servers}}}\ninclude {SHIPPED};")
        self.log = directory / "error.log"
        self.process = subprocess.Popen(
            [binary, "-p", str(directory), "-c", str(conf)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                httpx.get(f"{self.url}/api/health", timeout=1)
                return
            except httpx.TransportError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"nginx did not start; see {self.log}") from None
                time.sleep(0.05)

    def stop(self) -> None:
        """Stops nginx (SIGTERM: a fast shutdown) and waits for it."""
        if self.process.poll() is None:
            self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
