"""Liveness probe for load balancers, container health checks and humans."""

from __future__ import annotations

from fastapi import APIRouter

from app.config import app_version

router = APIRouter(prefix="/api", tags=["health"])


@router.get("/health")
def read_health() -> dict[str, str]:
    """Says the server is up and which version it runs."""
    return {"status": "ok", "version": app_version()}
