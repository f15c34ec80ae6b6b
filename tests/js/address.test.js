// The page's address: what each link asks of the page, and the address written back from the
// page's state; today's links read and write back unchanged.

import assert from "node:assert/strict";
import { test } from "node:test";

import { decodeSpec, encodeSpec, readAddress, writeAddress } from "../../static/js/address.js";

const PAGE = "http://127.0.0.1:8000/";

for (const [href, expected] of [
  [
    PAGE,
    {
      sessionId: null,
      convention: "column",
      view: "affine",
      layout: "panels",
      presenter: false,
      follow: null,
      spec: null,
      scale: "rdbu",
    },
  ],
  [
    `${PAGE}?session=abc&convention=row&view=homogeneous`,
    { sessionId: "abc", convention: "row", view: "homogeneous" },
  ],
  [`${PAGE}?presenter=1`, { presenter: true, layout: "equation" }],
  [`${PAGE}?presenter=1&layout=panels`, { presenter: true, layout: "panels" }],
  [`${PAGE}?layout=equation`, { presenter: false, layout: "equation" }],
  [`${PAGE}?follow=v9`, { follow: "v9", sessionId: null }],
  [`${PAGE}?scale=puor`, { scale: "puor" }],
  [
    `${PAGE}?convention=diagonal&view=flat&layout=grid&scale=rainbow`,
    { convention: "column", view: "affine", layout: "panels", scale: "rdbu" },
  ],
]) {
  test(`${href} is read as ${JSON.stringify(expected)}`, () => {
    const fields = readAddress(href);
    for (const [key, value] of Object.entries(expected)) assert.deepEqual(fields[key], value, key);
  });
}

test("a remembered colour scale is used where the address names none", () => {
  assert.equal(readAddress(PAGE, "contrast").scale, "contrast");
  assert.equal(readAddress(`${PAGE}?scale=puor`, "contrast").scale, "puor");
});

test("a spec survives the hash, UTF-8 included", () => {
  const spec = { layers: [2, 3, 1], activations: ["tanh", "sigmoid"], note: "η ∘ Σ′" };
  assert.deepEqual(readAddress(`${PAGE}#spec=${encodeSpec(spec)}`).spec, spec);
  assert.equal(decodeSpec("not base64 json!"), null);
  assert.equal(decodeSpec(encodeSpec([1, 2])), null); // a spec is an object
});

test("defaults are left out and other parameters are kept", () => {
  const state = { ...readAddress(`${PAGE}?debug=1`), sessionId: "s1", convention: "row" };
  assert.equal(
    writeAddress(`${PAGE}?debug=1&view=affine`, state),
    `${PAGE}?debug=1&session=s1&convention=row`,
  );
});

test("a followed session keeps no session id in the address", () => {
  const state = { ...readAddress(`${PAGE}?follow=v9`), sessionId: "s1" };
  assert.equal(writeAddress(`${PAGE}?follow=v9`, state), `${PAGE}?follow=v9`);
});

for (const href of [
  `${PAGE}?session=abc`,
  `${PAGE}?session=abc&convention=row&view=homogeneous&presenter=1`,
  `${PAGE}?presenter=1&layout=panels`,
  `${PAGE}?layout=equation`,
  `${PAGE}?follow=v9&convention=row`,
  `${PAGE}?session=abc&scale=puor#spec=${encodeSpec({ layers: [1, 1] })}`,
]) {
  test(`today's link ${href} reads and writes back unchanged`, () => {
    assert.equal(writeAddress(href, readAddress(href)), href);
  });
}
