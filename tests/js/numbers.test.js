// How an entry is written: three significant digits everywhere, a real minus sign.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  countText,
  entryLabel,
  entrySentence,
  formatValue,
  lossSentence,
  shapeText,
} from "../../static/js/numbers.js";

describe("formatValue writes three significant digits", () => {
  const cases = [
    [-0.00148, "−0.00148"],
    [-0.001, "−0.001"],
    [-0.0260137, "−0.026"],
    [0.0295, "0.0295"],
    [0.02951, "0.0295"],
    [1, "1"],
    [12.345, "12.3"],
    [123.456, "123"],
    [1234.5, "1230"],
    [9999.7, "1e4"],
    [12345, "1.23e4"],
    [0.000148, "1.48e−4"],
    [-0.00015, "−1.5e−4"],
    [2.5e7, "2.5e7"],
    [0, "0"],
    [Infinity, "∞"],
    [-Infinity, "−∞"],
    [NaN, "NaN"],
  ];
  for (const [value, written] of cases) {
    test(`${value} is written ${written}`, () => assert.equal(formatValue(value), written));
  }

  test("no entry loses a digit next to another: −0.00148 and −0.001 read apart", () => {
    assert.notEqual(formatValue(-0.00148), formatValue(-0.001));
  });
});

test("a count is written with its thousands grouped, as toLocaleString('en') writes it", () => {
  for (const count of [0, 7, 999, 1000, 6272, 65536, 1234567, 200704, -1200]) {
    assert.equal(countText(count), count.toLocaleString("en"));
  }
});

test("an entry is said with its matrix, row and column", () => {
  assert.equal(entrySentence("Δ₁", 2, 3, -0.0260137), "Δ₁ row 2 column 3: −0.026");
  assert.equal(entrySentence("Σ₂", 1, 1, NaN), "Σ₂ row 1 column 1: NaN (not a finite number)");
});

test("an entry's hover label and a shape", () => {
  assert.equal(entryLabel("∇W₁", 4, 2, 0.00671), "∇W₁[4, 2] = 0.00671");
  assert.equal(shapeText([4, 1]), "4 × 1");
});

test("the loss curve is said in a sentence: first, last and lowest J, and J not finite", () => {
  assert.equal(lossSentence([]), "");
  assert.equal(lossSentence([0.25]), "Objective J over 1 iteration: 0.25 at iteration 1.");
  assert.equal(
    lossSentence([0.71, 0.5, 0.0119, 0.0123]),
    "Objective J over 4 iterations: 0.71 at iteration 1, 0.0123 at iteration 4; " +
      "lowest 0.0119 at iteration 3.",
  );
  assert.equal(
    lossSentence([0.5, 3.2e7, Infinity, NaN]),
    "Objective J over 4 iterations: 0.5 at iteration 1, NaN at iteration 4; " +
      "not a finite number at 2.",
  );
});
