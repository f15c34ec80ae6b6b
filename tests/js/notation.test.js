// The notation a step is shown in, from the store's state: names, the API's query and the
// words that say which one is on.

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  canEmbed,
  notationBadge,
  notationNote,
  notationQuery,
  shownName,
} from "../../static/js/notation.js";

const withBiases = { spec: { bias: true } };
const noBiases = { spec: { bias: false } };
const state = (convention, view, session = withBiases) => ({ convention, view, session });

describe("the homogeneous view needs biases", () => {
  for (const [session, embeds] of [
    [withBiases, true],
    [noBiases, false],
    [null, false],
  ]) {
    test(`a session ${JSON.stringify(session)} ${embeds ? "can" : "cannot"} be embedded`, () => {
      assert.equal(canEmbed(session), embeds);
    });
  }
});

describe("each notation", () => {
  for (const [convention, view, session, query, badge, name] of [
    ["column", "affine", withBiases, "", "column convention", "W₁"],
    ["row", "affine", withBiases, "convention=row", "row convention", "W₁ᵀ"],
    [
      "column",
      "homogeneous",
      withBiases,
      "view=homogeneous",
      "column convention · homogeneous Ŵ",
      "Ŵ₁",
    ],
    [
      "row",
      "homogeneous",
      withBiases,
      "convention=row&view=homogeneous",
      "row convention · homogeneous Ŵ",
      "Ŵ₁ᵀ",
    ],
    // Without biases there is nothing to embed: the affine network is shown and asked for.
    ["column", "homogeneous", noBiases, "", "column convention", "W₁"],
  ]) {
    test(`${convention}, ${view}, biases ${session.spec.bias}: ?${query}, "${badge}", ${name}`, () => {
      const shown = state(convention, view, session);
      assert.equal(notationQuery(shown), query);
      assert.equal(notationBadge(shown), badge);
      assert.equal(shownName("W1", shown), name);
    });
  }

  test("the note says the convention, and the embedding where it is on", () => {
    assert.match(notationNote(state("column", "affine")), /^Column convention \(the paper\)/);
    assert.match(notationNote(state("row", "affine")), /^Row convention/);
    assert.match(notationNote(state("row", "homogeneous")), /Homogeneous embedding/);
    assert.doesNotMatch(notationNote(state("row", "homogeneous", noBiases)), /Homogeneous/);
  });
});
