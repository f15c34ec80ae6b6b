"""A streamed training run whose client goes away (the page's Stop) stops at the next chunk and
keeps every iteration finished, all of it seen by the read that follows; against a real server,
as the page meets it."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest

from devtools.server import local_server

SLOW = {
    "layers": [64, 256, 256, 8],
    "activations": ["tanh", "tanh", "identity"],
    "inputs": [[((7 * j + 3 * c) % 11 - 5) / 5 for c in range(64)] for j in range(64)],
    "targets": [[((j + r) % 3 - 1) / 2 for r in range(8)] for j in range(64)],
    "learning_rate": 0.001,
}
"""A network whose 2,000 iterations take seconds (its 84,488 parameters under the 1 MiB of
MAX_HISTORY_BYTES, so that its last update is kept to be shown): a run to stop in the middle."""


@pytest.mark.server
def test_a_run_whose_client_goes_away_stops_at_the_next_chunk_and_keeps_what_finished(
    tmp_path: Path,
) -> None:
    with (
        local_server(log=tmp_path / "uvicorn.log") as server,
        httpx.Client(base_url=server.url, timeout=30) as client,
    ):
        session_id = client.post("/api/sessions", json=SLOW).json()["id"]
        url = f"/api/sessions/{session_id}/train/stream"
        with client.stream("POST", url, json={"iterations": 2000}) as response:
            lines = response.iter_lines()
            seen = [json.loads(next(lines)) for _ in range(3)]
        # The page's Stop: the request is gone. A chunk running then is finished and saved
        # (the read waits for it), and no chunk after it.
        kept = client.get(f"/api/sessions/{session_id}").json()
        time.sleep(1.5)
        later = client.get(f"/api/sessions/{session_id}").json()
        time.sleep(1.5)
        last = client.get(f"/api/sessions/{session_id}").json()

    assert last["losses"] == later["losses"], "the run went on after its client left"
    finished = len(later["losses"])
    assert len(kept["losses"]) == finished, "a chunk ran after the read that followed Stop"
    assert seen[-1]["done"] <= finished
    assert finished < 2000
    assert later["losses"][: seen[-1]["done"]] == [loss for line in seen for loss in line["losses"]]
