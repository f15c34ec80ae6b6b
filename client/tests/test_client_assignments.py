"""A student's assignment from Python against a live server: joining with the student link,
coming back with the personal link, answers computed in NumPy graded entry by entry, refusals
raised naming the field, and the solutions once revealed."""

from __future__ import annotations

from typing import Any

import httpx
import numpy as np
import pytest
from backprop_visualizer_client import (
    AssignmentWork,
    Client,
    Conflict,
    Invalid,
    Submission,
    TaskStanding,
)
from backprop_visualizer_client.assignments import parse_link

from app import engine
from devtools.server import LocalServer

TEMPLATE = {"layers": [2, 3, 1], "activations": ["tanh", "sigmoid"], "batch": 3}


def set_assignment(server: LocalServer, **changes: Any) -> tuple[str, str]:
    """A lecturer sets an assignment (their API call); returns the student link and token."""
    body = {"title": "Week 3", "template": TEMPLATE, "tasks": ["Delta2", "gradW1"]} | changes
    answer = httpx.post(f"{server.url}/api/assignments", json=body)
    assert answer.status_code == 201, answer.text
    created = answer.json()
    return server.url + created["assignment"]["page"], created["lecturer_token"]


def change(server: LocalServer, link: str, token: str, body: dict[str, Any]) -> None:
    assignment_id, _ = parse_link(link)
    answer = httpx.patch(
        f"{server.url}/api/assignments/{assignment_id}",
        json=body,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 200, answer.text


def by_hand(network: dict[str, Any]) -> dict[str, np.ndarray]:
    """Δ_2, Δ_1 and ∇W_1 of the first iteration in plain NumPy (the Q&A's forms: squared
    error, J = 1/(2m) Σ ‖Σ_2 − Y‖², biases b_i added to every column)."""
    x, y = np.array(network["inputs"]).T, np.array(network["targets"]).T
    w1, w2 = (np.array(w) for w in network["weights"])
    b1, b2 = (np.array(b, dtype=float).reshape(-1, 1) for b in network["biases"])
    m = x.shape[1]
    sigma1 = np.tanh(w1 @ x + b1)
    sigma2 = 1 / (1 + np.exp(-(w2 @ sigma1 + b2)))
    delta2 = (sigma2 - y) / m * sigma2 * (1 - sigma2)
    delta1 = (w2.T @ delta2) * (1 - sigma1**2)
    return {"Delta2": delta2, "Delta1": delta1, "gradW1": delta1 @ x.T}


@pytest.mark.parametrize(
    "link, found",
    [
        ("http://uni.example/assignments/abc_-9", ("abc_-9", None)),
        ("https://uni.example/bpv/assignments/abc#student=t0k-en", ("abc", "t0k-en")),
        ("/bpv/assignments/abc/#student=t", ("abc", "t")),
        ("abc", ("abc", None)),
    ],
)
def test_a_link_gives_the_assignment_and_the_students_token(
    link: str, found: tuple[str, str | None]
) -> None:
    assert parse_link(link) == found


@pytest.mark.parametrize("link", ["http://uni.example/", "http://uni.example/sessions/abc"])
def test_a_link_to_no_assignment_is_refused_saying_so(link: str) -> None:
    with pytest.raises(ValueError, match="no assignment link"):
        parse_link(link)


def test_a_student_joins_computes_in_numpy_and_is_graded_entry_by_entry(
    api: Client, server: LocalServer
) -> None:
    student_link, _ = set_assignment(server)

    work = api.assignment(student_link, student="s1815", name="Ada Lovelace")

    assert isinstance(work, AssignmentWork)
    assert (work.name, work.number, work.title) == ("Ada Lovelace", "s1815", "Week 3")
    assert [(t.name, t.shape, t.step) for t in work.tasks] == [
        ("Delta2", (1, 3), 4),
        ("gradW1", (3, 2), 5),
    ]
    assert work.link.startswith(f"{student_link}#student=")
    mine = by_hand(work.network)
    assert np.allclose(
        mine["gradW1"], engine.Session.create(work.network).trace().tensors["gradW1"].value
    )

    right = work.submit("Delta2", mine["Delta2"])
    wrong = mine["gradW1"].copy()
    wrong[2, 1] += 0.5
    half = work.submit("gradW1", wrong)

    assert isinstance(right, Submission) and right and right.attempt == 1
    assert not half and (half.correct_count, half.total) == (5, 6)
    assert half.correct.tolist() == [[True, True], [True, True], [True, False]]
    assert work.standing["gradW1"] == half.standing
    assert isinstance(half.standing, TaskStanding) and half.standing.best == 5


def test_the_personal_link_opens_the_same_work_on_another_device(
    api: Client, server: LocalServer
) -> None:
    student_link, _ = set_assignment(server)
    work = api.assignment(student_link, student="s1", name="Ada")
    work.submit("Delta2", by_hand(work.network)["Delta2"])

    with Client(server.url) as laptop:
        again = laptop.assignment(work.link)

    assert again.network == work.network
    assert again.standing["Delta2"].right and again.standing["gradW1"].attempts == 0


def test_in_the_row_convention_an_answer_is_the_tensor_transposed(server: LocalServer) -> None:
    student_link, _ = set_assignment(server)
    with Client(server.url, convention="row") as api:
        work = api.assignment(student_link, student="s2", name="Bea")

        graded = work.submit("gradW1", by_hand(work.network)["gradW1"].T)

    assert graded.all_correct and graded.correct.shape == (2, 3)


def test_refusals_name_the_field_and_cost_no_attempt(api: Client, server: LocalServer) -> None:
    student_link, _ = set_assignment(server, attempts=2)
    work = api.assignment(student_link, student="s3", name="Cai")

    with pytest.raises(Invalid) as shape:
        work.submit("Delta2", np.zeros((3, 1)))
    with pytest.raises(Invalid) as task:
        work.submit("Sigma1", np.zeros((3, 3)))
    with pytest.raises(Conflict) as again:
        api.assignment(student_link, student="S3", name="Cai")

    assert (shape.value.field, task.value.field) == ("values", "tensor")
    assert "personal link" in again.value.reason
    assert work.refresh().standing["Delta2"].attempts == 0


def test_joining_needs_a_number_and_a_name(api: Client, server: LocalServer) -> None:
    student_link, _ = set_assignment(server)
    with pytest.raises(ValueError, match="student= .* and name="):
        api.assignment(student_link, student="s4")


def test_once_revealed_submissions_end_and_the_solutions_are_the_students_own(
    api: Client, server: LocalServer
) -> None:
    student_link, token = set_assignment(server)
    work = api.assignment(student_link, student="s5", name="Dee")
    with pytest.raises(Conflict, match="not revealed"):
        work.solutions()

    change(server, student_link, token, {"revealed": True})

    solutions = work.solutions()
    mine = by_hand(work.network)
    assert set(solutions) == {"Delta2", "gradW1"}
    assert all(np.allclose(solutions[name], mine[name]) for name in solutions)
    with pytest.raises(Conflict, match="revealed"):
        work.submit("Delta2", mine["Delta2"])
    assert work.refresh().revealed
