"""Debian's nginx in front of the app, publishing it under a path, on a free loopback port."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from devtools.server import HOST, free_port, stop, wait_until_answering

NGINX = Path("/usr/sbin/nginx")
"""Debian's package (`apt-get install nginx`; `make test` installs it when missing)."""
START_SECONDS = 15.0

CONFIG = """\
worker_processes 1;
daemon off;
{user}
pid {home}/nginx.pid;
error_log {home}/error.log warn;
events {{ worker_connections 128; }}
http {{
    access_log {home}/access.log;
    client_body_temp_path {home}/client_body;
    proxy_temp_path {home}/proxy;
    fastcgi_temp_path {home}/fastcgi;
    uwsgi_temp_path {home}/uwsgi;
    scgi_temp_path {home}/scgi;
    client_max_body_size 32m;
    server {{
        listen {host}:{port};
        # The app lives under {prefix}/: the prefix is stripped on the way in (the trailing
        # slashes), and the app, told by ROOT_PATH, writes it into every page and link.
        location {prefix}/ {{
            proxy_pass {upstream}/;
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            # Event streams and JSON Lines reach the browser as they are written.
            proxy_buffering off;
            proxy_read_timeout 120s;
        }}
    }}
}}
"""


@dataclass(frozen=True)
class LocalNginx:
    """A running nginx: the address of the app under its prefix (`http://127.0.0.1:N/bpv`)
    and its access log."""

    url: str
    access_log: Path


@contextmanager
def nginx_in_front(upstream: str, prefix: str, home: Path) -> Iterator[LocalNginx]:
    """Runs nginx (its config, logs and temporary files in `home`) passing `prefix`/… on to
    `upstream`/…, until it answers; yields it, and stops it afterwards."""
    port = free_port()
    user = "user root;" if os.geteuid() == 0 else ""  # its workers may read `home`
    config = home / "nginx.conf"
    config.write_text(
        CONFIG.format(user=user, home=home, host=HOST, port=port, prefix=prefix, upstream=upstream)
    )
    process = subprocess.Popen(
        [str(NGINX), "-p", str(home), "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://{HOST}:{port}{prefix}"
    try:
        log = home / "error.log"
        wait_until_answering(f"{url}/api/health", process, "nginx", START_SECONDS, log)
        yield LocalNginx(url, home / "access.log")
    finally:
        stop(process)
