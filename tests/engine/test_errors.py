"""app.engine.errors: a spec error names its field as a path and says why."""

from __future__ import annotations

import pytest

from app.engine import Network, SpecError, preset


def test_a_spec_error_names_its_field_as_a_path_and_says_why() -> None:
    error = SpecError(("inputs", 2, 0), "must be finite")

    assert error.loc == ("inputs", 2, 0)
    assert error.field == "inputs.2.0"
    assert str(error) == "inputs.2.0: must be finite"
    assert SpecError("layers", "too deep").loc == ("layers",)


def test_the_engine_raises_it_for_a_spec_it_cannot_build() -> None:
    with pytest.raises(SpecError) as refused:
        Network.from_spec({**preset("xor").spec, "layers": [2, 4, 3]})

    assert refused.value.loc[0] in {"layers", "targets"}
    assert isinstance(refused.value, ValueError)
