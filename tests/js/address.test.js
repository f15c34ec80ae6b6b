// The page's address: what each link asks of the page, and the address written back from the
// page's state; today's links read and write back unchanged.

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  decodeSpec,
  encodeSpec,
  readAddress,
  readSpec,
  writeAddress,
} from "../../static/js/address.js";

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

describe("a #spec= that cannot be used says why", () => {
  const spec = { layers: [2, 3, 1], inputs: [[0, 1]], targets: [[1]] };
  const base64 = (text) =>
    Buffer.from(text)
      .toString("base64")
      .replaceAll("+", "-")
      .replaceAll("/", "_")
      .replace(/=+$/, "");
  for (const [what, text, problem] of [
    ["a spec", encodeSpec(spec), null],
    ["a spec refused later by the server", encodeSpec({ layers: [2, 0, 1] }), null],
    ["cut short", encodeSpec(spec).slice(0, 21), "unreadable"],
    ["not base64", "not base64 json!", "unreadable"],
    ["not UTF-8", base64("\xff\xfe"), "unreadable"],
    ["JSON of an object without layers", encodeSpec({ network: "2-3-1" }), "not-a-spec"],
    ["JSON of a list", encodeSpec([2, 3, 1]), "not-a-spec"],
    ["layers that are not a list", encodeSpec({ layers: "2-3-1" }), "not-a-spec"],
    ["JSON null", encodeSpec(null), "not-a-spec"],
  ]) {
    test(`${what}: ${problem ?? "used"}`, () => {
      assert.equal(readSpec(text).problem, problem);
      assert.equal(readAddress(`${PAGE}#spec=${text}`).specProblem, problem);
      assert.equal(readAddress(`${PAGE}#spec=${text}`).spec === null, problem !== null);
    });
  }

  test("an address without #spec= has no problem with it", () => {
    assert.equal(readAddress(PAGE).specProblem, null);
  });
});
