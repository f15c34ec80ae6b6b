"""Assignments, the student's side, on both persistent stores: a network of their own from their
number, their token opening their work only, submissions graded per entry without a value
expected ever sent, and refused (with the field named) when closed, used up or too fast."""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app import engine

from .assignment_helpers import (
    MakeClient,
    bearer,
    by_hand,
    create,
    expected,
    issue,
    join,
    submit,
)


def work(api: TestClient, assignment_id: str, token: str) -> dict[str, Any]:
    response = api.get(f"/api/assignments/{assignment_id}/work", headers=bearer(token))
    assert response.status_code == 200, response.text
    return dict(response.json())


# --- joining -------------------------------------------------------------------------------


def test_a_student_joins_with_name_and_number_and_gets_their_own_network(
    api: TestClient,
) -> None:
    assignment_id, _ = create(api)

    joined = join(api, assignment_id, "s1815", "Ada Lovelace")

    token = joined["token"]
    assert len(token) >= 22
    assert joined["link"] == f"/assignments/{assignment_id}#student={token}"
    mine = joined["work"]
    assert (mine["name"], mine["number"]) == ("Ada Lovelace", "s1815")
    network = mine["network"]
    assert np.shape(network["inputs"]) == (2, 2) and np.shape(network["targets"]) == (2, 1)
    assert [np.shape(w) for w in network["weights"]] == [(3, 2), (1, 3)]
    assert network["biases"] == [[0, 0, 0], [0]]
    assert mine["position"] == {"cursor": 0, "step_count": 6, "current": None}
    assert [t["attempts_left"] for t in mine["tasks"]] == [3, 3]
    assert mine["withheld"][:3] == ["Delta2", "gradW2", "gradb2"]


def test_the_same_number_gets_the_same_network_on_every_device(api: TestClient) -> None:
    assignment_id, _ = create(api)
    first = join(api, assignment_id, "s1815")

    elsewhere = work(api, assignment_id, first["token"])  # the personal link, another device
    again = api.post(
        f"/api/assignments/{assignment_id}/students", json={"name": "Ada", "number": "S1815"}
    )

    assert elsewhere["network"] == first["work"]["network"]
    assert again.status_code == 409
    assert issue(again)["loc"] == ["body", "number"]
    assert "personal link" in issue(again)["msg"]
    # The seed comes from the assignment and the number: another assignment, another network.
    other_id, _ = create(api)
    assert join(api, other_id, "s1815")["work"]["network"] != first["work"]["network"]


def test_two_students_get_other_numbers_of_the_same_shapes(api: TestClient) -> None:
    assignment_id, _ = create(api)

    ada = join(api, assignment_id, "s1")["work"]["network"]
    bea = join(api, assignment_id, "s2")["work"]["network"]

    for key in ("inputs", "targets", "weights"):
        assert ada[key] != bea[key]
        assert [np.shape(a) for a in ada[key]] == [np.shape(b) for b in bea[key]]


@pytest.mark.parametrize(
    "body, loc",
    [
        ({"name": "Ada", "number": "s 1"}, ["body", "number"]),
        ({"name": "Ada", "number": ""}, ["body", "number"]),
        ({"name": "Ada", "number": "x" * 65}, ["body", "number"]),
        ({"name": "  ", "number": "s1"}, ["body", "name"]),
        ({"number": "s1"}, ["body", "name"]),
        ({"name": "Ada", "number": 1815}, ["body", "number"]),
    ],
)
def test_a_bad_name_or_number_is_refused_naming_it(
    api: TestClient, body: dict[str, Any], loc: list[Any]
) -> None:
    assignment_id, _ = create(api)

    response = api.post(f"/api/assignments/{assignment_id}/students", json=body)

    assert response.status_code == 422
    assert issue(response)["loc"] == loc


def test_a_full_assignment_takes_no_more_students(make_client: MakeClient) -> None:
    api = make_client(max_students=1)
    assignment_id, _ = create(api)
    join(api, assignment_id, "s1")

    response = api.post(
        f"/api/assignments/{assignment_id}/students", json={"name": "Bea", "number": "s2"}
    )

    assert response.status_code == 409
    assert "maximum of 1 students" in issue(response)["msg"]


# --- a student's token opens their work only ---------------------------------------------------


def test_a_students_token_opens_their_own_work_and_nothing_else(api: TestClient) -> None:
    assignment_id, token = create(api)
    other_id, _ = create(api)
    ada, bea = join(api, assignment_id, "s1", "Ada"), join(api, assignment_id, "s2", "Bea")

    assert work(api, assignment_id, ada["token"])["name"] == "Ada"
    assert work(api, assignment_id, bea["token"])["name"] == "Bea"
    for url in (f"/api/assignments/{other_id}/work", f"/api/assignments/{assignment_id}/results"):
        refused = api.get(url, headers=bearer(ada["token"]))
        assert refused.status_code == 403
        assert issue(refused)["loc"] == ["header", "authorization"]
    lecturer = api.get(f"/api/assignments/{assignment_id}/work", headers=bearer(token))
    assert lecturer.status_code == 403
    assert "lecturer's token opens no student's work" in issue(lecturer)["msg"]
    missing = api.get(f"/api/assignments/{assignment_id}/work")
    assert missing.status_code == 401


def test_no_answer_to_a_student_holds_a_value_of_a_task_or_what_gives_it_away(
    api: TestClient,
) -> None:
    assignment_id, _ = create(api, tasks=["Delta2"])
    ada = join(api, assignment_id, "s1")
    network = ada["work"]["network"]
    hidden = set(ada["work"]["withheld"])
    tensors = engine.Session.create(network).trace().tensors
    shown = {float(v) for name, t in tensors.items() if name not in hidden for v in t.value.ravel()}
    # A withheld value equal to a shown one (W1_new = W1 where ∇W1 is 0) says nothing.
    secrets = [v for name in hidden for v in tensors[name].value.ravel() if v not in shown]
    assert len(secrets) > 10
    headers = bearer(ada["token"])
    answers = [json.dumps(ada)]
    for convention in ("column", "row"):
        for step in range(7):
            moved = api.post(
                f"/api/assignments/{assignment_id}/work/goto",
                params={"convention": convention},
                json={"step": step},
                headers=headers,
            )
            assert moved.status_code == 200
            answers.append(moved.text)
            if moved.json()["step"] is not None:
                assert not hidden & set(moved.json()["step"]["tensors"])
                assert set(moved.json()["step"]["withheld"]) <= hidden
    answers.append(submit(api, assignment_id, ada["token"], "Delta2", [[0.5, 0.5]]).text)
    answers.append(api.get(f"/api/assignments/{assignment_id}/work", headers=headers).text)

    numbers = {float(n) for text in answers for n in re.findall(r"-?\d+\.\d+(?:e-?\d+)?", text)}
    leaked = [v for v in secrets if v in numbers]
    assert leaked == []


# --- moving ----------------------------------------------------------------------------------


def test_a_student_steps_through_one_iteration_and_their_place_is_kept(api: TestClient) -> None:
    assignment_id, _ = create(api)
    ada = join(api, assignment_id, "s1")
    url, headers = f"/api/assignments/{assignment_id}/work", bearer(ada["token"])

    first = api.post(f"{url}/step", headers=headers).json()
    assert first["position"] == {"cursor": 1, "step_count": 6, "current": 1}
    assert first["step"]["title"] == "Forward, layer 1"
    assert set(first["step"]["tensors"]) == {"W1", "X", "b1", "N1", "Sigma1", "SigmaPrime1"}
    assert (
        api.post(f"{url}/goto", json={"step": 6}, headers=headers)
        .json()["step"]["title"]
        .startswith("Update")
    )
    past = api.post(f"{url}/step", headers=headers)
    assert past.status_code == 409
    assert "the update is the last step" in past.json()["detail"]
    assert api.get(f"{url}/current", headers=headers).json()["position"]["cursor"] == 6
    assert work(api, assignment_id, ada["token"])["position"]["cursor"] == 6
    api.post(f"{url}/goto", json={"step": 0}, headers=headers)
    at_start = api.post(f"{url}/back", headers=headers)
    assert at_start.status_code == 409


@pytest.mark.parametrize(
    "step, query, loc",
    [
        (7, {}, ["body", "step"]),
        (-1, {}, ["body", "step"]),
        (1, {"view": "homogeneous"}, ["query", "view"]),
    ],
)
def test_a_bad_move_is_refused_naming_its_field(
    api: TestClient, step: int, query: dict[str, str], loc: list[Any]
) -> None:
    assignment_id, _ = create(api)
    ada = join(api, assignment_id, "s1")

    response = api.post(
        f"/api/assignments/{assignment_id}/work/goto",
        params=query,
        json={"step": step},
        headers=bearer(ada["token"]),
    )

    assert response.status_code == 422
    assert issue(response)["loc"] == loc


# --- submitting ------------------------------------------------------------------------------


def test_a_submission_is_graded_entry_by_entry_with_the_assignments_tolerance(
    api: TestClient,
) -> None:
    assignment_id, _ = create(api, tolerance=0.01)
    ada = join(api, assignment_id, "s1")
    right = expected(ada["work"]["network"], "gradW1")
    answer = right * 1.005  # within 1 %
    answer[1, 0] += 1

    graded = submit(api, assignment_id, ada["token"], "gradW1", answer)

    assert graded.status_code == 200
    body = graded.json()
    assert body["correct"] == [[True, True], [False, True], [True, True]]
    assert (body["correct_count"], body["total"], body["all_correct"]) == (5, 6, False)
    assert (body["tolerance"], body["attempt"], body["iteration"]) == (0.01, 1, 1)
    assert body["status"] | {"last": None} == {
        "task": "gradW1",
        "attempts": 1,
        "attempts_left": 2,
        "best": 5,
        "total": 6,
        "right": False,
        "score": pytest.approx(5 / 6),
        "last": None,
    }


@pytest.mark.parametrize("task", ["Delta2", "gradW2", "gradb2", "Delta1", "gradW1", "gradb1"])
@pytest.mark.parametrize("tolerance", [1e-6, 1e-3, 0.05])
def test_an_entry_is_right_exactly_when_within_the_documented_tolerance_of_numpys_value(
    api: TestClient, task: str, tolerance: float
) -> None:
    template = {"layers": [2, 3, 1], "activations": ["tanh", "sigmoid"], "batch": 3}
    assignment_id, _ = create(api, template=template, tasks=[task], tolerance=tolerance)
    ada = join(api, assignment_id, "s1")
    right = by_hand(ada["work"]["network"])[task]
    # |v − e| ≤ tolerance · (1 + |e|): entries alternately just inside and just outside.
    inside = np.indices(right.shape).sum(axis=0) % 2 == 0
    off = np.where(inside, 0.99, 1.01) * tolerance * (1 + np.abs(right))
    sign = np.where(np.arange(right.size).reshape(right.shape) % 3 == 0, -1, 1)

    graded = submit(api, assignment_id, ada["token"], task, right + sign * off).json()

    assert graded["correct"] == inside.tolist()
    assert graded["correct_count"] == int(inside.sum())


def test_a_submission_in_the_row_convention_is_the_tensor_transposed(api: TestClient) -> None:
    assignment_id, _ = create(api)
    ada = join(api, assignment_id, "s1")
    right = expected(ada["work"]["network"], "gradW1")

    graded = submit(api, assignment_id, ada["token"], "gradW1", right.T, convention="row")

    assert graded.json()["all_correct"] is True
    assert graded.json()["shape"] == [2, 3]
    assert work(api, assignment_id, ada["token"])["tasks"][1]["last"] == [[True] * 2] * 3


@pytest.mark.parametrize(
    "tensor, values, loc, words",
    [
        ("Delta9", [[0, 0]], ["body", "tensor"], "'Delta9' is no tensor of this assignment"),
        ("Sigma1", [[0, 0]] * 3, ["body", "tensor"], "'Sigma1' is not a task"),
        ("Delta2", [[0, 0], [0, 0]], ["body", "values"], "1 rows here, got 2"),
        ("Delta2", [[0, 0, 0]], ["body", "values", 0], "2 columns here, got 3"),
        ("Delta2", [[0, "x"]], ["body", "values", 0, 1], "valid number"),
    ],
)
def test_a_bad_submission_is_refused_naming_its_field_and_is_no_attempt(
    api: TestClient, tensor: str, values: Any, loc: list[Any], words: str
) -> None:
    assignment_id, _ = create(api)
    ada = join(api, assignment_id, "s1")

    response = api.post(
        f"/api/assignments/{assignment_id}/work/submissions",
        json={"tensor": tensor, "values": values},
        headers=bearer(ada["token"]),
    )

    assert response.status_code == 422
    assert issue(response)["loc"] == loc
    assert words in issue(response)["msg"]
    assert [t["attempts"] for t in work(api, assignment_id, ada["token"])["tasks"]] == [0, 0]


def test_once_the_attempts_are_used_up_a_task_takes_no_more(api: TestClient) -> None:
    assignment_id, _ = create(api, attempts=2)
    ada = join(api, assignment_id, "s1")
    for _ in range(2):
        assert submit(api, assignment_id, ada["token"], "Delta2", [[0, 0]]).status_code == 200

    refused = submit(api, assignment_id, ada["token"], "Delta2", [[0, 0]])

    assert refused.status_code == 409
    assert issue(refused)["loc"] == ["body", "tensor"]
    assert "used all 2 attempts" in issue(refused)["msg"]
    assert submit(api, assignment_id, ada["token"], "gradW1", [[0, 0]] * 3).status_code == 200


@pytest.mark.parametrize("change", [{"closed": True}, {"closes_at": "2000-01-01T00:00:00Z"}])
def test_a_closed_assignment_refuses_submissions_and_joins_saying_so(
    api: TestClient, change: dict[str, Any]
) -> None:
    assignment_id, token = create(api)
    ada = join(api, assignment_id, "s1")
    api.patch(f"/api/assignments/{assignment_id}", json=change, headers=bearer(token))

    refused = submit(api, assignment_id, ada["token"], "Delta2", [[0, 0]])
    late = api.post(
        f"/api/assignments/{assignment_id}/students", json={"name": "Bea", "number": "s2"}
    )

    assert refused.status_code == 409
    assert issue(refused)["loc"] == ["path", "assignment_id"]
    assert re.search(
        r"closed at \d{4}-\d\d-\d\dT.*Z: submissions are no longer taken", issue(refused)["msg"]
    )
    assert late.status_code == 409 and "closed" in issue(late)["msg"]
    assert work(api, assignment_id, ada["token"])["assignment"]["closed"] is True


def test_submissions_are_rate_limited_per_student(make_client: MakeClient) -> None:
    api = make_client(submissions_per_minute=2)
    assignment_id, _ = create(api, attempts=None)
    ada, bea = join(api, assignment_id, "s1"), join(api, assignment_id, "s2")
    for _ in range(2):
        submit(api, assignment_id, ada["token"], "Delta2", [[0, 0]])

    refused = submit(api, assignment_id, ada["token"], "Delta2", [[0, 0]])

    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert "at most 2 submissions a minute" in issue(refused)["msg"]
    assert submit(api, assignment_id, bea["token"], "Delta2", [[0, 0]]).status_code == 200
    assert [t["attempts"] for t in work(api, assignment_id, ada["token"])["tasks"]] == [2, 0]


def test_revealed_solutions_show_every_value_and_end_the_submissions(api: TestClient) -> None:
    assignment_id, token = create(api)
    ada = join(api, assignment_id, "s1")
    url, headers = f"/api/assignments/{assignment_id}/work", bearer(ada["token"])
    before = api.get(f"{url}/solutions", headers=headers)
    assert before.status_code == 409 and "not revealed" in issue(before)["msg"]

    api.patch(f"/api/assignments/{assignment_id}", json={"revealed": True}, headers=bearer(token))

    solutions = api.get(f"{url}/solutions", headers=headers).json()["tensors"]
    network = ada["work"]["network"]
    for name in ("Delta2", "gradW1"):
        assert np.array_equal(solutions[name]["data"], expected(network, name))
    step = api.post(f"{url}/goto", json={"step": 4}, headers=headers).json()["step"]
    assert step["withheld"] == [] and "Delta2" in step["tensors"]
    assert work(api, assignment_id, ada["token"])["withheld"] == []
    refused = submit(api, assignment_id, ada["token"], "Delta2", [[0, 0]])
    assert refused.status_code == 409 and "revealed" in issue(refused)["msg"]


def test_a_task_of_the_last_layer_is_graded_as_the_engine_computes_it(api: TestClient) -> None:
    assignment_id, _ = create(
        api,
        template={"layers": [3, 4, 2], "activations": "sigmoid", "batch": 1},
        tasks=["Delta2", "gradW2"],
    )
    ada = join(api, assignment_id, "s1")
    network = ada["work"]["network"]
    x, y = np.array(network["inputs"]).T, np.array(network["targets"]).T
    w1, w2 = (np.array(w) for w in network["weights"])
    s1 = 1 / (1 + np.exp(-(w1 @ x)))
    s2 = 1 / (1 + np.exp(-(w2 @ s1)))
    delta2 = (s2 - y) * s2 * (1 - s2)  # the Q&A's closed form, m = 1

    assert submit(api, assignment_id, ada["token"], "Delta2", delta2).json()["all_correct"]
    graded = submit(api, assignment_id, ada["token"], "gradW2", delta2 @ s1.T)
    assert graded.json()["all_correct"]
    assert engine.Session.create(network).network.spec.batch == 1
