"""app.schemas.numbers: non-finite numbers become strings that `float()` reads back, arrays
become lists of rows, and a restored state's numbers may be those strings."""

from __future__ import annotations

import math

import numpy as np
import pytest

from app import schemas


@pytest.mark.parametrize(
    ("value", "encoded"),
    [(1.5, 1.5), (math.inf, "Infinity"), (-math.inf, "-Infinity"), (0.0, 0.0)],
)
def test_a_float_is_sent_as_a_number_or_its_name(value: float, encoded: object) -> None:
    assert schemas.encode_float(value) == encoded


def test_nan_is_sent_as_the_string_nan_that_float_reads_back() -> None:
    assert schemas.encode_float(math.nan) == "NaN"
    assert math.isnan(float("NaN"))


def test_a_matrix_is_a_list_of_rows_with_non_finite_entries_as_strings() -> None:
    matrix = np.array([[1.0, np.inf], [np.nan, -2.5]])

    encoded = schemas.encode_matrix(matrix)

    assert encoded == [[1.0, "Infinity"], ["NaN", -2.5]]
    assert np.array_equal(np.array(encoded, dtype=float), matrix, equal_nan=True)


def test_a_finite_matrix_is_its_rows_exactly() -> None:
    matrix = np.random.default_rng(0).normal(size=(3, 5))

    assert np.array(schemas.encode_matrix(matrix)).tobytes() == matrix.tobytes()


def test_nested_documents_are_encoded_at_any_depth() -> None:
    document = {"a": [[math.inf, 1.0]], "b": {"c": math.nan}, "d": "text", "e": 3}

    assert schemas.encode_nested(document) == {
        "a": [["Infinity", 1.0]],
        "b": {"c": "NaN"},
        "d": "text",
        "e": 3,
    }
