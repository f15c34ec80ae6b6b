"""app.store.records.KnownSessions: networks built once, states kept by version, within bounds."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

from app.engine import Session, preset
from app.store import records
from app.store.records import KnownSessions, StoredLosses


def spec_json(name: str = "xor") -> str:
    return json.dumps(preset(name).spec)


def layers_of_32() -> dict[str, Any]:
    """3 layers of 32 with seeded random inputs: numbers of every magnitude to write."""
    rng = np.random.default_rng(0)
    return {
        "layers": [32, 32, 32, 32],
        "activations": "tanh",
        "inputs": rng.normal(size=(16, 32)).tolist(),
        "targets": rng.uniform(size=(16, 32)).tolist(),
    }


def test_a_network_is_built_from_its_spec_and_found_again() -> None:
    known = KnownSessions()

    built = known.build("s1", spec_json())

    assert known.get("s1") is built
    assert built.network.spec.layers == Session.create(preset("xor").spec).network.spec.layers
    assert built.state is None


def test_a_state_is_kept_with_its_version() -> None:
    known = KnownSessions()
    built = known.build("s1", spec_json())

    known.note_state("s1", 7, built.initial, StoredLosses.read(b""))

    state = known.get("s1").state  # type: ignore[union-attr]
    assert state is not None and state.version == 7 and state.parameters is built.initial


def test_no_state_is_kept_for_a_session_whose_network_is_not_known() -> None:
    known = KnownSessions()
    other = KnownSessions()
    built = other.build("s1", spec_json())

    known.note_state("s1", 1, built.initial, StoredLosses.read(b""))

    assert known.get("s1") is None


def test_the_least_recently_used_go_first_past_the_count() -> None:
    known = KnownSessions(max_count=2)
    known.build("a", spec_json())
    known.build("b", spec_json())
    known.get("a")

    known.build("c", spec_json())

    assert known.get("b") is None
    assert known.get("a") is not None and known.get("c") is not None


def test_the_least_recently_used_go_first_past_the_bytes() -> None:
    one = KnownSessions().build("x", spec_json()).nbytes
    known = KnownSessions(max_bytes=2 * one)
    known.build("a", spec_json())
    known.build("b", spec_json())
    built = known.get("b")
    assert built is not None

    known.note_state("b", 1, built.initial, StoredLosses.read(b""))  # b now takes twice as much

    assert known.get("a") is None and known.get("b") is not None


def test_a_forgotten_session_is_built_again() -> None:
    known = KnownSessions()
    first = known.build("s1", spec_json())

    known.forget("s1")

    assert known.get("s1") is None
    assert known.build("s1", spec_json()) is not first


def test_a_stored_spec_builds_the_same_network_and_starting_parameters_bit_for_bit() -> None:
    session = Session.create(layers_of_32())

    stored = records.spec_json(session)
    built = KnownSessions().build("s1", stored)

    assert json.loads(stored) == session.to_document()["spec"]
    assert built.initial.fingerprint == session.initial.fingerprint


def test_a_spec_with_non_finite_starting_parameters_is_not_stored() -> None:
    session = Session.create(preset("xor").spec)
    session.initial.weights[0][0, 0] = float("nan")

    with pytest.raises(ValueError, match="finite"):
        records.spec_json(session)


def test_losses_a_session_left_as_they_were_are_the_same_record_nan_included() -> None:
    stored = StoredLosses.of([0.5, float("nan"), 0.25])
    losses = list(StoredLosses.read(stored.blob).values)

    assert StoredLosses.read(stored.blob).then(losses).blob == stored.blob
    again = StoredLosses.read(stored.blob)
    assert again.then(list(again.values)) is again


def test_losses_that_changed_are_a_new_record_of_their_bytes() -> None:
    stored = StoredLosses.of([0.5, 0.25])

    grown = stored.then([0.5, 0.25, 0.125])
    reset = stored.then([])

    assert grown.blob == np.array([0.5, 0.25, 0.125], "<f8").tobytes()
    assert grown.values == (0.5, 0.25, 0.125)
    assert reset.blob == b"" and reset.values == ()


def lazy_history(keys: range) -> tuple[records.LazyHistory, list[int]]:
    """A history of `keys` whose rows are xor's initial parameters; the keys read, in order."""
    initial = Session.create(preset("xor").spec).initial
    read: list[int] = []

    def load(key: int) -> Any:
        read.append(key)
        return initial.unflat(initial.flat() + key)

    return records.LazyHistory(keys, load), read


def test_a_history_left_as_read_has_no_changed_entry_and_reads_nothing_to_say_so() -> None:
    history, read = lazy_history(range(3, 7))

    assert history.changed(3) == []
    assert read == []


def test_entries_read_and_kept_in_place_are_still_their_stored_rows() -> None:
    history, read = lazy_history(range(3, 7))

    _ = history[1], history[2]

    assert read == [4, 5]
    assert history.changed(3) == []


@pytest.mark.parametrize(
    ("change", "changed"),
    [
        (lambda h: h.append(h[0]), [4]),
        (lambda h: h.pop(0), [0, 1, 2]),
        (lambda h: h.__setitem__(1, h[2]), [1]),
        (lambda h: h.__setitem__(2, h[2].unflat(h[2].flat())), [2]),
    ],
    ids=[
        "an entry read appended again",
        "the first dropped",
        "one entry put in another's place",
        "an equal copy in place of a read entry",
    ],
)
def test_an_entry_that_is_not_its_stored_row_any_more_is_changed(
    change: Any, changed: list[int]
) -> None:
    history, _ = lazy_history(range(3, 7))

    change(history)

    assert history.changed(3) == changed


@pytest.mark.parametrize("start", range(0, 9))
@pytest.mark.parametrize("stop", range(0, 9))
def test_the_history_rows_no_longer_kept_are_those_outside_the_kept_iterations(
    start: int, stop: int
) -> None:
    stored = range(2, 6)

    assert records.outside(stored, start, stop) == [
        key for key in stored if not start <= key < stop
    ]
