"""The real server in a subprocess: an assignment, its students and their attempts are exactly
as they were after the server is killed with SIGKILL and started again, on a SQLite file and on
a redis-server (which the kill leaves running, as another replica would find it)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from .test_server import Server, ok

pytestmark = pytest.mark.server

Start = Callable[[], Server]


@pytest.fixture(params=["sqlite", "redis"])
def start_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Start]:
    """Starts servers on one store; kills whichever still run at the end."""
    if request.param == "redis":
        store = str(request.getfixturevalue("redis_url"))
    else:
        store = f"sqlite:///{tmp_path / 'data' / 'sessions.sqlite3'}"
    started: list[Server] = []

    def start() -> Server:
        server = Server(store, tmp_path / "server.log")
        started.append(server)
        return server

    yield start
    for server in started:
        server.kill()


def snapshot(http: httpx.Client, assignment_id: str, lecturer: str, students: list[str]) -> Any:
    """Everything the lecturer and the students can see of the assignment."""

    def get(path: str, token: str) -> Any:
        return ok(http.get(f"/api/assignments/{assignment_id}{path}", headers=bearer(token)))

    return {
        "outline": ok(http.get(f"/api/assignments/{assignment_id}")),
        "results": get("/results", lecturer),
        "gradebook": http.get(
            f"/api/assignments/{assignment_id}/gradebook.csv", headers=bearer(lecturer)
        ).text,
        "work": [get("/work", token) for token in students],
        "current": [get("/work/current", token) for token in students],
    }


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_an_assignment_is_exactly_as_it_was_after_a_sigkill_and_a_restart(
    start_server: Start,
) -> None:
    server = start_server()
    body = {"title": "Week 3", "template": {"layers": [2, 3, 1], "batch": 2}, "tasks": ["Delta2"]}
    created = ok(server.http.post("/api/assignments", json=body))
    assignment_id, lecturer = created["assignment"]["id"], created["lecturer_token"]
    students = []
    for number, steps, submissions in (("s1", 4, 2), ("s2", 1, 1), ("s3", 0, 0)):
        joined = ok(
            server.http.post(
                f"/api/assignments/{assignment_id}/students",
                json={"name": f"Student {number}", "number": number},
            )
        )
        token = joined["token"]
        students.append(token)
        ok(
            server.http.post(
                f"/api/assignments/{assignment_id}/work/goto",
                json={"step": steps},
                headers=bearer(token),
            )
        )
        for _ in range(submissions):
            ok(
                server.http.post(
                    f"/api/assignments/{assignment_id}/work/submissions",
                    json={"tensor": "Delta2", "values": [[0.1, 0.2]]},
                    headers=bearer(token),
                )
            )
    ok(
        server.http.put(
            f"/api/assignments/{assignment_id}/students/s2/seed",
            json={"seed": 99},
            headers=bearer(lecturer),
        )
    )
    before = snapshot(server.http, assignment_id, lecturer, students)

    server.kill()
    again = start_server()

    assert snapshot(again.http, assignment_id, lecturer, students) == before
    assert [row["tasks"][0]["attempts"] for row in before["results"]["students"]] == [2, 0, 0]
    taken = again.http.post(
        f"/api/assignments/{assignment_id}/work/submissions",
        json={"tensor": "Delta2", "values": [[0.1, 0.2]]},
        headers=bearer(students[0]),
    )
    assert ok(taken)["attempt"] == 3
