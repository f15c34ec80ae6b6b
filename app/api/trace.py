"""One-shot traces: a spec in, one whole iteration out, nothing stored."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Response

from app import engine, schemas

from . import answers
from .deps import LimitsDep
from .encoding import EncodingDep
from .errors import INVALID
from .json_body import JsonBodyRoute
from .notation import NotationDep

router = APIRouter(prefix="/api", tags=["trace"], responses=INVALID, route_class=JsonBodyRoute)

SPEC_EXAMPLES: dict[str, Any] = {
    p.id: {"summary": p.name, "description": p.description, "value": p.spec}
    for p in engine.presets()
}
"""The presets, offered as example bodies in /docs."""


@router.post("/trace", response_model=schemas.Trace)
def trace_network(
    spec: Annotated[schemas.NetworkSpec, Body(openapi_examples=SPEC_EXAMPLES)],
    limits: LimitsDep,
    notation: NotationDep,
    encoding: EncodingDep,
) -> Response:
    """Runs one iteration from the spec's starting parameters and returns every step and
    tensor (`convention=row`, `view=homogeneous`: in the other notations; `encoding=binary`:
    the tensors as typed arrays)."""
    network = engine.Network.from_spec(spec.to_engine(), limits)
    trace = engine.trace_iteration(network, network.initial_parameters())
    return answers.respond(answers.trace(notation.trace(network, trace), encoding))
