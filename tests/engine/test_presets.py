"""Every preset builds, and each shows what its description promises."""

from __future__ import annotations

import pytest

from app.engine import Network, compare_gradient_forms, preset, presets

IDS = [p.id for p in presets()]


def test_the_five_presets_of_the_course_exist() -> None:
    assert IDS == ["paper-1d-chain", "paper-k-layer", "qa-one-hidden", "xor", "softmax-classifier"]


@pytest.mark.parametrize("preset_id", IDS)
def test_each_presets_gradient_forms_agree(preset_id: str) -> None:
    network = Network.from_spec(preset(preset_id).spec)
    assert (
        compare_gradient_forms(network, network.initial_parameters()).max_relative_difference < 1e-8
    )


def test_the_1d_chain_has_width_one_everywhere() -> None:
    assert set(preset("paper-1d-chain").spec["layers"]) == {1}


def test_xor_has_a_batch_of_four() -> None:
    assert len(preset("xor").spec["inputs"]) == 4


def test_presets_are_copies() -> None:
    preset("xor").spec["layers"].append(9)
    assert preset("xor").spec["layers"] == [2, 4, 1]


def test_an_unknown_preset_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        preset("nope")
