"""Liveness probe for load balancers, container health checks and humans."""

from __future__ import annotations

from fastapi import APIRouter

from app.config import app_version

from .deps import StoreDep

router = APIRouter(prefix="/api", tags=["health"])


@router.get("/health")
def read_health(store: StoreDep) -> dict[str, str]:
    """Says the server is up, which version it runs, and which kind of store keeps sessions."""
    return {"status": "ok", "version": app_version(), "store": store.kind}
