"""app.schemas.catalogue: every preset is a spec the API takes as it is, and the names the spec's
documentation lists are the engine's."""

from __future__ import annotations

import pytest

from app import schemas
from app.engine import ACTIVATIONS, INITIALISATIONS, OBJECTIVES, presets


@pytest.mark.parametrize("preset", presets(), ids=lambda p: p.id)
def test_every_preset_is_a_spec_the_api_takes_strictly(preset) -> None:
    listed = schemas.Preset(
        id=preset.id, name=preset.name, description=preset.description, spec=preset.spec
    )

    assert schemas.NetworkSpec.model_validate(preset.spec).to_engine() == listed.spec.to_engine()


def test_the_spec_documents_the_engines_names() -> None:
    fields = schemas.NetworkSpec.model_fields

    for name in ACTIVATIONS:
        assert f"`{name}`" in (fields["activations"].description or "")
    for name in OBJECTIVES:
        assert f"`{name}`" in (fields["loss"].description or "")
    for name in INITIALISATIONS:
        assert f"`{name}`" in (fields["init"].description or "")
