// The pixels of a matrix: colours centred on zero, merged blocks, gaps and marked non-finite cells.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { drawPlan } from "../../static/js/matrix-layout.js";
import {
  colourOf,
  colourTable,
  GAP_RGB,
  HATCH_RGB,
  inkFor,
  LEVELS,
  levelOf,
  luminance,
  paintCells,
} from "../../static/js/matrix-paint.js";
import { SCALES } from "../../static/js/scales.js";

const table = colourTable(SCALES.rdbu.stops);
const pixelAt = (pixels, width, x, y) => [
  ...pixels.slice((y * width + x) * 4, (y * width + x) * 4 + 3),
];

describe("the colour scale is diverging and centred on zero", () => {
  for (const name of Object.keys(SCALES)) {
    const scale = colourTable(SCALES[name].stops);
    test(`${name}: zero is the middle stop, −r and r the ends`, () => {
      const stops = SCALES[name].stops;
      const hex = (rgb) => `#${rgb.map((c) => c.toString(16).padStart(2, "0")).join("")}`;
      assert.equal(hex(colourOf(scale, 0, 3)), stops.find(([t]) => t === 0.5)[1]);
      assert.equal(hex(colourOf(scale, -3, 3)), stops[0][1]);
      assert.equal(hex(colourOf(scale, 3, 3)), stops.at(-1)[1]);
    });
  }

  test("values beyond the range take the end colours", () => {
    assert.equal(levelOf(10, 1), LEVELS - 1);
    assert.equal(levelOf(-10, 1), 0);
  });

  test("non-finite entries are grey", () => {
    assert.deepEqual(colourOf(table, NaN, 1), GAP_RGB);
    assert.deepEqual(colourOf(table, -Infinity, 1), GAP_RGB);
  });
});

test("the ink of a number contrasts with its cell by at least 4.5 to 1 on every scale", () => {
  for (const { stops } of Object.values(SCALES)) {
    const scale = colourTable(stops);
    for (let level = 0; level < LEVELS; level += 1) {
      const colour = [...scale.slice(level * 3, level * 3 + 3)];
      const ink = inkFor(colour) === "#000000" ? 0 : 1;
      const [light, dark] = [luminance(colour), ink];
      const contrast = (Math.max(light, dark) + 0.05) / (Math.min(light, dark) + 0.05);
      assert.ok(contrast >= 4.5, `level ${level}: ${contrast}`);
    }
  }
});

describe("paintCells", () => {
  test("row 1 on top, column 1 on the left, a gap between cells", () => {
    // 2 × 3: row 1 negative to positive, row 2 all zero; cells of 10 CSS px at ratio 1.
    const values = Float64Array.from([-1, 0, 1, 0, 0, 0]);
    const plan = drawPlan({ rows: 2, cols: 3, cellWidth: 10, cellHeight: 10 });
    const [width, height] = [30, 20];
    const pixels = new Uint8ClampedArray(width * height * 4);
    paintCells({ pixels, width, height, ratio: 1, values, plan, range: 1, table });
    assert.deepEqual(pixelAt(pixels, width, 2, 2), colourOf(table, -1, 1));
    assert.deepEqual(pixelAt(pixels, width, 25, 2), colourOf(table, 1, 1));
    assert.deepEqual(pixelAt(pixels, width, 15, 15), colourOf(table, 0, 1));
    assert.deepEqual(pixelAt(pixels, width, 9, 2), GAP_RGB, "the last pixel of a cell is its gap");
    assert.deepEqual(pixelAt(pixels, width, 2, 9), GAP_RGB);
  });

  test("at twice the resolution the gap is two device pixels", () => {
    const values = Float64Array.from([1, 1]);
    const plan = drawPlan({ rows: 1, cols: 2, cellWidth: 10, cellHeight: 10 });
    const [width, height] = [40, 20];
    const pixels = new Uint8ClampedArray(width * height * 4);
    paintCells({ pixels, width, height, ratio: 2, values, plan, range: 1, table });
    assert.deepEqual(pixelAt(pixels, width, 17, 5), colourOf(table, 1, 1));
    assert.deepEqual(pixelAt(pixels, width, 18, 5), GAP_RGB);
    assert.deepEqual(pixelAt(pixels, width, 19, 5), GAP_RGB);
    assert.deepEqual(pixelAt(pixels, width, 20, 5), colourOf(table, 1, 1));
  });

  test("a non-finite entry is grey, hatched with darker lines", () => {
    const values = Float64Array.from([NaN]);
    const plan = drawPlan({ rows: 1, cols: 1, cellWidth: 20, cellHeight: 20 });
    const pixels = new Uint8ClampedArray(20 * 20 * 4);
    paintCells({ pixels, width: 20, height: 20, ratio: 1, values, plan, range: 1, table });
    const colours = new Set();
    for (let y = 0; y < 19; y += 1)
      for (let x = 0; x < 19; x += 1) colours.add(String(pixelAt(pixels, 20, x, y)));
    assert.deepEqual(colours, new Set([String(GAP_RGB), String(HATCH_RGB)]));
  });

  test("a hatched cell's lines run on down its rows beside cells whose rows repeat", () => {
    // 2 × 2 cells of 10 px: row 1 holds NaN, so each of its pixel rows has its own hatching.
    const values = Float64Array.from([NaN, 0.5, 0.25, -0.5]);
    const plan = drawPlan({ rows: 2, cols: 2, cellWidth: 10, cellHeight: 10 });
    const [width, height] = [20, 20];
    const pixels = new Uint8ClampedArray(width * height * 4);
    paintCells({ pixels, width, height, ratio: 1, values, plan, range: 1, table });
    const row = (y) => String(pixels.subarray(y * width * 4, (y + 1) * width * 4));
    assert.notEqual(row(1), row(0), "the hatching moves along with each row");
    assert.deepEqual(pixelAt(pixels, width, 0, 0), HATCH_RGB);
    assert.deepEqual(pixelAt(pixels, width, 0, 1), GAP_RGB);
    assert.deepEqual(pixelAt(pixels, width, 3, 1), HATCH_RGB);
    for (let y = 11; y < 19; y += 1) assert.equal(row(y), row(10), `pixel row ${y}`);
    assert.deepEqual(pixelAt(pixels, width, 15, 18), colourOf(table, -0.5, 1));
  });

  test("merged blocks are painted with their average", () => {
    // 1 × 8 entries in 4 pixels: blocks of 6 entries (3 px), the last one of 2.
    const values = Float64Array.from([1, 1, -1, -1, 0.5, 0.5, 0, 0]);
    const plan = drawPlan({ rows: 1, cols: 8, cellWidth: 0.5, cellHeight: 4 });
    const pixels = new Uint8ClampedArray(plan.width * plan.height * 4);
    paintCells({
      pixels,
      width: plan.width,
      height: plan.height,
      ratio: 1,
      values,
      plan,
      range: 1,
      table,
    });
    assert.equal(plan.blockCols, 6);
    assert.deepEqual(pixelAt(pixels, plan.width, 0, 0), colourOf(table, 1 / 6, 1));
    assert.deepEqual(pixelAt(pixels, plan.width, 2, 0), colourOf(table, 1 / 6, 1));
    assert.deepEqual(pixelAt(pixels, plan.width, 3, 0), colourOf(table, 0, 1));
  });
});
