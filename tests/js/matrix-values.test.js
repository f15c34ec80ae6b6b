// A tensor's entries as the renderer reads them: one Float64Array with its shape, however sent.
import assert from "node:assert/strict";
import { test } from "node:test";

import { matrixValues, sameValues, valueSpread } from "../../static/js/matrix-values.js";

const rows = {
  shape: [2, 3],
  data: [
    [1, -2, "NaN"],
    [4, "Infinity", 6],
  ],
};

test("JSON rows become row-major entries, their strings read as numbers", () => {
  const { rows: r, cols: c, values } = matrixValues(rows);
  assert.deepEqual([r, c], [2, 3]);
  assert.deepEqual([...values], [1, -2, NaN, 4, Infinity, 6]);
});

test("transposed, the shape swaps and the entries follow", () => {
  const { rows: r, cols: c, values } = matrixValues(rows, true);
  assert.deepEqual([r, c], [3, 2]);
  assert.deepEqual([...values], [1, 4, -2, Infinity, NaN, 6]);
});

test("rows that are views of one typed array are read as it is, not copied", () => {
  const whole = new Float64Array([1, 2, 3, 4, 5, 6]);
  const views = [whole.subarray(0, 3), whole.subarray(3, 6)];
  const { values } = matrixValues({ shape: [2, 3], data: views });
  assert.equal(values.buffer, whole.buffer);
  assert.deepEqual([...values], [1, 2, 3, 4, 5, 6]);
});

test("the binary encoding is read bit for bit, and transposed when asked", () => {
  const sent = new Float64Array([0.1, -0, Number.NaN, 1e-300]);
  const bdata = Buffer.from(sent.buffer).toString("base64");
  const tensor = { shape: [2, 2], data: { dtype: "f8", bdata, shape: "2, 2" } };
  assert.ok(sameValues(matrixValues(tensor).values, sent));
  assert.deepEqual([...matrixValues(tensor, true).values], [0.1, Number.NaN, -0, 1e-300]);
});

test("two arrays hold the same entries only when every one is the same, NaN included", () => {
  assert.ok(sameValues(new Float64Array([1, Number.NaN]), new Float64Array([1, Number.NaN])));
  assert.ok(!sameValues(new Float64Array([0]), new Float64Array([-0])));
  assert.ok(!sameValues(new Float64Array([1]), new Float64Array([1, 2])));
  assert.ok(!sameValues(null, new Float64Array([1])));
});

test("the spread of entries is their finite low and high, and a count of those not finite", () => {
  assert.deepEqual(valueSpread(matrixValues(rows).values), { low: -2, high: 6, bad: 2 });
  assert.deepEqual(valueSpread(new Float64Array([0.5])), { low: 0.5, high: 0.5, bad: 0 });
  const none = valueSpread([Number.NaN, Number.NEGATIVE_INFINITY]);
  assert.deepEqual(none, { low: Infinity, high: -Infinity, bad: 2 });
});
