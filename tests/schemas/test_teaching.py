"""app.schemas.teaching: an explained entry, a graded prediction and the gradient forms are
their models as the routes answer them, in the notation asked for."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app import schemas
from app.engine import preset


def test_the_teaching_answers_are_their_models(client: TestClient) -> None:
    url = f"/api/sessions/{client.post('/api/sessions', json=preset('xor').spec).json()['id']}"
    for _ in range(4):
        client.post(f"{url}/step")

    answers = {
        schemas.Explanation: client.get(f"{url}/explain?tensor=gradW2&row=1&col=1&convention=row"),
        schemas.CheckAnswer: client.post(
            f"{url}/check", json={"tensor": "Delta2", "values": [[0.0, 0.0, 0.0, 0.0]]}
        ),
        schemas.GradientForms: client.get(f"{url}/gradients?view=homogeneous"),
    }

    for model, answer in answers.items():
        assert answer.status_code == 200, answer.text
        parsed = model.model_validate_json(answer.content)
        assert parsed.model_dump(mode="json") == answer.json()
    assert answers[schemas.Explanation].json()["convention"] == "row"
    assert answers[schemas.GradientForms].json()["view"] == "homogeneous"
