"""Where the app is published: the one place that turns an app path into the path a browser
asks for, with the ROOT_PATH prefix (e.g. `/bpv`) the app is served under."""

from __future__ import annotations

from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send


def root_path(connection: HTTPConnection) -> str:
    """The prefix the app is served under for this request (`/bpv`; empty at the root)."""
    return str(connection.scope.get("root_path", "")).rstrip("/")


def route_path(scope: Scope) -> str:
    """The path of a request within the app (`/api/sessions`), its prefix taken off."""
    path: str = scope["path"]
    prefix = str(scope.get("root_path", "")).rstrip("/")
    if prefix and (path == prefix or path.startswith(prefix + "/")):
        return path[len(prefix) :] or "/"
    return path


def app_path(connection: HTTPConnection, path: str) -> str:
    """`path` of the app (`/?follow=…`, `/api/views/…`) as a browser asks for it: under the
    prefix the app is served under (`/bpv/?follow=…`)."""
    return root_path(connection) + path


def app_url(connection: HTTPConnection, path: str) -> str:
    """`path` of the app as a full address on the host the request came to
    (`https://uni.example/bpv/?follow=…`), e.g. for a QR code; behind a proxy its scheme and
    host are the proxy's when uvicorn trusts its headers (`--proxy-headers`)."""
    return f"{connection.url.scheme}://{connection.url.netloc}{app_path(connection, path)}"


class RootPath:
    """Serves the app under ROOT_PATH as uvicorn's `--root-path` does: every request gets it as
    its `root_path`, and its `path` is the full path (ASGI's rule) whether the proxy stripped
    the prefix or passed it on. So `url_for`, /docs, /openapi.json's `servers` and `app_path`
    write the prefix, and routes and static files match either way."""

    def __init__(self, app: ASGIApp, root_path: str) -> None:
        self.app = app
        self.root_path = root_path.rstrip("/")
        self.raw_root_path = self.root_path.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            path: str = scope["path"]
            scope = {**scope, "root_path": self.root_path}
            if path != self.root_path and not path.startswith(self.root_path + "/"):
                scope["path"] = self.root_path + path
                raw = scope.get("raw_path")
                if raw is not None:
                    scope["raw_path"] = self.raw_root_path + raw
        await self.app(scope, receive, send)
