// api.js: a move's tensors, asked for as typed arrays, read back as rows of float64.

import assert from "node:assert/strict";
import { test } from "node:test";
import { holdParameters, keepTensors, typedRows, withRows } from "../../static/js/api.js";

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

test("a tensor sent without entries is given back those the page holds of the same iteration", () => {
  const move = (number, cursor, iteration, tensors) => ({
    session: { cursor, iteration },
    step: { number, tensors: Object.fromEntries(tensors.map((t) => [t.name, t])) },
  });
  const w1 = typed("W1", [[1, 2]]);
  keepTensors("s?", withRows(move(1, 1, 1, [w1, typed("X", [[3], [4]])])));
  const held = { name: "W1", shape: [1, 2], data: null };
  const update = keepTensors("s?", move(6, 0, 2, [held, typed("W1_new", [[5, 6]])]));
  assert.equal(update.step.tensors.W1.data, w1.data); // the rows already read, not a copy
  // The next iteration's W1 is another matrix: none of the last iteration's is given back.
  const next = { name: "W1", shape: [1, 2], data: null };
  assert.throws(() => keepTensors("s?", move(1, 1, 2, [next])));
  // Nor are another notation's (another key).
  const row = { name: "W1", shape: [1, 2], data: null };
  assert.throws(() => keepTensors("s?convention=row", move(6, 0, 2, [row])));
});

test("a session's weights are held as the W_i its iteration's first step shows", () => {
  const weights = [[Float64Array.of(1, 2)], [Float64Array.of(3)]];
  holdParameters({ id: "t", iteration: 4, weights });
  const step = (tensors) => ({
    session: { cursor: 1, iteration: 4 },
    step: { number: 1, tensors },
  });
  const first = keepTensors("t?", step({ W1: { name: "W1", shape: [1, 2], data: null } }));
  assert.equal(first.step.tensors.W1.data, weights[0]);
  holdParameters({ id: "t", iteration: 5, weights: [[Float64Array.of(7, 8)]] });
  assert.throws(() => keepTensors("t?", step({ W2: { name: "W2", shape: [1, 1], data: null } })));
});
