"""What the page offers: activations, objectives and ready-made networks."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path

from app import engine, schemas

from .errors import INVALID, Responses

router = APIRouter(prefix="/api", tags=["catalogue"])

UNKNOWN_PRESET: Responses = {
    404: {"model": schemas.Problem, "description": "No preset with this id."}
}


@router.get("/activations")
def list_activations() -> list[schemas.Activation]:
    """Lists the activation functions a spec may name."""
    return [
        schemas.Activation(name=a.name, latex=a.latex, description=a.description)
        for a in engine.ACTIVATIONS.values()
    ]


@router.get("/objectives")
def list_objectives() -> list[schemas.Objective]:
    """Lists the objectives a spec may name as `loss`."""
    return [
        schemas.Objective(name=o.name, description=o.description, needs_targets=o.needs_targets)
        for o in engine.OBJECTIVES.values()
    ]


@router.get("/presets")
def list_presets() -> list[schemas.Preset]:
    """Lists the ready-made networks: the paper's, the Q&A's, XOR and a softmax classifier."""
    return [_preset(p) for p in engine.presets()]


@router.get(
    "/presets/{preset_id}",
    responses=UNKNOWN_PRESET | INVALID,
)
def read_preset(
    preset_id: Annotated[str, Path(description="A preset's id.", examples=["xor"])],
) -> schemas.Preset:
    """Returns one ready-made network."""
    try:
        return _preset(engine.preset(preset_id))
    except KeyError:
        raise HTTPException(404, f"no preset with id {preset_id!r}") from None


def _preset(preset: engine.Preset) -> schemas.Preset:
    return schemas.Preset(
        id=preset.id, name=preset.name, description=preset.description, spec=preset.spec
    )
