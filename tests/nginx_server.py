"""Debian's nginx running the repository's own deploy/nginx.conf on a free loopback port.

The file is included as it is shipped; only backprop-site.conf, which it includes to learn where
to listen and where the app is, is written here: loopback ports in place of Docker's names.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import httpx

from app.config import REPO_ROOT
from devtools.server import free_port

from . import debian_server

BINARY = "nginx"
SHIPPED = REPO_ROOT / "deploy" / "nginx.conf"
DOCKER_SITE = REPO_ROOT / "deploy" / "nginx-docker.conf"


def find_or_install() -> str | None:
    """The path of nginx, installed with apt-get when missing (see debian_server)."""
    return debian_server.find_or_install(BINARY, "nginx", also_in="/usr/sbin")


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


class NginxServer(debian_server.DebianServer):
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
        super().__init__([binary, "-p", str(directory), "-c", str(conf)], directory / "error.log")
        self.wait_until(
            lambda: httpx.get(f"{self.url}/api/health", timeout=1),
            httpx.TransportError,
            name="nginx",
            poll=0.05,
        )
