import assert from "node:assert/strict";
import { test } from "node:test";

import { PAGE_ENTRIES, summaryText, tablePage } from "../../static/js/matrix-table.js";
import { valueSpread } from "../../static/js/matrix-values.js";

test("a small matrix is one page of whole rows", () => {
  const page = tablePage(4, 3);
  assert.deepEqual([page.rowBlocks, page.colBlocks], [1, 1]);
  assert.deepEqual([page.first, page.last, page.firstCol, page.lastCol], [1, 4, 1, 3]);
});

test("a tall matrix of rows up to 40 wide pages through whole rows", () => {
  const page = tablePage(100, 32, 1);
  assert.equal(page.colBlocks, 1);
  assert.deepEqual([page.first, page.last, page.firstCol, page.lastCol], [13, 24, 1, 32]);
});

test("a 256 × 784 gradient pages 20 × 20, never a whole row of 784 entries", () => {
  const page = tablePage(256, 784, 1, 39);
  assert.deepEqual([page.rowBlocks, page.colBlocks], [13, 40]);
  assert.deepEqual([page.first, page.last, page.firstCol, page.lastCol], [21, 40, 781, 784]);
  const entries = (page.last - page.first + 1) * (page.lastCol - page.firstCol + 1);
  assert.ok(entries <= PAGE_ENTRIES);
});

test("blocks past either end are clamped to the last one", () => {
  const page = tablePage(256, 784, 99, -3);
  assert.deepEqual([page.rowBlock, page.colBlock, page.first, page.firstCol], [12, 0, 241, 1]);
});

/** A grid of `rows` (arrays) named `label`, as a MatrixFigure hands it to its table. */
function grid(label, rows) {
  return {
    label,
    rows: rows.length,
    cols: rows[0].length,
    at: (r, c) => rows[r - 1][c - 1],
    spread: valueSpread(rows.flat()),
  };
}

test("a closed table says the matrix's name, shape and range", () => {
  const text = summaryText(
    grid("Δ₁", [
      [-0.52, 0.1, 0.73],
      [0, 0.2, -0.1],
    ]),
  );
  assert.equal(text, "Table of Δ₁, 2 × 3, entries −0.52 to 0.73");
});

test("a closed table says its entries that are not finite, and a lone entry as one", () => {
  assert.equal(
    summaryText(
      grid("Σ₂", [
        [1, Number.NaN],
        [Number.POSITIVE_INFINITY, -2],
      ]),
    ),
    "Table of Σ₂, 2 × 2, entries −2 to 1, 2 not finite",
  );
  assert.equal(summaryText(grid("w₁", [[0.5]])), "Table of w₁, 1 × 1, entry 0.5");
  assert.equal(summaryText(grid("0", [[0, 0]])), "Table of 0, 1 × 2, every entry 0");
});
