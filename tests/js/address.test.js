// The page's address: what each link asks of the page, and the address written back from the
// page's state; today's links read and write back unchanged.

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  decodeSpec,
  encodeSpec,
  JSON_NUMBERS,
  LINK_NUMBERS,
  linkedSpec,
  networkLink,
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

test("a spec the address holds is not written again while it is the same", () => {
  // Written by another writer (spaces, a number as Python writes it): kept as it is.
  const text = Buffer.from('{"layers": [1, 1], "learning_rate": 1e-05}').toString("base64url");
  const href = `${PAGE}#spec=${text}`;
  const state = { ...readAddress(href), sessionId: "s1" };
  assert.deepEqual(state.spec, { layers: [1, 1], learning_rate: 0.00001 });
  assert.equal(writeAddress(href, state, new Set(["spec"])), `${PAGE}?session=s1#spec=${text}`);
  // A spec changed is written from the state.
  const changed = { ...state, spec: { layers: [2, 1] } };
  assert.equal(
    writeAddress(href, changed),
    `${PAGE}?session=s1#spec=${encodeSpec({ layers: [2, 1] })}`,
  );
  // A spec the address could not be read as is left out, kept or not.
  const bad = `${PAGE}#spec=${text.slice(0, 5)}`;
  assert.equal(writeAddress(bad, readAddress(bad), new Set(["spec"])), PAGE);
});

test("encodeSpec writes base64url without padding, the browser's encoder or not", () => {
  const spec = { layers: [2, 3, 1], note: "η ∘ Σ′ ??>>" };
  const expected = Buffer.from(JSON.stringify(spec)).toString("base64url");
  assert.equal(encodeSpec(spec), expected);
  const native = Uint8Array.prototype.toBase64;
  try {
    delete Uint8Array.prototype.toBase64;
    assert.equal(encodeSpec(spec), expected);
  } finally {
    if (native) Uint8Array.prototype.toBase64 = native;
  }
});

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

describe("a network's link", () => {
  const seeded = { layers: [2, 2, 1], seed: 3, init: "xavier", weights: null, biases: null };
  const small = {
    ...seeded,
    weights: [
      [
        [1, 2],
        [3, 4],
      ],
      [[5, 6]],
    ],
    biases: [[0, 0], [0]],
  };
  const matrix = (rows, cols) => Array.from({ length: rows }, () => Array(cols).fill(0.5));
  const big = {
    layers: [784, 256, 10],
    seed: 0,
    init: "he",
    weights: [matrix(256, 784), matrix(10, 256)],
    biases: [Array(256).fill(0), Array(10).fill(0)],
  };

  test("a seeded network's link carries its seed and initialisation, not weights", () => {
    const { href, leftOut } = networkLink("http://host:9/course/?session=s1", seeded);
    assert.equal(href, `http://host:9/course/#spec=${encodeSpec(seeded)}`);
    assert.equal(leftOut, 0);
  });

  test("a few explicit weights stay in the link", () => {
    assert.deepEqual(linkedSpec(small), { spec: small, leftOut: 0 });
    assert.deepEqual(readAddress(networkLink(PAGE, small).href).spec, small);
  });

  test("big explicit weights are left out of the link, which says how many", () => {
    const { href, leftOut } = networkLink(PAGE, big);
    assert.equal(leftOut, 256 * 784 + 10 * 256 + 266);
    assert.deepEqual(readAddress(href).spec, { ...big, weights: null, biases: null });
    assert.ok(href.length < 2000, `${href.length} characters`);
  });

  test("the page's own address leaves them out the same way", () => {
    const written = writeAddress(`${PAGE}?session=s1`, { ...readAddress(PAGE), spec: big });
    assert.deepEqual(readAddress(written).spec, { ...big, weights: null, biases: null });
    assert.equal(LINK_NUMBERS, 1000);
  });
});

describe("a big batch in the link", () => {
  // 8 samples of 784 numbers and their one-hot targets: 6,352 numbers, more than JSON_NUMBERS.
  const draw = (seed) => () => {
    seed = (seed * 16807) % 2147483647;
    return (seed / 2147483647 - 0.5) * 7.3e-3 ** (seed % 3);
  };
  const next = draw(42);
  const inputs = Array.from({ length: 8 }, () => Array.from({ length: 784 }, next));
  inputs[0][0] = -0;
  inputs[0][1] = Number.MIN_VALUE;
  inputs[0][2] = 1e308;
  const targets = Array.from({ length: 8 }, (_, j) =>
    Array.from({ length: 10 }, (_, r) => +(r === j)),
  );
  const spec = { layers: [784, 256, 128, 10], seed: 0, inputs, targets, learning_rate: 0.1 };

  test("is written after the JSON as float64 bytes, and read back as the same doubles", () => {
    const text = encodeSpec(spec);
    const [head, x, y, ...more] = text.split(".");
    assert.deepEqual(more, []);
    assert.deepEqual(JSON.parse(Buffer.from(head, "base64url")), {
      layers: [784, 256, 128, 10],
      seed: 0,
      learning_rate: 0.1,
    });
    assert.equal(Buffer.from(x, "base64url").length, 8 * 784 * 8);
    assert.equal(Buffer.from(y, "base64url").readDoubleLE(8 * (10 + 1)), 1); // sample 1's 1
    const read = readSpec(text).spec;
    assert.deepEqual(read, spec);
    assert.ok(Object.is(read.inputs[0][0], -0));
    assert.equal(read.inputs[0][1], Number.MIN_VALUE);
  });

  test("is less than half as long as its JSON", () => {
    const json = Buffer.from(JSON.stringify(spec)).toString("base64url");
    assert.ok(
      encodeSpec(spec).length < json.length / 2,
      `${encodeSpec(spec).length} of ${json.length}`,
    );
    const asJson = JSON.parse(JSON.stringify(spec)); // -0 written as 0
    assert.deepEqual(readSpec(json).spec, asJson, "a link written before is read as it was");
  });

  test("is read without the browser's own base64 decoder too", () => {
    const native = Uint8Array.fromBase64;
    try {
      delete Uint8Array.fromBase64;
      assert.deepEqual(readSpec(encodeSpec(spec)).spec, spec);
    } finally {
      if (native) Uint8Array.fromBase64 = native;
    }
  });

  test("without targets has one part after the JSON", () => {
    const { targets: _, ...network } = { ...spec, loss: "network", layers: [784, 3, 1] };
    const text = encodeSpec(network);
    assert.equal(text.split(".").length, 2);
    assert.deepEqual(readSpec(text).spec, network);
  });

  test("stays JSON up to JSON_NUMBERS numbers, and where its rows do not fit the layers", () => {
    const small = { layers: [2, 2, 1], inputs: [[0, 1]], targets: [[1]] };
    assert.equal(JSON_NUMBERS, 256);
    assert.equal(encodeSpec(small), Buffer.from(JSON.stringify(small)).toString("base64url"));
    const ragged = { ...spec, inputs: [...inputs.slice(1), [1, 2]] };
    assert.ok(!encodeSpec(ragged).includes("."), "the server says what does not fit");
    const misfit = { ...spec, layers: [783, 10] };
    assert.deepEqual(readSpec(encodeSpec(misfit)).spec, JSON.parse(JSON.stringify(misfit)));
  });

  for (const [what, damage] of [
    ["cut short in its inputs", (t) => t.slice(0, t.indexOf(".") + 999)],
    ["cut short in its targets", (t) => t.slice(0, -5)],
    ["with a part too many", (t) => `${t}.AAAAAAAAAAA`],
    ["with a part that is not base64", (t) => t.replace(".", ".!")],
  ]) {
    test(`${what} is unreadable`, () => {
      const text = damage(encodeSpec(spec));
      assert.equal(readSpec(text).problem, "unreadable");
      assert.equal(readAddress(`${PAGE}#spec=${text}`).specProblem, "unreadable");
    });
  }
});
