"""The page's files at content-hashed addresses, which a browser keeps for good.

Each directory the app serves files from (static/, and KaTeX, Plotly.js and Swagger UI as npm
installed them) is an `AssetTree`: its `digest` is a hash of every file in it, and
`/static/<digest>/css/site.css` is static/css/site.css, answered with
`Cache-Control: public, max-age=31536000, immutable`. The pages name their assets only so
(`asset()` in the templates), so a browser fetches each once and never asks again until the
files change, which changes the address. The digest covers the whole tree, so the modules of
the page, which import each other by relative paths (`./api.js`), all live under one digest
and need no rewriting. A digest that is not the tree's is a 404; the address without one
(`/static/css/site.css`) is still answered, with `Cache-Control: no-cache` (the browser asks
again each time, and gets a 304 while the file is the same).

`bundle(entry)` is the page's modules in one file (`static/bundle/`, made by
scripts/bundle.mjs with esbuild): one request on a first load instead of some 50 over the
browser's six connections. It is named only while the files it was made of are unchanged;
otherwise (or with no bundle made) the page names its modules, and `modules(entry)` lists the
modules an ES module imports, at any depth, for the page's `<link rel="modulepreload">`: the
browser then fetches them all at once instead of one level of imports after another.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import HTTPException
from jinja2 import pass_context
from jinja2.runtime import Context
from starlette.requests import Request
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

IMMUTABLE = "public, max-age=31536000, immutable"
"""A content-hashed address: the same bytes for as long as a browser cares (a year)."""
REVALIDATE = "no-cache"
"""An address without a digest: kept, but asked again (If-None-Match) before each use."""
FILES_CHECKED_EVERY = 1.0
"""Seconds a watched tree's digest stands for the files asked under it (a walk of static/ is
~2 ms here, and a first load asks for ~50 files): an edited file is served under its new
digest within a second. A page is always rendered with the digest of the moment."""
DIGEST_LENGTH = 16
DIGEST = re.compile(rf"[0-9a-f]{{{DIGEST_LENGTH}}}")

# `import … from "./x.js"`, `export … from "./x.js"` and `import "./x.js"`: the static imports
# of the page's own modules (written by Biome's formatter, one specifier a statement).
STATIC_IMPORT = re.compile(
    r"""^\s*(?:import|export)\b[^;'"]*?["'](\.{1,2}/[^"']+\.js)["']""", re.MULTILINE
)


@dataclass
class AssetTree:
    """The files under `directory`, served under one digest of their contents. `watch`: the
    files may change while the app runs (the app's own static/, edited by a developer): the
    digest follows them. npm's packages are installed once and never change: hashed once."""

    directory: Path
    watch: bool = False
    _signature: tuple[tuple[str, int, int], ...] | None = field(default=None, repr=False)
    _digest: str = field(default="", repr=False)
    _checked: float = field(default=0.0, repr=False)
    _modules: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _bundles: dict[str, str | None] = field(default_factory=dict, repr=False)

    def files(self) -> list[Path]:
        """Every file under the directory, in a stable order."""
        found = []
        for root, dirs, names in os.walk(self.directory):
            dirs.sort()
            found += [Path(root) / name for name in sorted(names)]
        return found

    def digest(self, *, max_age: float = 0.0) -> str:
        """The hash of every file's path and bytes (hex, 16 digits). A watched tree is looked
        at again unless it was within the last `max_age` seconds."""
        if self._digest and (not self.watch or time.monotonic() - self._checked < max_age):
            return self._digest
        self._checked = time.monotonic()
        files = self.files()
        stats = [(path, path.stat()) for path in files]
        signature = tuple(
            (str(path.relative_to(self.directory)), stat.st_size, stat.st_mtime_ns)
            for path, stat in stats
        )
        if signature != self._signature:
            hasher = hashlib.sha256()
            for path in files:
                hasher.update(str(path.relative_to(self.directory)).encode() + b"\0")
                hasher.update(path.read_bytes() + b"\0")
            self._signature, self._digest = signature, hasher.hexdigest()[:DIGEST_LENGTH]
            self._modules.clear()
            self._bundles.clear()
        return self._digest

    def modules(self, entry: str) -> list[str]:
        """The modules (paths in the tree, e.g. `js/api.js`) `entry` imports statically, at
        any depth, in the order first met; `entry` itself not included."""
        # Forgets the lists of modules when a file has changed (a page has just looked).
        self.digest(max_age=FILES_CHECKED_EVERY)
        if entry not in self._modules:
            seen: dict[str, None] = {}
            waiting = [entry]
            while waiting:
                module = waiting.pop(0)
                source = (self.directory / module).read_text(encoding="utf-8")
                for specifier in STATIC_IMPORT.findall(source):
                    name = os.path.normpath(os.path.join(os.path.dirname(module), specifier))
                    if name != entry and name not in seen:
                        seen[name] = None
                        waiting.append(name)
            self._modules[entry] = list(seen)
        return self._modules[entry]

    def bundle(self, entry: str) -> str | None:
        """The path in the tree of `entry`'s bundle (`js/main.js` → `bundle/main.js`) when it
        was made from the files as they are now, by the SHA-256 of their bytes its manifest
        (`bundle/main.json`, written beside it by scripts/bundle.mjs) holds; else None."""
        self.digest(max_age=FILES_CHECKED_EVERY)  # as modules() does
        if entry not in self._bundles:
            self._bundles[entry] = self._fresh_bundle(entry)
        return self._bundles[entry]

    def _fresh_bundle(self, entry: str) -> str | None:
        name = Path(entry).stem
        script, manifest = f"bundle/{name}.js", self.directory / "bundle" / f"{name}.json"
        try:
            made = json.loads(manifest.read_text(encoding="utf-8"))
            hasher = hashlib.sha256()
            for source in made["sources"]:
                hasher.update(source.encode() + b"\0")
                hasher.update((self.directory / source).read_bytes() + b"\0")
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None  # no bundle made, or a source of it gone
        fresh = made.get("entry") == entry and made.get("sha256") == hasher.hexdigest()
        return script if fresh and (self.directory / script).is_file() else None


class HashedFiles(StaticFiles):
    """StaticFiles for an `AssetTree`: `<digest>/<path>` answered immutable while the digest is
    the tree's (else 404), `<path>` alone answered to be revalidated."""

    def __init__(self, tree: AssetTree) -> None:
        super().__init__(directory=tree.directory)
        self.tree = tree

    async def get_response(self, path: str, scope: Scope) -> Response:
        first, _, rest = path.partition(os.sep)
        if DIGEST.fullmatch(first):
            # A page names some 50 files at once: the tree is looked at once for them all.
            if first != self.tree.digest(max_age=FILES_CHECKED_EVERY) or not rest:
                raise HTTPException(status_code=404)
            response = await super().get_response(rest, scope)
            cache = IMMUTABLE if response.status_code in (200, 304) else REVALIDATE
        else:
            response = await super().get_response(path, scope)
            cache = REVALIDATE
        response.headers["cache-control"] = cache
        return response


def page_digest(request: Request, mount: str) -> str:
    """The digest of the tree at `mount` for the page `request` renders: looked up once per
    page (a watched tree's is a walk of its directory, ~2 ms here, and a page names some 60
    files), so that the page also names every file under the same digest."""
    digests: dict[str, str] = request.scope.setdefault("asset_digests", {})
    if mount not in digests:
        tree: AssetTree = request.app.state.assets[mount]
        digests[mount] = tree.digest()
    return digests[mount]


@pass_context
def asset(context: Context, mount: str, path: str) -> str:
    """The content-hashed address of `path` in the tree served at mount `mount` (`static`,
    `katex`, …), as the browser asks for it (with the app's prefix): for the templates."""
    request = context["request"]
    return str(request.url_for(mount, path=f"{page_digest(request, mount)}/{path}").path)


@pass_context
def bundled(context: Context, entry: str) -> str | None:
    """The content-hashed address of the bundle of the page's module `entry` (in static/) while
    it is as its modules are (AssetTree.bundle), else None: the page then names the modules."""
    tree: AssetTree = context["request"].app.state.assets["static"]
    path = tree.bundle(entry)
    return None if path is None else asset(context, "static", path)


@pass_context
def preloads(context: Context, entry: str) -> list[str]:
    """The content-hashed addresses of the modules the page's module `entry` (in static/)
    imports, for `<link rel="modulepreload">`."""
    tree: AssetTree = context["request"].app.state.assets["static"]
    return [asset(context, "static", module) for module in tree.modules(entry)]
