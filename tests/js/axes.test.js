// The training plots' axes: a diverged run (1e284, Infinity, NaN) stays readable.

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  finiteOrGap,
  MAX_TICKS,
  notFinite,
  positiveOrGap,
  valueAxis,
} from "../../static/js/axes.js";

describe("the training plots' axes", () => {
  test("what is not a finite number is a gap in the line", () => {
    assert.deepEqual(finiteOrGap([1, Infinity, Number.NaN, -2, -Infinity]), [
      1,
      null,
      null,
      -2,
      null,
    ]);
    assert.deepEqual(positiveOrGap([1, 0, -2, Infinity, 1e284]), [1, null, null, null, 1e284]);
    assert.equal(notFinite([1, Infinity, Number.NaN, 2]), 2);
  });

  test("values over more than two decades are on a log axis, from 1e-3 to 1e284 with few ticks", () => {
    const axis = valueAxis([1e-3, 1, 1e10, 1e284, Infinity, Number.NaN], "J");
    assert.equal(axis.type, "log");
    assert.equal(axis.dtick, 36); // 288 decades: a tick every 36, 8 of them
    assert.ok(288 / axis.dtick <= MAX_TICKS);
  });

  test("a few decades keep a tick each", () => {
    assert.deepEqual(
      [valueAxis([0.01, 10], "J").type, valueAxis([0.01, 10], "J").dtick],
      ["log", 1],
    );
  });

  test("values within two decades, or not all positive, are on a linear axis with few ticks", () => {
    for (const values of [[1, 50], [0, 1e6], [-1, 1e10], [Infinity, Number.NaN], []]) {
      const axis = valueAxis(values, "J");
      assert.deepEqual([axis.type, axis.nticks], ["linear", MAX_TICKS], JSON.stringify(values));
    }
  });

  test("the norms are on a log axis whenever one of them is positive", () => {
    assert.equal(valueAxis([null, 0.5, Infinity], "norm", { log: true }).type, "log");
    assert.equal(valueAxis([null, 0, Infinity], "norm", { log: true }).type, "linear");
  });
});
