"""Assignments, the lecturer's side, on both persistent stores (a real SQLite file, a real
redis-server): one call sets one, only the lecturer's token opens the table, the gradebook and
the changes, guessing ids gets 404s, and every bad input is a 4xx naming its field."""

from __future__ import annotations

import csv
import io
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app import engine

from ..networks import TWO_LAYER_COMPUTED
from .assignment_helpers import (
    BODY,
    TEMPLATE,
    MakeClient,
    bearer,
    create,
    expected,
    issue,
    join,
    submit,
)

# --- setting one ---------------------------------------------------------------------------


def test_one_call_sets_an_assignment_and_gives_the_student_and_lecturer_links(
    api: TestClient,
) -> None:
    response = api.post("/api/assignments", json=BODY | {"closes_at": "2030-03-20T17:00:00Z"})

    assert response.status_code == 201
    created = response.json()
    assignment_id, token = created["assignment"]["id"], created["lecturer_token"]
    assert response.headers["location"] == f"/api/assignments/{assignment_id}"
    assert len(token) >= 22 and token != assignment_id  # ≥ 128 bits, URL-safe base64
    assert created["lecturer_page"] == f"/assignments/{assignment_id}/lecturer#token={token}"
    assert created["assignment"]["page"] == f"/assignments/{assignment_id}"
    assert created["assignment"] | {"id": "", "page": ""} == {
        "id": "",
        "page": "",
        "title": "Week 3",
        "tasks": [
            {
                "name": "Delta2",
                "latex": r"\Delta_{2}",
                "shape": [1, 2],
                "step": 4,
                "step_title": "Backward, layer 2",
            },
            {
                "name": "gradW1",
                "latex": r"\nabla W_{1}",
                "shape": [3, 2],
                "step": 5,
                "step_title": "Backward, layer 1",
            },
        ],
        "tolerance": 0.001,
        "attempts": 3,
        "closes_at": "2030-03-20T17:00:00Z",
        "closed": False,
        "revealed": False,
        "network": {
            "layers": [2, 3, 1],
            "activations": ["tanh", "sigmoid"],
            "bias": True,
            "loss": "squared_error",
            "batch": 2,
            "drawn": ["inputs", "targets", "weights"],
        },
    }


def test_the_outline_says_what_is_drawn_for_each_student(api: TestClient) -> None:
    given = TEMPLATE | {"inputs": [[1, 0], [0, 1]], "weights_seed": 5}
    assignment_id, _ = create(api, template=given)

    outline = api.get(f"/api/assignments/{assignment_id}").json()

    assert outline["network"]["drawn"] == ["targets"]
    ada, bea = (join(api, assignment_id, n)["work"]["network"] for n in ("s1", "s2"))
    assert ada["weights"] == bea["weights"] and ada["inputs"] == bea["inputs"]
    assert ada["targets"] != bea["targets"]


def test_anyone_reads_the_outline_and_finds_no_secret_in_it(api: TestClient) -> None:
    assignment_id, token = create(api)

    outline = api.get(f"/api/assignments/{assignment_id}")

    assert outline.status_code == 200
    assert token not in outline.text
    assert not {"key", "salt", "lecturer_token", "template"} & set(outline.json())


@pytest.mark.parametrize(
    "change, loc, words",
    [
        (
            {"template": TEMPLATE | {"activations": ["tanh", "sigmod"]}},
            ["activations", 1],
            "sigmod",
        ),
        ({"template": TEMPLATE | {"layers": [2, 5000, 1]}}, ["layers", 1], "over the limit"),
        ({"template": TEMPLATE | {"inputs": [[1, 2]]}}, ["batch"], "inputs give 1"),
        ({"template": TEMPLATE | {"inputs": [[1, 2, 3]], "batch": 1}}, ["inputs", 0], "2 numbers"),
        ({"template": TEMPLATE | {"decimals": 9}}, ["decimals"], "less than or equal to 6"),
        ({"template": TEMPLATE | {"batch": 0}}, ["batch"], "greater than or equal to 1"),
        ({"template": TEMPLATE | {"loss": "hinge"}}, ["loss"], "unknown objective"),
    ],
)
def test_a_template_that_makes_no_network_is_refused_naming_its_field(
    api: TestClient, change: dict[str, Any], loc: list[Any], words: str
) -> None:
    response = api.post("/api/assignments", json=BODY | change)

    assert response.status_code == 422
    found = issue(response)
    assert found["loc"] == ["body", "template", *loc]
    assert words in found["msg"]


@pytest.mark.parametrize(
    "tasks, index, words",
    [
        (["Delta2", "Delta3"], 1, "no tensor 'Delta3' in an iteration of this network"),
        (["W1"], 0, "W1 is given to the students"),
        (["gradW1", "gradW1"], 1, "named twice"),
    ],
)
def test_a_task_that_is_no_tensor_to_compute_is_refused_naming_it(
    api: TestClient, tasks: list[str], index: int, words: str
) -> None:
    response = api.post("/api/assignments", json=BODY | {"tasks": tasks})

    assert response.status_code == 422
    assert issue(response)["loc"] == ["body", "tasks", index]
    assert words in issue(response)["msg"]


@pytest.mark.parametrize(
    "change, loc",
    [
        ({"tasks": []}, ["body", "tasks"]),
        ({"title": "Final Grade quiz"}, ["body", "title"]),
        ({"title": "   "}, ["body", "title"]),
        ({"closes_at": "2030-03-20T17:00:00"}, ["body", "closes_at"]),
        ({"attempts": 0}, ["body", "attempts"]),
        ({"tolerance": 0}, ["body", "tolerance"]),
        ({"secret": 1}, ["body", "secret"]),
    ],
)
def test_other_bad_settings_are_refused_naming_their_field(
    api: TestClient, change: dict[str, Any], loc: list[Any]
) -> None:
    response = api.post("/api/assignments", json=BODY | change)

    assert response.status_code == 422
    assert issue(response)["loc"] == loc


def test_the_server_keeps_at_most_its_assignments(make_client: MakeClient) -> None:
    api = make_client(max_assignments=1)
    create(api)

    response = api.post("/api/assignments", json=BODY)

    assert response.status_code == 503
    assert "maximum of 1 assignments" in response.json()["detail"]


# --- who may look ------------------------------------------------------------------------------


LECTURER_ROUTES = [
    ("GET", "/results", None),
    ("GET", "/gradebook.csv", None),
    ("PATCH", "", {"revealed": True}),
    ("DELETE", "", None),
    ("PUT", "/students/s1/seed", {"seed": 5}),
    ("POST", "/students/s1/link", None),
]


@pytest.mark.parametrize("method, path, body", LECTURER_ROUTES)
def test_only_the_lecturers_token_opens_the_lecturers_routes(
    api: TestClient, method: str, path: str, body: Any
) -> None:
    assignment_id, token = create(api)
    _, other_lecturer = create(api)
    student = join(api, assignment_id, "s1")["token"]
    url = f"/api/assignments/{assignment_id}{path}"

    missing = api.request(method, url, json=body)
    assert missing.status_code == 401
    assert issue(missing)["loc"] == ["header", "authorization"]
    assert missing.headers["www-authenticate"] == "Bearer"
    for wrong in (student, other_lecturer, "not-a-token", token[:-1]):
        refused = api.request(method, url, json=body, headers=bearer(wrong))
        assert refused.status_code == 403, wrong
        assert issue(refused)["loc"] == ["header", "authorization"]
        assert "lecturer" in issue(refused)["msg"]
    assert api.request(method, url, json=body, headers=bearer(token)).status_code < 300


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", ""),
        ("GET", "/results"),
        ("GET", "/gradebook.csv"),
        ("PATCH", ""),
        ("DELETE", ""),
        ("POST", "/students"),
        ("GET", "/work"),
        ("POST", "/work/step"),
        ("POST", "/work/submissions"),
        ("GET", "/work/solutions"),
    ],
)
def test_guessing_an_assignment_id_gets_a_404(api: TestClient, method: str, path: str) -> None:
    assignment_id, token = create(api)
    guessed = assignment_id[:-2] + ("AA" if assignment_id[-2:] != "AA" else "BB")
    body = {
        "/students": {"name": "Eve", "number": "e1"},
        "/work/submissions": {"tensor": "Delta2", "values": [[0, 0]]},
    }.get(path, {})

    response = api.request(
        method, f"/api/assignments/{guessed}{path}", json=body, headers=bearer(token)
    )

    assert response.status_code == 404
    assert "no assignment with id" in response.json()["detail"]


def test_a_token_in_the_address_is_refused_not_read(api: TestClient) -> None:
    assignment_id, token = create(api)

    response = api.get(f"/api/assignments/{assignment_id}/results", params={"token": token})

    assert response.status_code == 422
    assert issue(response)["loc"] == ["query", "token"]


# --- the table and the gradebook -----------------------------------------------------------


def test_the_table_has_a_row_per_student_and_per_task_right_entries_and_attempts(
    api: TestClient,
) -> None:
    assignment_id, token = create(api)
    ada, bea = join(api, assignment_id, "s1", "Ada"), join(api, assignment_id, "S2", "Bea")
    delta = expected(ada["work"]["network"], "Delta2")
    assert submit(api, assignment_id, ada["token"], "Delta2", delta * 0).status_code == 200
    assert submit(api, assignment_id, ada["token"], "Delta2", delta).status_code == 200
    half = expected(bea["work"]["network"], "gradW1")
    half[0] += 1
    assert submit(api, assignment_id, bea["token"], "gradW1", half).status_code == 200

    table = api.get(f"/api/assignments/{assignment_id}/results", headers=bearer(token)).json()

    rows = {
        row["name"]: [
            (t["task"], t["right"], t["best"], t["total"], t["attempts"]) for t in row["tasks"]
        ]
        for row in table["students"]
    }
    assert rows == {
        "Ada": [("Delta2", True, 2, 2, 2), ("gradW1", False, 0, 6, 0)],
        "Bea": [("Delta2", False, 0, 2, 0), ("gradW1", False, 4, 6, 1)],
    }
    assert [row["number"] for row in table["students"]] == ["s1", "S2"]
    assert [row["total"] for row in table["students"]] == [1.0, pytest.approx(4 / 6)]


def test_the_gradebook_has_the_columns_a_moodle_grade_import_needs(api: TestClient) -> None:
    assignment_id, token = create(api, title='Backprop, "by hand"')
    ada = join(api, assignment_id, "s1815", "Ada Lovelace")
    join(api, assignment_id, "s1816", "Bea, the Second")
    submit(api, assignment_id, ada["token"], "Delta2", expected(ada["work"]["network"], "Delta2"))

    response = api.get(f"/api/assignments/{assignment_id}/gradebook.csv", headers=bearer(token))

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["content-disposition"]
    reader = csv.DictReader(io.StringIO(response.content.decode("utf-8")))
    rows = list(reader)
    # Moodle maps one column to the users' ID number, and each grade column to a grade item.
    assert reader.fieldnames is not None
    assert "SIS User ID" in reader.fieldnames and "Student" in reader.fieldnames
    grade_columns = ['Backprop, "by hand": Delta2', 'Backprop, "by hand": gradW1', "Final Points"]
    assert reader.fieldnames[-3:] == grade_columns
    assert [(r["SIS User ID"], r["Student"]) for r in rows] == [
        ("s1815", "Ada Lovelace"),
        ("s1816", "Bea, the Second"),
    ]
    assert all(r["SIS User ID"] for r in rows)  # an empty identifier stops Moodle's import
    assert [[float(r[c]) for c in grade_columns] for r in rows] == [[1, 0, 1], [0, 0, 0]]


# --- changing it ---------------------------------------------------------------------------


def test_a_change_touches_only_the_fields_it_names(api: TestClient) -> None:
    assignment_id, token = create(api, closes_at="2030-01-01T00:00:00+01:00")
    url = f"/api/assignments/{assignment_id}"

    changed = api.patch(url, json={"attempts": None, "tolerance": 0.01}, headers=bearer(token))

    assert changed.status_code == 200
    assert (changed.json()["attempts"], changed.json()["tolerance"]) == (None, 0.01)
    assert changed.json()["closes_at"] == "2029-12-31T23:00:00Z"
    assert changed.json()["title"] == "Week 3"
    closed = api.patch(url, json={"closed": True}, headers=bearer(token)).json()
    assert closed["closed"] is True
    reopened = api.patch(url, json={"closes_at": None}, headers=bearer(token)).json()
    assert (reopened["closed"], reopened["closes_at"]) == (False, None)
    assert api.get(url).json()["attempts"] is None


@pytest.mark.parametrize(
    "body, loc",
    [
        ({"title": None}, ["body", "title"]),
        ({"revealed": None}, ["body", "revealed"]),
        ({"closed": True, "closes_at": "2030-01-01T00:00:00Z"}, ["body", "closed"]),
        ({"tasks": ["J"]}, ["body", "tasks"]),
    ],
)
def test_a_bad_change_is_refused_naming_its_field_and_changes_nothing(
    api: TestClient, body: dict[str, Any], loc: list[Any]
) -> None:
    assignment_id, token = create(api)
    before = api.get(f"/api/assignments/{assignment_id}").json()

    response = api.patch(f"/api/assignments/{assignment_id}", json=body, headers=bearer(token))

    assert response.status_code == 422
    assert issue(response)["loc"] == loc
    assert api.get(f"/api/assignments/{assignment_id}").json() == before


def test_another_seed_gives_a_student_another_network_and_clears_their_attempts(
    api: TestClient,
) -> None:
    assignment_id, token = create(api)
    ada = join(api, assignment_id, "s1")
    submit(api, assignment_id, ada["token"], "Delta2", [[0, 0]])
    url = f"/api/assignments/{assignment_id}/students/S1/seed"

    row = api.put(url, json={"seed": 2024}, headers=bearer(token))

    assert row.status_code == 200
    assert (row.json()["seed"], row.json()["seed_given"]) == (2024, True)
    work = api.get(f"/api/assignments/{assignment_id}/work", headers=bearer(ada["token"])).json()
    assert work["network"]["seed"] == 2024
    assert work["network"]["inputs"] != ada["work"]["network"]["inputs"]
    assert [t["attempts"] for t in work["tasks"]] == [0, 0]
    back = api.put(url, json={"seed": None}, headers=bearer(token)).json()
    assert (back["seed"], back["seed_given"]) == (ada["work"]["network"]["seed"], False)
    again = api.get(f"/api/assignments/{assignment_id}/work", headers=bearer(ada["token"]))
    assert again.json()["network"] == ada["work"]["network"]


@pytest.mark.parametrize(
    "path, body, status, loc",
    [
        ("/students/s404/seed", {"seed": 1}, 404, None),
        ("/students/s1/seed", {"seed": -1}, 422, ["body", "seed"]),
        ("/students/s1/seed", {"seed": 2**63}, 422, ["body", "seed"]),
        ("/students/s1/seed", {}, 422, ["body", "seed"]),
    ],
)
def test_a_bad_seed_change_is_refused(
    api: TestClient, path: str, body: dict[str, Any], status: int, loc: list[Any] | None
) -> None:
    assignment_id, token = create(api)
    join(api, assignment_id, "s1")

    response = api.put(f"/api/assignments/{assignment_id}{path}", json=body, headers=bearer(token))

    assert response.status_code == status
    if loc is not None:
        assert issue(response)["loc"] == loc


def test_a_new_personal_link_opens_the_same_work_and_the_old_one_no_more(
    api: TestClient,
) -> None:
    assignment_id, token = create(api)
    ada = join(api, assignment_id, "s1")

    renewed = api.post(f"/api/assignments/{assignment_id}/students/s1/link", headers=bearer(token))

    assert renewed.status_code == 200
    fresh = renewed.json()["token"]
    assert renewed.json()["link"] == f"/assignments/{assignment_id}#student={fresh}"
    work = api.get(f"/api/assignments/{assignment_id}/work", headers=bearer(fresh))
    assert work.json()["network"] == ada["work"]["network"]
    old = api.get(f"/api/assignments/{assignment_id}/work", headers=bearer(ada["token"]))
    assert old.status_code == 403


def test_deleting_an_assignment_takes_its_students_with_it(api: TestClient) -> None:
    assignment_id, token = create(api)
    ada = join(api, assignment_id, "s1")

    assert api.delete(f"/api/assignments/{assignment_id}", headers=bearer(token)).status_code == 204

    assert api.get(f"/api/assignments/{assignment_id}").status_code == 404
    gone = api.get(f"/api/assignments/{assignment_id}/work", headers=bearer(ada["token"]))
    assert gone.status_code == 404


# --- kept, and for how long ----------------------------------------------------------------


def test_assignments_students_and_attempts_survive_a_restart(make_client: MakeClient) -> None:
    first = make_client()
    assignment_id, token = create(first)
    ada = join(first, assignment_id, "s1")
    first.post(f"/api/assignments/{assignment_id}/work/step", headers=bearer(ada["token"]))
    submit(first, assignment_id, ada["token"], "Delta2", [[0, 0]])
    first.__exit__(None, None, None)

    again = make_client()

    work = again.get(f"/api/assignments/{assignment_id}/work", headers=bearer(ada["token"]))
    assert work.status_code == 200
    assert work.json()["position"]["cursor"] == 1
    assert [t["attempts"] for t in work.json()["tasks"]] == [1, 0]
    table = again.get(f"/api/assignments/{assignment_id}/results", headers=bearer(token))
    assert [row["name"] for row in table.json()["students"]] == ["Ada"]


def test_an_assignment_expires_after_its_own_ttl_not_the_sessions(make_client: MakeClient) -> None:
    api = make_client(assignment_ttl_seconds=1, session_ttl_seconds=3600)
    assignment_id, token = create(api)
    session = api.post("/api/sessions", json=engine.preset("xor").spec).json()["id"]

    time.sleep(1.2)

    assert api.get(f"/api/assignments/{assignment_id}").status_code == 404
    assert api.get(f"/api/sessions/{session}").status_code == 200


def test_the_tasks_a_template_offers_are_every_tensor_it_computes_in_step_order(
    api: TestClient,
) -> None:
    response = api.post("/api/assignment-tasks", json=TEMPLATE)

    assert response.status_code == 200
    tasks = response.json()["tasks"]
    assert [t["name"] for t in tasks] == TWO_LAYER_COMPUTED
    assert {t["name"]: t["shape"] for t in tasks}["gradW1"] == [3, 2]
    refused = api.post("/api/assignment-tasks", json=TEMPLATE | {"layers": [2, 0, 1]})
    assert refused.status_code == 422
    assert issue(refused)["loc"] == ["body", "layers", 1]


def test_every_link_carries_the_prefix_the_app_is_published_under(
    make_client: MakeClient,
) -> None:
    api = make_client(root_path="/bpv")

    response = api.post("/api/assignments", json=BODY)
    created = response.json()
    assignment_id, token = created["assignment"]["id"], created["lecturer_token"]
    joined = join(api, assignment_id, "s1")
    renewed = api.post(f"/api/assignments/{assignment_id}/students/s1/link", headers=bearer(token))

    assert response.headers["location"] == f"/bpv/api/assignments/{assignment_id}"
    assert created["lecturer_page"] == f"/bpv/assignments/{assignment_id}/lecturer#token={token}"
    assert created["assignment"]["page"] == f"/bpv/assignments/{assignment_id}"
    assert joined["link"].startswith(f"/bpv/assignments/{assignment_id}#student=")
    assert joined["work"]["page"] == f"/bpv/assignments/{assignment_id}"
    assert renewed.json()["link"].startswith("/bpv/assignments/")
