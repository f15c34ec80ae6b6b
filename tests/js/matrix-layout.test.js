// Where a matrix's cells, numbers and indices go.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  blockSize,
  drawPlan,
  entryAt,
  MIN_DRAWN_CELL,
  mergeBlocks,
  mergeNote,
  NUMBER_PADDING,
  numberFont,
  panelCells,
  pixelCells,
  tickIndices,
} from "../../static/js/matrix-layout.js";
import { formatValue } from "../../static/js/numbers.js";

/** Text about 0.55 of its font size wide per character, as a sans-serif font's digits are. */
const widthOf = (text) => (font) => text.length * 0.55 * font;

describe("tickIndices", () => {
  test("up to 16 every index is labelled", () => {
    assert.deepEqual(
      tickIndices(16, 100, true),
      [...Array(16).keys()].map((i) => i + 1),
    );
  });
  test("beyond, round steps as a plot's automatic ticks", () => {
    assert.deepEqual(tickIndices(32, 220, false), [5, 10, 15, 20, 25, 30]);
    assert.deepEqual(tickIndices(40, 320, true), [10, 20, 30, 40]);
    assert.deepEqual(tickIndices(784, 600, true), [100, 200, 300, 400, 500, 600, 700]);
  });
});

describe("cells under a few pixels are merged into blocks", () => {
  for (const [cell, block] of [
    [24, 1],
    [MIN_DRAWN_CELL, 1],
    [2, 2],
    [1, 3],
    [0.5, 6],
    [0.77, 4],
  ]) {
    test(`a ${cell} px cell is drawn in blocks of ${block}`, () => {
      assert.equal(blockSize(cell), block);
      assert.ok(block * cell >= MIN_DRAWN_CELL - 1e-9);
    });
  }

  test("a 256 × 784 matrix in 600 × 256 pixels averages 1 × 4 entries a drawn cell", () => {
    const plan = drawPlan({ rows: 256, cols: 784, cellWidth: 600 / 784, cellHeight: 1 });
    assert.ok(Math.abs(plan.width - 600) < 1e-9);
    assert.equal(plan.height, 256);
    assert.deepEqual([plan.blockRows, plan.blockCols], [3, 4]);
    assert.deepEqual([plan.drawnRows, plan.drawnCols], [86, 196]);
    assert.ok(plan.merged && !plan.gaps);
    assert.match(mergeNote(plan), /averages 3 × 4 entries/);
  });

  test("a small matrix is not merged and has gaps between its cells", () => {
    const plan = drawPlan({ rows: 4, cols: 4, cellWidth: 50, cellHeight: 30 });
    assert.ok(!plan.merged && plan.gaps);
    assert.equal(mergeNote(plan), "");
  });
});

describe("mergeBlocks", () => {
  test("averages each block, the last ones partial", () => {
    const values = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    const plan = drawPlan({ rows: 3, cols: 5, cellWidth: 1.5, cellHeight: 1.5 });
    assert.deepEqual([plan.blockRows, plan.blockCols], [2, 2]);
    assert.deepEqual(
      [...mergeBlocks(values, plan)],
      [(1 + 2 + 6 + 7) / 4, (3 + 4 + 8 + 9) / 4, (5 + 10) / 2, (11 + 12) / 2, (13 + 14) / 2, 15],
    );
  });

  test("a block with a non-finite entry is not finite, so it shows as a gap", () => {
    const values = Float64Array.from([1, Infinity, 3, 4]);
    const plan = drawPlan({ rows: 2, cols: 2, cellWidth: 1, cellHeight: 1 });
    const merged = mergeBlocks(values, plan);
    assert.equal(merged.length, 1);
    assert.ok(!Number.isFinite(merged[0]));
  });

  test("unmerged values are drawn as they are", () => {
    const values = Float64Array.from([1, 2]);
    assert.equal(
      mergeBlocks(values, drawPlan({ rows: 1, cols: 2, cellWidth: 9, cellHeight: 9 })),
      values,
    );
  });
});

describe("numberFont: numbers only where they fit at a readable size", () => {
  const widest = widthOf(formatValue(-0.0260137)); // "−0.026", 6 characters

  test("a wide cell takes the largest font up to the cap", () => {
    const plan = drawPlan({ rows: 4, cols: 4, cellWidth: 120, cellHeight: 80 });
    const font = numberFont({ plan, widest, maxFont: 32 });
    assert.equal(font, 32);
    assert.ok(widest(font) <= plan.cellWidth - 2 * NUMBER_PADDING);
  });

  test("the font never makes the widest number wider than its cell", () => {
    for (const cellWidth of [40, 47, 52, 60, 75, 90]) {
      const plan = drawPlan({ rows: 2, cols: 2, cellWidth, cellHeight: cellWidth });
      const font = numberFont({ plan, widest, maxFont: 40 });
      if (font > 0) assert.ok(widest(font) + 2 * NUMBER_PADDING <= cellWidth, `${cellWidth}`);
    }
  });

  test("a cell too small for a readable number shows its colour only", () => {
    const plan = drawPlan({ rows: 12, cols: 12, cellWidth: 30, cellHeight: 30 });
    assert.equal(numberFont({ plan, widest, maxFont: 24 }), 0);
  });

  test("a merged drawing has no numbers", () => {
    const plan = drawPlan({ rows: 2, cols: 2, cellWidth: 1, cellHeight: 100 });
    assert.equal(numberFont({ plan, widest: () => 0, maxFont: 24 }), 0);
  });

  test("the font is 0.6 of the cell's height at most", () => {
    const plan = drawPlan({ rows: 2, cols: 2, cellWidth: 300, cellHeight: 30 });
    assert.equal(numberFont({ plan, widest, maxFont: 40 }), 18);
  });
});

describe("pixelCells maps device pixels to drawn cells", () => {
  test("cells of 4 pixels with a gap of 1 at the end of each", () => {
    assert.deepEqual([...pixelCells(8, 2, 4, 1, 1)], [0, 0, 0, -1, 1, 1, 1, -1]);
  });
  test("cells of half a pixel in blocks of 2: one drawn cell a pixel", () => {
    assert.deepEqual([...pixelCells(4, 8, 0.5, 2, 0)], [0, 1, 2, 3]);
  });
});

test("entryAt finds the entry under a point, row 1 at the top, from 1", () => {
  const plan = drawPlan({ rows: 3, cols: 4, cellWidth: 10, cellHeight: 20 });
  assert.deepEqual(entryAt(plan, 0, 0), { row: 1, col: 1 });
  assert.deepEqual(entryAt(plan, 39.9, 59.9), { row: 3, col: 4 });
  assert.deepEqual(entryAt(plan, 25, 45), { row: 3, col: 3 });
  assert.deepEqual(entryAt(plan, 500, -3), { row: 1, col: 4 });
});

describe("panelCells", () => {
  const widest = widthOf("−0.0295");

  test("a small matrix gets cells wide enough for its numbers", () => {
    const { cellWidth, cellHeight } = panelCells({ rows: 4, cols: 4, room: 600, widest });
    assert.ok(cellWidth >= widest(12) + 2 * NUMBER_PADDING);
    assert.equal(cellHeight, 40);
  });

  test("a matrix too wide for its room with numbers is drawn narrower, colours only", () => {
    const { cellWidth } = panelCells({ rows: 4, cols: 16, room: 500, widest });
    assert.ok(cellWidth >= 22 && cellWidth * 16 <= 500);
  });

  test("a matrix of many rows takes at most 320 px, merged when drawn", () => {
    const { cellHeight } = panelCells({ rows: 256, cols: 784, room: 600, widest });
    assert.equal(256 * cellHeight, 320);
    assert.equal(blockSize(cellHeight), 3);
    assert.equal(panelCells({ rows: 40, cols: 4, room: 600, widest }).cellHeight, 220 / 40);
  });

  test("the numbers of a matrix of more than 12 rows are not measured: none are written", () => {
    const asked = [];
    const counted = (font) => asked.push(font) && widest(font);
    panelCells({ rows: 256, cols: 8, room: 600, widest: counted });
    panelCells({ rows: 13, cols: 2, room: 600, widest: counted });
    assert.deepEqual(asked, []);
    panelCells({ rows: 12, cols: 2, room: 600, widest: counted });
    assert.equal(asked.length, 1);
  });

  test("the numbers of a matrix whose columns cannot take 44 px each are not measured", () => {
    const asked = [];
    const counted = (font) => asked.push(font) && widest(font);
    const unmeasured = panelCells({ rows: 10, cols: 128, room: 600, widest: counted });
    assert.deepEqual(asked, []);
    assert.deepEqual(unmeasured, { cellWidth: 3, cellHeight: 26 }); // colours only, as before
    panelCells({ rows: 10, cols: 13, room: 600, widest: counted }); // 13 × 44 = 572 px fit
    assert.equal(asked.length, 1);
  });

  test("784 columns are narrowed to the room, down to half a pixel", () => {
    assert.equal(panelCells({ rows: 256, cols: 784, room: 600, widest }).cellWidth, 600 / 784);
    assert.equal(panelCells({ rows: 4, cols: 2000, room: 600, widest }).cellWidth, 0.5);
  });
});
