"""A session id gives control of that session only: ids are unguessable and unrelated to one
another, a wrong id is a 404 that changes nothing, and a read-only view id (POST …/view) can
follow a session but never move, train, reset or delete it, nor reveal its session id.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.engine import preset

from .session_requests import SESSION_REQUESTS

VIEW_READS = ["", "/export/trace.json", "/export/trace.csv", "/tensors/W1/latex"]


def create(client: TestClient, steps: int = 0) -> str:
    session_id = str(client.post("/api/sessions", json=preset("xor").spec).json()["id"])
    for _ in range(steps):
        client.post(f"/api/sessions/{session_id}/step")
    return session_id


def seen(client: TestClient, session_id: str) -> Any:
    return client.get(f"/api/sessions/{session_id}/export").json()


def wrong_ids(session_id: str, view_id: str) -> dict[str, str]:
    """Ids a client might try instead of `session_id`."""
    last = "A" if session_id[-1] != "A" else "B"
    return {
        "one-character-changed": session_id[:-1] + last,
        "a-prefix": session_id[:16],
        "upper-cased": session_id.upper() if session_id.upper() != session_id else "x" * 32,
        "with-a-suffix": session_id + "A",
        "the-view-id": view_id,
    }


def test_session_ids_are_192_random_bits_unrelated_to_one_another(client: TestClient) -> None:
    ids = [create(client) for _ in range(100)]

    assert len(set(ids)) == len(ids)
    assert all(len(i) == 32 for i in ids)  # 24 random bytes from `secrets`, base64url
    assert len({i[:6] for i in ids}) == len(ids)  # no shared 36-bit prefix: not a counter
    positions_used = [len({i[p] for i in ids}) for p in range(32)]
    assert min(positions_used) > 20  # every position varies over the alphabet


@pytest.mark.parametrize(("method", "suffix", "body"), SESSION_REQUESTS)
def test_a_wrong_id_or_a_view_id_is_a_404_that_changes_no_session(
    client: TestClient, method: str, suffix: str, body: Any
) -> None:
    mine, other = create(client, steps=3), create(client, steps=8)
    view_id = client.post(f"/api/sessions/{mine}/view").json()["view_id"]
    before = {s: seen(client, s) for s in (mine, other)}

    for kind, wrong in wrong_ids(mine, view_id).items():
        response = client.request(method, f"/api/sessions/{wrong}{suffix}", json=body)
        assert response.status_code == 404, (kind, response.text)

    assert {s: seen(client, s) for s in (mine, other)} == before
    assert client.get(f"/api/views/{view_id}").status_code == 200


@pytest.mark.parametrize(("method", "suffix", "body"), SESSION_REQUESTS)
def test_moving_one_session_leaves_the_others_as_they_were(
    client: TestClient, method: str, suffix: str, body: Any
) -> None:
    mine, other = create(client, steps=8), create(client, steps=8)
    before = seen(client, other)

    client.request(method, f"/api/sessions/{mine}{suffix}", json=body)

    assert seen(client, other) == before


def test_a_view_follows_its_session_read_only_and_never_shows_the_session_id(
    client: TestClient,
) -> None:
    session_id = create(client, steps=3)
    view_id = client.post(f"/api/sessions/{session_id}/view").json()["view_id"]

    answers = [client.get(f"/api/views/{view_id}{suffix}") for suffix in VIEW_READS]

    assert [a.status_code for a in answers] == [200] * len(VIEW_READS)
    assert answers[0].json()["session"]["read_only"] is True
    assert answers[0].json()["session"]["id"] == view_id
    assert all(session_id not in a.text for a in answers)
