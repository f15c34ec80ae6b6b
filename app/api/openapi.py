"""The OpenAPI schema states the limits this server was started with, where a field has one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from app.config import Settings


def stating_limits(app: FastAPI, settings: Settings) -> Callable[[], dict[str, Any]]:
    """`app.openapi`, its schema stating that a training request runs at most
    MAX_TRAIN_ITERATIONS iterations (a request the schema allows is then not refused for
    that; a big network's MAX_TRAIN_WORK may allow fewer, which the 422 says)."""
    written = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = written()
            iterations = schema["components"]["schemas"]["TrainRequest"]["properties"]
            iterations["iterations"]["maximum"] = settings.max_train_iterations
        return app.openapi_schema or {}

    return openapi
