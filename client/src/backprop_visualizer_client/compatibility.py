"""Whether this client and a server speak the same API: the same minor version (0.x.*), or the
same major version from 1.0 on."""

from __future__ import annotations

import re

from .errors import IncompatibleServer

__all__ = ["check_server_version", "fits"]


def _release(version: str) -> tuple[int, ...]:
    """The leading numbers of a version: `0.1.0` → (0, 1, 0), `1.2rc1` → (1, 2)."""
    match = re.match(r"\d+(?:\.\d+)*", version.strip())
    return tuple(int(n) for n in match.group().split(".")) if match else ()


def fits(client_version: str, server_version: str) -> bool:
    """True when a client of `client_version` speaks the API of a server of `server_version`:
    before 1.0 the first two numbers agree (0.1.x with 0.1.y), from 1.0 on the first."""
    client, server = _release(client_version), _release(server_version)
    if not client or not server:
        return False
    width = 2 if client[0] == 0 else 1
    return client[:width] == server[:width]


def check_server_version(client_version: str, server_version: str, url: str) -> None:
    """Raises IncompatibleServer, saying what to install, when the two do not fit."""
    if fits(client_version, server_version):
        return
    series = ".".join(map(str, _release(server_version)[:2])) or server_version
    raise IncompatibleServer(
        f"the server at {url} runs Backprop Visualizer {server_version}, but this client "
        f"({client_version}) speaks the API of {'.'.join(client_version.split('.')[:2])}.x: "
        f"install the client of the server's version, "
        f"pip install 'backprop-visualizer-client=={series}.*' (or the client/ folder of the "
        "server's own repository)"
    )
