// api.js: a move's tensors, asked for as typed arrays, read back as rows of float64.

import assert from "node:assert/strict";
import { test } from "node:test";
import { typedRows, withRows } from "../../static/js/api.js";

/** A tensor as the server sends it with `encoding=binary`. */
function typed(name, rows) {
  const values = Float64Array.from(rows.flat());
  return {
    name,
    shape: [rows.length, rows[0].length],
    data: {
      dtype: "f8",
      bdata: Buffer.from(values.buffer).toString("base64"),
      shape: `${rows.length}, ${rows[0].length}`,
    },
  };
}

const cases = [
  {
    title: "a 2 × 3 matrix",
    rows: [
      [1, -2.5, 3],
      [0.1, 1e-300, -0],
    ],
  },
  { title: "a column", rows: [[1], [2], [3]] },
  { title: "a row", rows: [[0.5, 0.25, 0.125, 0.0625]] },
  {
    title: "entries that are not finite",
    rows: [
      [Number.NaN, Number.POSITIVE_INFINITY],
      [Number.NEGATIVE_INFINITY, 7],
    ],
  },
];

for (const { title, rows } of cases) {
  test(`the rows of ${title} are its entries, row by row`, () => {
    const read = typedRows(typed("W1", rows));

    assert.equal(read.length, rows.length);
    assert.deepEqual(
      read.map((row) => Array.from(row)),
      rows,
    );
  });
}

test("a move's typed tensors become rows; JSON rows and the rest of the answer stay as they are", () => {
  const json = { name: "b1", shape: [2, 1], data: [[1], ["NaN"]] };
  const answer = {
    session: { id: "s" },
    step: {
      index: 0,
      tensors: {
        W1: typed("W1", [
          [1, 2],
          [3, 4],
        ]),
        b1: json,
      },
    },
  };

  const read = withRows(answer);

  assert.deepEqual(
    read.step.tensors.W1.data.map((row) => Array.from(row)),
    [
      [1, 2],
      [3, 4],
    ],
  );
  assert.equal(read.step.tensors.b1, json);
  assert.deepEqual(read.session, { id: "s" });
});

test("a move before the first step has no tensors to read", () => {
  assert.deepEqual(withRows({ session: { id: "s" }, step: null }), {
    session: { id: "s" },
    step: null,
  });
});
