"""Assembles the app: routers, static files and the vendored browser assets."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from app.api import health, pages, vendor
from app.config import Settings, app_version, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """Returns the app configured by `settings`, read from the environment when omitted."""
    settings = settings or get_settings()
    app = FastAPI(
        title="Backprop Visualizer",
        summary="Step through the forward and backward passes of a dense network.",
        version=app_version(),
    )
    app.state.settings = settings

    katex_dir = settings.node_modules_dir / "katex" / "dist"
    templates = Jinja2Templates(directory=settings.templates_dir)
    # Without `make assets` the app still starts; the page then says what is missing.
    templates.env.globals["katex_installed"] = katex_dir.is_dir()
    app.state.templates = templates

    app.mount("/static", StaticFiles(directory=settings.static_dir), name="static")
    if katex_dir.is_dir():
        app.mount("/vendor/katex", StaticFiles(directory=katex_dir), name="katex")
    app.include_router(vendor.router)
    app.include_router(health.router)
    app.include_router(pages.router)
    return app


app = create_app()
