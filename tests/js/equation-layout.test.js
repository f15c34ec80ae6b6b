// The equation view's layout: a formula line as its parts, their sizes, and the cells that fit
// every line of a step on one screen.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  chooseDensity,
  fitCells,
  fitLines,
  formulaParts,
  lineParts,
  lineSize,
  packLines,
  partNames,
  partSize,
} from "../../static/js/equation-layout.js";
import { backward, forward, PRESET_STEPS, update } from "./expressions.js";

/** What a part shows, in short: "Delta1", "W2ᵀ", "=", "(…)". */
function written(parts) {
  return parts.map((part) => {
    if (part.kind === "matrix") return part.name + (part.transposed ? "ᵀ" : "");
    if (part.kind === "ones") return `1[${part.rows}×${part.cols}]`;
    if (part.kind === "symbol") return part.text;
    if (part.kind === "text") return part.latex;
    return `(${written(part.parts).join(" ")})${part.name ? `=${part.name}` : ""}`;
  });
}

describe("lineParts reads a formula in the order it is written", () => {
  const xor = (n, line, tag = "column") =>
    written(lineParts(PRESET_STEPS[`xor/${tag}/${n}`].expressions[line]));

  test("Δ₁ = (W₂ᵀ · Δ₂) ∘ Σ'₁, the product a bracketed sub-result", () => {
    assert.deepEqual(xor(5, 0), ["Delta1", "=", "(W2ᵀ · Delta2)=WTDelta1", "∘", "SigmaPrime1"]);
  });
  test("in the row convention: Δ₁ᵀ = (Δ₂ᵀ · W₂) ∘ Σ'₁ᵀ, the factors the other way round", () => {
    assert.deepEqual(xor(5, 0, "row"), [
      "Delta1",
      "=",
      "(Delta2 · W2ᵀ)=WTDelta1",
      "∘",
      "SigmaPrime1",
    ]);
  });
  test("N₁ = W₁ · X + b₁ · 1ᵀ", () => {
    assert.deepEqual(xor(1, 0), ["N1", "=", "W1", "·", "X", "+", "b1", "·", "1[1×4]"]);
  });
  test("Σ₁ = tanh(N₁): a function applied to a bracket", () => {
    assert.deepEqual(xor(1, 1), ["Sigma1", "=", "\\tanh", "(N1)"]);
  });
  test("G = 1/m (Σ₂ − Y): a looser operation inside a tighter one is bracketed", () => {
    assert.deepEqual(xor(3, 1), ["G", "=", "\\frac{1}{m}", "(Sigma2 − Y)"]);
  });
  test("J = 1/(2m) Σ_j ‖Σ₂[:,j] − Y[:,j]‖²: what holds no matrix is one piece of text", () => {
    const [j, equals, text] = xor(3, 0);
    assert.deepEqual([j, equals], ["J", "="]);
    assert.match(
      text,
      /^\\frac\{1\}\{2m\}.*\\lVert \\Sigma_\{2\}\[:,j\] - Y\[:,j\] \\rVert\^\{2\}$/,
    );
  });
  test("W₁(new) = W₁ − η ∇W₁: a scalar times a matrix has no operator between them", () => {
    assert.deepEqual(xor(6, 0), ["W1_new", "=", "W1", "−", "\\eta", "gradW1"]);
  });
  test("the 1-D chain multiplies numbers side by side, as its formulas: Δ₂ = Δ₃ w₃ σ′₂", () => {
    const chain = (n, line) =>
      written(lineParts(PRESET_STEPS[`paper-1d-chain/column/${n}`].expressions[line]));
    assert.deepEqual(chain(6, 0), ["Delta2", "=", "(Delta3 W3)=WTDelta2", "SigmaPrime2"]);
    const signal = lineParts(PRESET_STEPS["paper-1d-chain/column/6"].expressions[0])[2];
    assert.equal(signal.brackets, false); // Δ₃ w₃ is drawn without brackets, as written
    assert.deepEqual(chain(7, 2), [
      "gradW1",
      ...["=", "SigmaPrime3", "W3", "SigmaPrime2", "W2", "SigmaPrime1", "X"],
    ]);
  });
  test("∇W₁ = Δ₁ · Xᵀ: a transposed factor", () => {
    assert.deepEqual(xor(5, 1), ["gradW1", "=", "Delta1", "·", "Xᵀ"]);
  });
  test("the names drawn by a line, sub-results included", () => {
    const expression = PRESET_STEPS["xor/column/5"].expressions[0];
    assert.deepEqual(partNames(lineParts(expression)), [
      "Delta1",
      "WTDelta1",
      "W2",
      "Delta2",
      "SigmaPrime1",
    ]);
  });
  test("Δ₁ᵀ in the Q&A's names: Δ₂ written out is drawn as the one matrix Δ₂ the step sends", () => {
    const { expressions, shapes } = PRESET_STEPS["qa-one-hidden/qa/5"];
    const parts = lineParts(expressions[0], (name) => name in shapes);
    assert.deepEqual(written(parts), [
      "Delta1",
      "=",
      "(Delta2 · W2ᵀ)=WTDelta1",
      "∘",
      "SigmaPrime1",
    ]);
    const delta2 = parts[2].parts[0];
    assert.equal(delta2.latex, "(Y - Y^{*}) \\circ f'(HW + B)");
  });
  test("a line the Q&A writes without naming its result shows the result after it", () => {
    const { expressions, shapes } = PRESET_STEPS["qa-one-hidden/qa/4"];
    const has = (name) => name in shapes;
    const formula = { expression: expressions[0], result: "Delta2" };
    // (Y − Y*) ∘ f′(HW + B) → Δ₂, its factors drawn where the step sends them.
    assert.deepEqual(written(formulaParts(formula, has)), ["(G ∘ SigmaPrime2)=Delta2"]);
    // A line with its result on the left is the tree's own.
    const named = { expression: expressions[1], result: "gradW2" };
    assert.deepEqual(formulaParts(named, has), lineParts(expressions[1], has));
  });
  test("∂J/∂W = Hᵀ((Y − Y*) ∘ f′(HW + B)): a Hadamard product inside a product is bracketed", () => {
    const { expressions, shapes } = PRESET_STEPS["qa-one-hidden/qa/4"];
    const parts = lineParts(expressions[1], (name) => name in shapes);
    assert.deepEqual(written(parts), ["gradW2", "=", "Sigma1ᵀ", "·", "(G ∘ SigmaPrime2)=Delta2"]);
    // The tree writes Δ₂ without brackets of its own; as a factor of the product it has them.
    assert.equal(parts.at(-1).brackets, true);
  });
  test("every line of every preset's step is read, in every notation", () => {
    for (const [key, { expressions, shapes }] of Object.entries(PRESET_STEPS)) {
      for (const expression of expressions) {
        const names = partNames(lineParts(expression, (name) => name in shapes));
        assert.ok(names.length > 0, key);
        for (const name of names) assert.ok(name in shapes, `${key}: ${name}`);
      }
    }
  });
  test("an unknown operator is an error, not a silent gap", () => {
    const bad = {
      kind: "operation",
      op: "divide",
      args: [
        { kind: "tensor", name: "X" },
        { kind: "tensor", name: "Y" },
      ],
    };
    assert.throws(() => lineParts(bad), /no operator "divide"/);
  });
});

// --- sizes: a network's shapes, and text measured as the page would ---------------------------

const LABEL = { width: 40, height: 30 };
const UNDER = { width: 44, height: 20 };
const metrics = { gap: 8, lineGap: 16, index: () => ({ width: 0, height: 0 }), stacked: true };

/**
 * The parts of `expression` with shapes from `shapes` (name → [rows, cols] as sent) and the
 * sizes of their text, as the page measures them.
 */
function measured(expression, shapes) {
  const dress = (part) => {
    if (part.kind === "matrix") {
      const [r, c] = shapes[part.name];
      return {
        ...part,
        rows: part.transposed ? c : r,
        cols: part.transposed ? r : c,
        label: LABEL,
        under: UNDER,
      };
    }
    if (part.kind === "ones") return { ...part, label: LABEL, under: UNDER };
    if (part.kind === "group") {
      const sub = part.name ? dress({ kind: "matrix", name: part.name, transposed: false }) : null;
      return {
        ...part,
        parts: part.parts.map(dress),
        open: 12,
        close: 12,
        brace: 16,
        arrow: 24,
        sub,
      };
    }
    return { ...part, box: { width: 24, height: 30 } };
  };
  return { parts: lineParts(expression).map(dress), caption: null };
}

/** The shapes of every tensor of a network of `widths` on a batch of m, column convention. */
function shapesOf(widths, m) {
  const shapes = { X: [widths[0], m], G: [widths.at(-1), m] };
  for (let i = 1; i < widths.length; i += 1) {
    const [n, before] = [widths[i], widths[i - 1]];
    for (const name of ["N", "Sigma", "SigmaPrime", "Delta"]) shapes[`${name}${i}`] = [n, m];
    shapes[`W${i}`] = shapes[`W${i}_new`] = shapes[`gradW${i}`] = [n, before];
    shapes[`b${i}`] = shapes[`b${i}_new`] = shapes[`gradb${i}`] = [n, 1];
    shapes[`WTDelta${i - 1}`] = [before, m];
  }
  return shapes;
}

describe("sizes", () => {
  const shapes = shapesOf([2, 4, 1], 4);

  test("a factor is as wide as its columns and as tall as its rows, cells square", () => {
    const [, , , , sigma] = measured(backward(4)[0], shapes).parts;
    assert.deepEqual(partSize(sigma, 20, metrics), { width: 80, height: 30 + 80 + 20, cells: 80 });
  });

  test("a 4 × 1 column is tall and thin, a 1 × 4 row flat", () => {
    const group = measured(backward(4)[0], shapes).parts[2];
    const [w2t, , delta2] = group.parts;
    assert.deepEqual([w2t.rows, w2t.cols, delta2.rows, delta2.cols], [4, 1, 1, 4]);
    assert.equal(partSize(w2t, 30, metrics).cells, 120);
    assert.equal(partSize(delta2, 30, metrics).cells, 30);
  });

  test("a labelled factor is never narrower than its name and size", () => {
    const [, , , , sigma] = measured(backward(4)[0], shapes).parts;
    assert.equal(partSize(sigma, 2, metrics).width, 44);
  });

  test("a bracketed sub-result holds its factors and its result under a brace", () => {
    const group = measured(backward(4)[0], shapes).parts[2];
    const size = partSize(group, 10, metrics);
    // W₂ᵀ (4 × 1, its label 40 wide) · Δ₂ (1 × 4) in brackets; W₂ᵀΔ₂ (4 × 4) below.
    assert.equal(size.width, 12 + 44 + 8 + 24 + 8 + 44 + 12);
    assert.equal(size.height, 30 + 40 + 20 + 16 + (30 + 40 + 20));
  });

  test("beside its bracket, a sub-result follows an arrow", () => {
    const group = measured(backward(4)[0], shapes).parts[2];
    const size = partSize(group, 10, { ...metrics, stacked: false });
    assert.equal(size.width, 12 + 44 + 8 + 24 + 8 + 44 + 12 + 8 + 24 + 8 + 44);
    assert.equal(size.height, 30 + 40 + 20);
  });

  test("lines grow with their cells", () => {
    const line = measured(backward(4)[1], shapes);
    assert.ok(lineSize(line, 30, metrics).width > lineSize(line, 20, metrics).width);
  });
});

describe("fitLines: every line of a step on one screen", () => {
  const box = { width: 1240, height: 560 };

  test("XOR's backward step fits with big cells, the same in every line", () => {
    const shapes = shapesOf([2, 4, 1], 4);
    const lines = backward(4).map((e) => measured(e, shapes));
    const fit = fitLines(lines, box, metrics, { most: 96 });
    assert.ok(fit.fits);
    assert.ok(fit.height <= box.height);
    assert.ok(Math.min(...fit.cells) >= 50, String(fit.cells));
    assert.equal(new Set(fit.cells).size, 1);
  });

  test("on a wide screen the sub-result goes beside its bracket", () => {
    const shapes = shapesOf([2, 4, 1], 4);
    const lines = backward(4).map((e) => measured(e, shapes));
    const wide = fitLines(lines, box, metrics, { most: 96 });
    assert.equal(wide.stacked, false);
    const stacked = fitCells(lines, box, { ...metrics, stacked: true }, { most: 96 });
    assert.ok(Math.min(...stacked.cells) < Math.min(...wide.cells));
  });

  test("on a narrow, tall box it goes under its bracket, where cells are much bigger", () => {
    const shapes = shapesOf([2, 4, 1], 4);
    const lines = backward(4).map((e) => measured(e, shapes));
    const narrow = { width: 520, height: 1400 };
    const fit = fitLines(lines, narrow, metrics, { most: 96 });
    assert.equal(fit.stacked, true);
    const beside = fitCells(lines, narrow, { ...metrics, stacked: false }, { most: 96 });
    assert.ok(Math.min(...fit.cells) >= 1.15 * Math.min(...beside.cells));
  });

  test("small lines sit side by side when they fit the width", () => {
    const shapes = shapesOf([2, 4, 1], 4);
    const lines = backward(4).map((e) => measured(e, shapes));
    const packed = packLines(lines, [10, 10, 10], box, metrics);
    assert.deepEqual(
      packed.rows.map((row) => row.lines),
      [[0, 1, 2]],
    );
  });

  test("a line too wide for the box alone gets smaller cells than the others", () => {
    const shapes = shapesOf([2, 16, 1], 16);
    const lines = backward(16).map((e) => measured(e, shapes));
    const fit = fitLines(lines, { width: 700, height: 2000 }, metrics, { most: 64 });
    assert.ok(fit.fits);
    assert.ok(fit.cells[0] < fit.cells[2], String(fit.cells));
    lines.forEach((line, i) => {
      assert.ok(lineSize(line, fit.cells[i], metrics).width <= 700);
    });
  });

  test("an update of 8 layers of 16 (16 lines) fits in rows of several lines", () => {
    const widths = [16, 16, 16, 16, 16, 16, 16, 16, 16];
    const shapes = shapesOf(widths, 16);
    const lines = [1, 2, 3, 4, 5, 6, 7, 8]
      .flatMap((i) => update(i))
      .map((e) => measured(e, shapes));
    const fit = fitLines(lines, box, metrics);
    assert.ok(fit.fits, `height ${fit.height}`);
    assert.ok(fit.rows.length < lines.length);
    assert.ok(Math.min(...fit.cells) >= 2);
  });

  for (const [widths, m] of [
    [[16, 16, 16], 16],
    [[2, 16, 16, 1], 16],
    [[16, 1], 16],
    [[1, 16], 1],
  ]) {
    test(`every step of ${widths.join("-")} with m = ${m} fits 1240 × 560`, () => {
      const shapes = shapesOf(widths, m);
      const k = widths.length - 1;
      const steps = [update(1), forward(m), ...(k > 1 ? [backward(m)] : [])];
      for (const step of steps) {
        const lines = step.map((e) => measured(e, shapes));
        const fit = fitLines(lines, box, metrics);
        assert.ok(fit.fits, `${k} layers: ${fit.height}`);
      }
    });
  }

  test("what cannot fit is said, at the least cell", () => {
    const shapes = shapesOf([2, 400, 1], 4);
    const lines = backward(4).map((e) => measured(e, shapes));
    const fit = fitLines(lines, { width: 600, height: 300 }, metrics, { least: 2 });
    assert.equal(fit.fits, false);
    assert.ok(fit.cells.every((cell) => cell === 2));
  });
});

describe("chooseDensity: the roomiest way to draw a step that still shows its cells", () => {
  const fit = (fits, ...cells) => ({ fits, cells });
  test("the first density whose cells are big enough", () => {
    assert.equal(chooseDensity([fit(true, 40, 40), fit(true, 60, 60)]), 0);
    assert.equal(chooseDensity([fit(false, 2), fit(true, 6), fit(true, 12), fit(true, 20)]), 2);
  });
  test("else the one that fits with the biggest cells", () => {
    assert.equal(chooseDensity([fit(false, 2), fit(true, 4), fit(true, 8), fit(true, 7)]), 2);
  });
  test("a line as small at every density does not decide", () => {
    const lines = (typical) => [0.48, typical, typical, typical];
    assert.equal(
      chooseDensity([fit(true, 0.24, 0.24), fit(true, ...lines(0.8)), fit(true, ...lines(0.94))]),
      2,
    );
  });
  test("else the densest", () => {
    assert.equal(chooseDensity([fit(false, 2), fit(false, 2)]), 1);
  });
});
