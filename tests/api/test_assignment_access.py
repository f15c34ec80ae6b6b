"""Who may do what with an assignment: the token travels as `Authorization: Bearer …`, a missing
one is a 401 and a wrong one a 403, each naming the header; refusals of the store are answers."""

from __future__ import annotations

import anyio
import pytest
from fastapi import HTTPException

from app.api.assignment_access import bearer_token, is_lecturer, iso, refusal
from app.store import Assignment, new_token, token_digest


@pytest.mark.parametrize("header", ["Bearer abc", "bearer abc", "BEARER  abc "])
def test_a_bearer_token_is_read_whatever_the_schemes_case(header: str) -> None:
    assert anyio.run(bearer_token, header) == "abc"


@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer  ", "Basic abc", "Bearer\tabc"])
def test_no_bearer_token_is_a_401_naming_the_header(header: str | None) -> None:
    with pytest.raises(HTTPException) as refused:
        anyio.run(bearer_token, header)
    assert refused.value.status_code == 401
    assert refused.value.detail[0]["loc"] == ["header", "authorization"]
    assert refused.value.headers == {"WWW-Authenticate": "Bearer"}


def test_only_the_token_whose_digest_the_assignment_keeps_is_the_lecturers() -> None:
    token = new_token()
    assignment = Assignment(
        "a", token_digest(token), "W", {}, ("J",), 1e-3, None, None, False, 1, 0.0
    )
    assert is_lecturer(assignment, token)
    assert not is_lecturer(assignment, token_digest(token))
    assert not is_lecturer(assignment, new_token())


def test_a_refusal_names_one_field_as_fastapis_errors_do() -> None:
    refused = refusal(409, ("path", "assignment_id"), "closed", "assignment_closed")
    assert refused.status_code == 409
    assert refused.detail == [
        {"loc": ["path", "assignment_id"], "msg": "closed", "type": "assignment_closed"}
    ]


@pytest.mark.parametrize(
    "when, written", [(0.0, "1970-01-01T00:00:00Z"), (1893481200.5, "2030-01-01T07:00:00.500000Z")]
)
def test_times_are_written_in_iso_8601_utc(when: float, written: str) -> None:
    assert iso(when) == written
