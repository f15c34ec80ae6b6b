"""app.schemas.assignments: what a lecturer and a student send is checked strictly, and every
answer about an assignment (moves with tensors included) is its model."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from app import schemas


@pytest.mark.parametrize(
    "body, field",
    [
        (
            {"title": "W", "template": {"layers": [2, 1]}, "tasks": ["J"], "attempts": True},
            "attempts",
        ),
        ({"title": "W", "template": {"layers": ["2", 1]}, "tasks": ["J"]}, "template"),
        ({"title": "W", "template": {"layers": [2, 1]}, "tasks": "J"}, "tasks"),
        (
            {"title": "W", "template": {"layers": [2, 1]}, "tasks": ["J"], "closes_at": 0},
            "closes_at",
        ),
        (
            {
                "title": "W",
                "template": {"layers": [2, 1]},
                "tasks": ["J"],
                "closes_at": "2030-01-01",
            },
            "closes_at",
        ),
    ],
)
def test_a_new_assignment_takes_exactly_the_types_the_schema_says(
    body: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        schemas.AssignmentCreate.model_validate(body)
    assert refused.value.errors()[0]["loc"][0] == field


def test_a_closing_time_is_iso_text_with_its_offset() -> None:
    created = schemas.AssignmentCreate.model_validate(
        {
            "title": "W",
            "template": {"layers": [2, 1]},
            "tasks": ["J"],
            "closes_at": "2030-01-01T09:00:00+02:00",
        }
    )
    assert created.closes_at is not None
    assert created.closes_at.timestamp() == 1893481200


def test_a_change_knows_a_field_left_out_from_one_set_to_null() -> None:
    change = schemas.AssignmentChange.model_validate({"attempts": None})
    assert change.model_fields_set == {"attempts"}
    assert schemas.AssignmentChange.model_validate({}).model_fields_set == set()


@pytest.mark.parametrize("number", ["s1815", "ada.lovelace@uni.example", "2024-001_B+"])
def test_a_student_number_may_be_an_id_or_an_email_address(number: str) -> None:
    assert schemas.JoinRequest(name="Ada", number=number).number == number


@pytest.mark.parametrize("number", ["", " s1", "s 1", "-s1", "s1/2", "ş1"])
def test_a_student_number_with_anything_else_is_refused(number: str) -> None:
    with pytest.raises(ValidationError):
        schemas.JoinRequest(name="Ada", number=number)


def test_every_assignment_answer_is_its_model(client: TestClient) -> None:
    body = {"title": "W", "template": {"layers": [2, 3, 1], "batch": 2}, "tasks": ["Delta2"]}
    created = client.post("/api/assignments", json=body)
    assignment_id = created.json()["assignment"]["id"]
    lecturer = {"Authorization": f"Bearer {created.json()['lecturer_token']}"}
    joined = client.post(
        f"/api/assignments/{assignment_id}/students", json={"name": "Ada", "number": "s1"}
    )
    student = {"Authorization": f"Bearer {joined.json()['token']}"}
    url = f"/api/assignments/{assignment_id}"
    answers: list[tuple[type[Any], Any]] = [
        (schemas.AssignmentCreated, created),
        (schemas.Joined, joined),
        (schemas.WorkMove, client.post(f"{url}/work/goto", json={"step": 4}, headers=student)),
        (schemas.WorkMove, client.get(f"{url}/work/current?encoding=binary", headers=student)),
        (schemas.WorkMove, client.post(f"{url}/work/back?convention=row", headers=student)),
        (
            schemas.Submission,
            client.post(
                f"{url}/work/submissions",
                json={"tensor": "Delta2", "values": [[0, 0]]},
                headers=student,
            ),
        ),
        (schemas.StudentWork, client.get(f"{url}/work", headers=student)),
        (schemas.Results, client.get(f"{url}/results", headers=lecturer)),
        (
            schemas.StudentRow,
            client.put(f"{url}/students/s1/seed", json={"seed": 3}, headers=lecturer),
        ),
        (schemas.StudentLink, client.post(f"{url}/students/s1/link", headers=lecturer)),
        (schemas.AssignmentInfo, client.patch(url, json={"revealed": True}, headers=lecturer)),
        (schemas.AssignmentInfo, client.get(url)),
        (schemas.TaskChoices, client.post("/api/assignment-tasks", json=body["template"])),
    ]
    [renewed] = [answer for model, answer in answers if model is schemas.StudentLink]
    fresh = {"Authorization": f"Bearer {renewed.json()['token']}"}
    answers.append((schemas.Solutions, client.get(f"{url}/work/solutions", headers=fresh)))

    for model, answer in answers:
        assert answer.status_code in (200, 201), answer.text
        parsed = model.model_validate_json(answer.content)
        assert parsed.model_dump(mode="json") == answer.json()
