"""app.store.kept: a memory store's records, gone once unused past a cutoff."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.store import SessionNotFound
from app.store.kept import Kept


@dataclass
class Record:
    touched: float


def kept() -> Kept[Record]:
    records: Kept[Record] = Kept(SessionNotFound)
    records.update({"old": Record(10.0), "edge": Record(50.0), "new": Record(90.0)})
    return records


def test_a_record_used_since_the_cutoff_is_found_and_kept() -> None:
    records = kept()

    assert records.live("edge", 50.0) == Record(50.0)
    assert records.find("new", 50.0) == Record(90.0)
    assert set(records) == {"old", "edge", "new"}


def test_a_record_unused_since_the_cutoff_goes_when_looked_up() -> None:
    records = kept()

    assert records.find("old", 50.0) is None
    with pytest.raises(SessionNotFound, match="'edge'"):
        records.live("edge", 50.1)
    assert set(records) == {"new"}


def test_a_record_never_kept_is_missing() -> None:
    with pytest.raises(SessionNotFound, match="'nope'"):
        kept().live("nope", 0.0)


def test_purging_drops_every_record_unused_since_the_cutoff_and_says_which() -> None:
    records = kept()

    assert records.purge(50.0) == ["old"]
    assert set(records) == {"edge", "new"}
