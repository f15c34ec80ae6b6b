"""Schemathesis against the app's own /openapi.json: every operation, with requests the schema
allows and requests it does not, gets an answer the schema documents, and never a 5xx.

Random session ids only ever meet a 404, so half the cases of an operation on a session get
the id of a real one instead: a fresh session of a preset, moved 0 … 14 steps (for an
operation on a view, that session's read-only view id). The app keeps its sessions in memory,
for speed, and is called in-process.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from app.assignments.networks import student_spec
from app.config import Settings
from app.engine import Session, presets
from app.main import create_app
from app.schemas import NetworkTemplate
from app.store import (
    Assignment,
    AssignmentNotFound,
    SessionStore,
    Student,
    new_session_id,
    new_token,
    token_digest,
)

EXAMPLES_PER_OPERATION = 10
"""Hypothesis examples per operation, on top of the schema's own examples and the coverage
phase's edge cases: about 1,600 requests in all, some 20 s on 2 cores."""

MIN_REQUESTS = 1000

CONFIG = schemathesis.Config.from_dict(
    {
        "checks": {
            # A request the schema allows may still be refused with a 422 naming the field, for
            # what depends on the session or the network and no schema can say: that `inputs`
            # holds n_0 numbers per sample, that `step` is at most 2k + 2, that a tensor name
            # is one of this iteration's, that `view=homogeneous` needs biases. What a schema
            # can say, it says (the most iterations, integers written 3.0, examples that make
            # one network together: tests/api/test_openapi.py). Nor can it say which token
            # opens an assignment (401, 403), or how many submissions a minute are too many
            # (429).
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "401", "403", "404", "409", "422", "429"]
            },
        },
        # A view's event stream runs for minutes: its first event shows the answer's form.
        "max-stream-events": 1,
    }
)

APP = create_app(Settings(store="memory://"))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP, config=CONFIG)
OPERATIONS = {
    f"{method.upper()} {path}"
    for path, operations in APP.openapi()["paths"].items()
    for method in operations
}

sent: list[str] = []
"""The operation of every request the fuzzer sent and checked."""


def real_session(store: SessionStore, preset: int, steps: int) -> str:
    """A new session of a preset, moved `steps` steps: an id the fuzzer could not guess."""
    session_id = store.create(Session.create(presets()[preset].spec))
    with store.edit(session_id) as session:
        for _ in range(steps):
            session.step()
    return session_id


LECTURER, STUDENT = new_token(), new_token()
"""The tokens of the one real assignment the fuzzer meets, and of its one student."""
ASSIGNMENT_ID = new_session_id()


def real_assignment(store: SessionStore) -> str:
    """The id of an assignment (made on first use) whose tokens are LECTURER and STUDENT."""
    try:
        store.assignments.get(ASSIGNMENT_ID)
    except AssignmentNotFound:
        template = NetworkTemplate(layers=[2, 3, 1], batch=2).model_dump()
        store.assignments.create(
            Assignment(
                ASSIGNMENT_ID,
                token_digest(LECTURER),
                "Fuzzed",
                template,
                ("Delta2", "gradW1"),
                1e-3,
                None,
                None,
                False,
                1,
                0.0,
            )
        )
        student = Student(
            "s1", "Ada", token_digest(STUDENT), 7, False, student_spec(template, 7), 0.0
        )
        store.assignments.add_student(ASSIGNMENT_ID, student)
    return ASSIGNMENT_ID


real_sessions = st.builds(
    lambda preset, steps: real_session(APP.state.store, preset, steps),
    st.integers(0, len(presets()) - 1),
    st.integers(0, 14),
)
MEANINGFUL = {
    "session_id": real_sessions,
    "view_id": real_sessions.map(lambda session_id: APP.state.store.create_view(session_id)),
    "number": st.integers(1, 4),  # a step of every preset's iteration (2k + 2 ≥ 4)
    "name": st.sampled_from(["X", "W1", "N1", "Sigma1", "J", "G", "Delta1", "gradW1"]),
    "assignment_id": st.builds(lambda: real_assignment(APP.state.store)),
    "student_number": st.sampled_from(["s1", "S1", "s2"]),
}
"""Path parameters a random value rarely hits, and values that do hit."""


def schema_valid(path_parameters: dict[str, Any]) -> bool:
    """True when the path parameters are of the types and bounds the schema gives them."""
    for name, value in path_parameters.items():
        if name == "number":
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                return False
        elif not isinstance(value, str):
            return False
    return True


@schema.hook
def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any] | None) -> Any:
    """Half the cases of an operation on a session (or on a view of one) get a real id, and
    real step numbers and tensor names with it."""
    names = [name for name in MEANINGFUL if path_parameters and name in path_parameters]
    if not names or not schema_valid(path_parameters):
        # A case the schema forbids (negative testing) keeps its bad values: replaced by good
        # ones, it would be a valid request that the check expects to be refused.
        return st.just(path_parameters)
    meaningful = st.fixed_dictionaries({name: MEANINGFUL[name] for name in names})
    return st.one_of(
        st.just(path_parameters), meaningful.map(lambda values: {**path_parameters, **values})
    )


@schema.hook
def flatmap_headers(context: Any, headers: dict[str, Any] | None) -> Any:
    """Half the requests that send a token send a real one: the lecturer's or the student's."""
    if not headers or not isinstance(headers.get("authorization"), str):
        return st.just(headers)
    real = [{**headers, "authorization": f"Bearer {token}"} for token in (LECTURER, STUDENT)]
    return st.one_of(st.just(headers), st.sampled_from(real))


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,  # the same requests in every run, so CI cannot pass or fail by chance
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_operation_answers_as_documented_and_never_with_a_server_error(case: Any) -> None:
    case.call_and_validate()
    sent.append(case.operation.label)


def test_the_fuzzer_sent_over_a_thousand_requests_reaching_every_operation() -> None:
    if not sent:
        pytest.skip("the fuzzing test did not run")
    assert len(sent) >= MIN_REQUESTS
    assert set(sent) == OPERATIONS
