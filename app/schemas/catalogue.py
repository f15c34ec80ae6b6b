"""The catalogue: the activations, objectives and presets a spec may name."""

from __future__ import annotations

from pydantic import BaseModel, Field

from .requests import NetworkSpec


class Activation(BaseModel):
    """An activation function σ the spec may name."""

    name: str = Field(description="The name to use in `activations`.", examples=["tanh"])
    latex: str = Field(description="Its symbol in LaTeX.", examples=["\\tanh"])
    description: str = Field(description="Its formula in words.")


class Objective(BaseModel):
    """An objective J the spec may name as `loss`."""

    name: str = Field(description="The name to use in `loss`.", examples=["squared_error"])
    description: str = Field(description="What it computes.")
    needs_targets: bool = Field(description="Whether the spec must give `targets`.")


class Preset(BaseModel):
    """A ready-made spec from the two texts or a classic small problem."""

    id: str = Field(description="A stable id, e.g. `xor`.", examples=["xor"])
    name: str = Field(description="A short title.")
    description: str = Field(description="What the preset shows.")
    spec: NetworkSpec = Field(description="The spec, ready for POST /api/sessions.")
