"""HTML pages rendered from templates/: the stepping page at `/`, the API reference at `/docs`,
and the assignment pages: `/assignments/new` (set one), `/assignments/<id>` (a student's) and
`/assignments/<id>/lecturer` (the lecturer's; its token is in the address's fragment)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from .deps import SettingsDep
from .paths import app_path

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def read_index(request: Request, settings: SettingsDep) -> HTMLResponse:
    """Renders the stepping page; its scripts (static/js) fetch everything else from /api.
    The editor knows the widest layer allowed, to refuse a width before drawing its table."""
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, "index.html", {"max_width": settings.max_width})


@router.get("/docs", response_class=HTMLResponse)
def read_docs(request: Request) -> HTMLResponse:
    """Renders the API reference: Swagger UI, served by the app, on /openapi.json."""
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request, "docs.html", {"openapi_url": app_path(request, request.app.openapi_url)}
    )


@router.get("/assignments/new", response_class=HTMLResponse)
def read_new_assignment(request: Request) -> HTMLResponse:
    """Renders the form that sets an assignment."""
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, "assignment-new.html")


@router.get("/assignments/{assignment_id}", response_class=HTMLResponse)
def read_assignment_page(request: Request, assignment_id: str) -> HTMLResponse:
    """Renders a student's page of an assignment; its script reads the rest from the API."""
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, "assignment.html")


@router.get("/assignments/{assignment_id}/lecturer", response_class=HTMLResponse)
def read_lecturer_page(request: Request, assignment_id: str) -> HTMLResponse:
    """Renders the lecturer's page of an assignment (the token stays in the fragment)."""
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, "assignment-lecturer.html")
