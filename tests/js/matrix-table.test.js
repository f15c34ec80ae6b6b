import assert from "node:assert/strict";
import { test } from "node:test";

import { PAGE_ENTRIES, tablePage } from "../../static/js/matrix-table.js";

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
