"""Third-party browser code served from the app itself, so the page needs no CDN."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

router = APIRouter(prefix="/vendor", tags=["vendor"], include_in_schema=False)

PLOTLY_JS = Path(str(files("plotly").joinpath("package_data", "plotly.min.js")))
"""The Plotly.js bundle shipped inside the installed plotly Python package."""


@router.get("/plotly.min.js")
def get_plotly_js() -> FileResponse:
    """Serves the installed plotly package's own Plotly.js, so both always match."""
    return FileResponse(PLOTLY_JS, media_type="text/javascript")
