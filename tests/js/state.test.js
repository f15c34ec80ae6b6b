// The pure helpers that read the page's state and the API's records: names written for people,
// where the page is, colour ranges, specs and the editor's fields.

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  colourRange,
  displayName,
  entryValue,
  fieldErrors,
  largestMagnitude,
  matchingPreset,
  nonFiniteCount,
  numberOrText,
  parseTable,
  position,
  readEntry,
  shortLabel,
  shownIteration,
  specSummary,
  toleranceText,
} from "../../static/js/state.js";

describe("a tensor's name for people", () => {
  for (const [name, options, expected] of [
    ["Delta2", {}, "Δ₂"],
    ["SigmaPrime1", {}, "Σ′₁"],
    ["gradW12", {}, "∇W₁₂"],
    ["gradb3", {}, "∇b₃"],
    ["W1_new", {}, "W₁ (new)"],
    ["b2_new", { transposed: true }, "b₂ᵀ (new)"],
    ["WTDelta1", {}, "W₂ᵀΔ₂"],
    ["WTDelta1", { transposed: true }, "Δ₂ᵀW₂"],
    ["Delta2", { transposed: true }, "Δ₂ᵀ"],
    ["W1", { hatted: true }, "Ŵ₁"],
    ["gradW1", { hatted: true, transposed: true }, "∇Ŵ₁ᵀ"],
    ["X", { hatted: true }, "X\u0302"],
    ["J", { transposed: true }, "J"],
    ["Y", { transposed: true }, "Yᵀ"],
  ]) {
    test(`${name} ${JSON.stringify(options)} is written ${expected}`, () => {
      assert.equal(displayName(name, options), expected);
    });
  }
});

describe("where the page is", () => {
  // The API numbers iterations from 1: a session's `iteration` is the one it is in.
  const session = (iteration, cursor) => ({ iteration, cursor, step_count: 6 });
  for (const [iteration, cursor, step, text, shown] of [
    [1, 0, null, "Iteration 1 · step 0 / 6 · not started", 1],
    [
      1,
      2,
      { number: 2, phase: "forward", layer: 2 },
      "Iteration 1 · step 2 / 6 · forward, layer 2",
      1,
    ],
    [
      1,
      3,
      { number: 3, phase: "objective", layer: null },
      "Iteration 1 · step 3 / 6 · objective",
      1,
    ],
    // After the update the session is in the next iteration; the update shown is the last one's.
    [2, 0, { number: 6, phase: "update", layer: null }, "Iteration 1 · step 6 / 6 · update", 1],
    [2, 0, null, "Iteration 2 · step 0 / 6 · not started", 2],
  ]) {
    test(`iteration ${iteration}, cursor ${cursor}: "${text}"`, () => {
      assert.equal(position(session(iteration, cursor), step).text, text);
      assert.equal(shownIteration({ session: session(iteration, cursor), step }), shown);
    });
  }

  for (const [item, label] of [
    [{ phase: "forward", layer: 1 }, "F1"],
    [{ phase: "objective", layer: null }, "J"],
    [{ phase: "backward", layer: 2 }, "B2"],
    [{ phase: "update", layer: null }, "U"],
  ]) {
    test(`the strip labels ${item.phase} ${item.layer ?? ""} as ${label}`, () => {
      assert.equal(shortLabel(item), label);
    });
  }
});

describe("entries and colour ranges", () => {
  test("the API's non-finite strings are numbers, anything else is NaN", () => {
    assert.equal(entryValue(1.5), 1.5);
    assert.equal(entryValue("Infinity"), Infinity);
    assert.equal(entryValue("-Infinity"), -Infinity);
    assert.ok(Number.isNaN(entryValue("NaN")));
    assert.ok(Number.isNaN(entryValue("1.5")));
    assert.equal(
      nonFiniteCount({
        data: [
          [1, "NaN"],
          ["Infinity", 0],
        ],
      }),
      2,
    );
  });

  test("a colour range grows with the largest |value| of its tensor and W₁ (new) shares W₁'s", () => {
    const state = { ranges: new Map() };
    assert.equal(colourRange(state, { name: "W1", data: [[0.5, -2]] }), 2);
    assert.equal(colourRange(state, { name: "W1_new", data: [[1]] }), 2);
    assert.equal(colourRange(state, { name: "W1", data: [[-3, "NaN"]] }), 3);
    assert.equal(colourRange(state, { name: "Delta1", data: [[0]] }), 1); // all zero: [-1, 1]
  });

  test("the largest |value| of typed rows leaves out what is not finite, and holds when read again", () => {
    const values = new Float64Array([0.5, -4, Number.NaN, Number.NEGATIVE_INFINITY, 3, 1]);
    const rows = [values.subarray(0, 3), values.subarray(3, 6)];
    assert.equal(largestMagnitude(rows), 4);
    assert.equal(largestMagnitude(rows), 4);
    assert.equal(largestMagnitude([["NaN", "Infinity"]]), 0);
    assert.equal(largestMagnitude([[-2, "-Infinity", Number.POSITIVE_INFINITY, -0]]), 2);
    const state = { ranges: new Map() };
    assert.equal(colourRange(state, { name: "W1", data: rows }), 4);
    assert.equal(colourRange(state, { name: "W1_new", data: [[5]] }), 5);
    assert.equal(colourRange(state, { name: "W1", data: rows }), 5); // the range never shrinks
  });
});

describe("specs", () => {
  const xor = {
    layers: [2, 4, 1],
    activations: ["tanh", "sigmoid"],
    bias: true,
    loss: "squared_error",
    learning_rate: 2,
    inputs: [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ],
    targets: [[0], [1], [1], [0]],
  };

  test("a spec is summed up in one line", () => {
    assert.equal(
      specSummary(xor),
      "2–4–1 · tanh, sigmoid · biases · squared error · η = 2 · m = 4",
    );
  });

  test("the preset of a spec is found whatever the defaults written out", () => {
    const presets = [{ id: "xor", spec: { ...xor, bias: undefined, loss: undefined } }];
    assert.equal(matchingPreset(presets, xor), "xor");
    assert.equal(matchingPreset(presets, { ...xor, learning_rate: 0.5 }), "");
  });
});

describe("the editor's fields", () => {
  test("pasted CSV, tab- or space-separated cells become rows; comments and blank lines go", () => {
    assert.deepEqual(parseTable("# x1, x2\n0, 1\n\n1\t0\r\n 2  3 "), [
      ["0", "1"],
      ["1", "0"],
      ["2", "3"],
    ]);
  });

  for (const [text, value] of [
    ["2.5", 2.5],
    [" -1e-3 ", -0.001],
    ["", null],
    ["abc", "abc"],
    ["Infinity", "Infinity"],
  ]) {
    test(`the field "${text}" is sent as ${JSON.stringify(value)}`, () => {
      assert.equal(numberOrText(text), value);
    });
  }

  test("the API's 422 details name the field without the body", () => {
    const detail = [
      { loc: ["body", "layers", 1], msg: "must be ≥ 1" },
      { loc: ["body"], msg: "bad" },
    ];
    assert.deepEqual(fieldErrors(detail), [
      ["layers.1", "must be ≥ 1"],
      ["", "bad"],
    ]);
    assert.deepEqual(fieldErrors("no JSON"), [["", "no JSON"]]);
  });
});

describe("a predicted entry as typed", () => {
  for (const [text, value] of [
    ["0.25", 0.25],
    ["0,25", 0.25], // a decimal comma is read as a point
    ["-0,5", -0.5],
    ["\u22120.5", -0.5], // the minus sign
    [" 2.5e-3 ", 0.0025],
    ["1,5e-3", 0.0015],
    [",5", 0.5],
    ["-.5", -0.5],
    ["3", 3],
    ["", null],
    ["zero", null],
    ["1,234.5", null], // a thousands separator is not a decimal comma
    ["1,2,3", null],
    ["1/2", null],
    ["0x10", null],
    ["Infinity", null],
    ["1e400", null],
  ]) {
    test(`"${text}" is read as ${value}`, () => {
      assert.equal(readEntry(text), value);
    });
  }

  test("the tolerance is said as the API grades it", () => {
    assert.equal(toleranceText(0.01), "within 0.01 · (1 + |value|) of the value");
  });
});
