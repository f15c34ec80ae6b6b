// Expression trees of formula lines, as a step answer's formulas carry them (`expression`): the
// server's own for the presets (expressions.json, written by the API), and the same forms for
// networks of any width, batch and depth, for the equation view's layout tests.

import { readFileSync } from "node:fs";

/** The presets' steps as the API answers them: "xor/column/5" → {title, shapes, expressions}. */
export const PRESET_STEPS = JSON.parse(
  readFileSync(new URL("./expressions.json", import.meta.url), "utf8"),
);

const tensor = (name, transpose = false) => ({ kind: "tensor", name, transpose, latex: name });
const op = (name, ...args) => ({ kind: "operation", op: name, args });
const equation = (lhs, rhs) => ({ kind: "equation", lhs, rhs });
const ones = (rows, cols) => ({
  kind: "ones",
  shape: [rows, cols],
  transpose: rows === 1,
  latex: "\\mathbf{1}",
});
const eta = { kind: "scalar", latex: "\\eta", value: 0.1, shape: null };

/** Forward, layer i: N_i = W_i Σ_{i−1} + b_i 1ᵀ, Σ_i = tanh(N_i), Σ'_i = tanh'(N_i). */
export const forward = (m, i = 1) => [
  equation(
    tensor(`N${i}`),
    op(
      "add",
      op("matmul", tensor(`W${i}`), tensor(i === 1 ? "X" : `Sigma${i - 1}`)),
      op("matmul", tensor(`b${i}`), ones(1, m)),
    ),
  ),
  equation(tensor(`Sigma${i}`), { kind: "apply", function: "\\tanh", args: [tensor(`N${i}`)] }),
  equation(tensor(`SigmaPrime${i}`), {
    kind: "apply",
    function: "\\tanh'",
    args: [tensor(`N${i}`)],
  }),
];

/** Backward, layer i < k: Δ_i = (W_{i+1}ᵀΔ_{i+1}) ∘ Σ'_i, ∇W_i = Δ_i Σ_{i−1}ᵀ, ∇b_i = Δ_i 1. */
export const backward = (m, i = 1) => [
  equation(
    tensor(`Delta${i}`),
    op(
      "hadamard",
      {
        kind: "group",
        name: `WTDelta${i}`,
        brackets: true,
        body: op("matmul", tensor(`W${i + 1}`, true), tensor(`Delta${i + 1}`)),
      },
      tensor(`SigmaPrime${i}`),
    ),
  ),
  equation(
    tensor(`gradW${i}`),
    op("matmul", tensor(`Delta${i}`), tensor(i === 1 ? "X" : `Sigma${i - 1}`, true)),
  ),
  equation(tensor(`gradb${i}`), op("matmul", tensor(`Delta${i}`), ones(m, 1))),
];

/** Update of layer i: W_i(new) = W_i − η∇W_i and b_i(new) = b_i − η∇b_i. */
export const update = (i) => [
  equation(
    tensor(`W${i}_new`),
    op("subtract", tensor(`W${i}`), op("scale", eta, tensor(`gradW${i}`))),
  ),
  equation(
    tensor(`b${i}_new`),
    op("subtract", tensor(`b${i}`), op("scale", eta, tensor(`gradb${i}`))),
  ),
];
