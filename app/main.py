"""Assembles the app: routers, static files and the vendored browser assets."""

from __future__ import annotations

from fastapi import Depends, FastAPI
from fastapi.templating import Jinja2Templates

from app.api import (
    assignment_access,
    assignment_work,
    assignments,
    catalogue,
    errors,
    exports,
    health,
    links,
    pages,
    rooms,
    sessions,
    teaching,
    trace,
    training,
    views,
)
from app.api.assets import AssetTree, HashedFiles, asset, bundled, preloads
from app.api.deps import SaysWhyStartupFailed, lifespan
from app.api.encoding import Compression
from app.api.openapi import stating_limits
from app.api.paths import RootPath
from app.api.turns import session_turn
from app.config import Settings, app_version, get_settings
from app.head import HeadAsGet
from app.security import BodyLimit, SecurityHeaders


def create_app(settings: Settings | None = None) -> FastAPI:
    """Returns the app configured by `settings`, read from the environment when omitted."""
    settings = settings or get_settings()
    app = FastAPI(
        title="Backprop Visualizer",
        summary="Step through the forward and backward passes of a dense network.",
        version=app_version(),
        lifespan=lifespan,
        # /docs is the app's own page (app/api/pages.py): FastAPI's loads Swagger UI from a CDN.
        docs_url=None,
        redoc_url=None,
        # Every route reads JSON only and no unknown query parameter, and may answer 413, 415
        # or 503 (see app/api/errors.py); a request on a session waits for its turn without a
        # worker thread (app/api/turns.py).
        dependencies=[
            Depends(errors.refuse_non_json),
            Depends(errors.refuse_unknown_query),
            Depends(session_turn, scope="function"),
        ],
        responses=errors.EVERY_ROUTE,
    )
    app.state.settings = settings
    app.openapi = stating_limits(app, settings)  # type: ignore[method-assign]

    # Each at content-hashed addresses (app/api/assets.py). The page's own files may be edited
    # while the app runs; npm's packages are hashed once.
    trees = {
        "static": AssetTree(settings.static_dir, watch=True),
        "katex": AssetTree(settings.node_modules_dir / "katex" / "dist"),
        "plotly": AssetTree(settings.node_modules_dir / "plotly.js-cartesian-dist-min"),
        "swagger-ui": AssetTree(settings.node_modules_dir / "swagger-ui-dist"),
    }
    installed = {name: tree.directory.is_dir() for name, tree in trees.items()}
    app.state.assets = trees
    templates = Jinja2Templates(directory=settings.templates_dir)
    # Without `make assets` the app still starts; the page then says what is missing.
    templates.env.globals["installed"] = installed
    templates.env.globals["katex_installed"] = installed["katex"]
    templates.env.globals["swagger_installed"] = installed["swagger-ui"]
    templates.env.globals["asset"] = asset
    templates.env.globals["preloads"] = preloads
    templates.env.globals["bundled"] = bundled
    app.state.templates = templates

    app.mount("/static", HashedFiles(trees["static"]), name="static")
    for name in ("katex", "plotly", "swagger-ui"):
        if installed[name]:
            app.mount(f"/vendor/{name}", HashedFiles(trees[name]), name=name)
    routers = (
        health,
        pages,
        trace,
        sessions,
        teaching,
        catalogue,
        training,
        views,
        rooms,
        links,
        exports,
        assignments,
        assignment_work,
    )
    for api in routers:  # in this order, which is also /docs' order
        app.include_router(api.router)
    app.include_router(assignments.tasks_router)
    errors.install(app)
    assignment_access.install(app)
    # The last added is the outermost: every answer, a 413 included, gets the headers.
    app.add_middleware(Compression)
    app.add_middleware(
        BodyLimit,
        max_bytes=settings.max_body_bytes,
        route_limits={("POST", sessions.router.prefix): settings.max_restore_bytes},
    )
    app.add_middleware(SecurityHeaders)
    if settings.root_path:  # published under a path: links and assets carry it
        app.add_middleware(RootPath, root_path=settings.root_path)
    app.add_middleware(HeadAsGet)
    app.add_middleware(SaysWhyStartupFailed)
    return app


app = create_app()
