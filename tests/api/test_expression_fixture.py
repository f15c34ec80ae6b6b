"""The page's layout tests read the formulas' expression trees the API writes today."""

from __future__ import annotations

from fastapi.testclient import TestClient

from scripts.expression_fixture import FIXTURE, fixture, written


def test_the_page_tests_expression_trees_are_the_api_answers(client: TestClient) -> None:
    assert FIXTURE.read_text(encoding="utf-8") == written(fixture(client)), (
        "tests/js/expressions.json is out of date: .venv/bin/python -m scripts.expression_fixture"
    )
