// The diverging colour scales: zero is white (or nearly) in the middle of each, the ends dark.

import assert from "node:assert/strict";
import { test } from "node:test";

import { colourAt, colourStops, DEFAULT_SCALE, SCALES } from "../../static/js/scales.js";

const rgb = (text) => text.match(/\d+/g).map(Number);
const lightness = (text) => rgb(text).reduce((sum, v) => sum + v, 0) / 3;

for (const name of Object.keys(SCALES)) {
  test(`the ${name} scale is lightest at zero and darkens towards both ends`, () => {
    const zero = lightness(colourAt(0.5, name));
    assert.ok(zero >= 245, `zero is ${colourAt(0.5, name)}`);
    for (const [inner, outer] of [
      [0.4, 0.1],
      [0.6, 0.9],
    ]) {
      assert.ok(lightness(colourAt(inner, name)) < zero);
      assert.ok(lightness(colourAt(outer, name)) < lightness(colourAt(inner, name)));
    }
    assert.deepEqual(colourStops(name)[0][0], 0);
    assert.deepEqual(colourStops(name).at(-1)[0], 1);
  });
}

test("values off the scale are clamped, and a value that is not a number is zero's colour", () => {
  assert.equal(colourAt(-3), colourAt(0));
  assert.equal(colourAt(7), colourAt(1));
  assert.equal(colourAt(Number.NaN), colourAt(0.5));
});

test("an unknown scale is the default one", () => {
  assert.equal(colourStops("rainbow"), colourStops(DEFAULT_SCALE));
  assert.equal(colourAt(0.2, "rainbow"), colourAt(0.2, DEFAULT_SCALE));
  assert.equal(colourAt(1, "rdbu"), "rgb(103, 0, 31)");
});
