"""HTML pages rendered from templates/: the stepping page at `/`, the API reference at `/docs`."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from .paths import app_path

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def read_index(request: Request) -> HTMLResponse:
    """Renders the stepping page; its scripts (static/js) fetch everything else from /api."""
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, "index.html")


@router.get("/docs", response_class=HTMLResponse)
def read_docs(request: Request) -> HTMLResponse:
    """Renders the API reference: Swagger UI, served by the app, on /openapi.json."""
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request, "docs.html", {"openapi_url": app_path(request, request.app.openapi_url)}
    )
