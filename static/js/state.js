// Pure helpers that read the page's state (store.js) and the API's records: names, positions,
// colour ranges, specs. No DOM, no requests, no maths: the server computes every number.

const NON_FINITE = { Infinity: Infinity, "-Infinity": -Infinity, NaN: NaN };

const SUBSCRIPT_DIGITS = "₀₁₂₃₄₅₆₇₈₉";

/** The iteration the shown step belongs to, numbered from 1 as the API numbers them (the
 * session's `iteration` is the one it is in): right after an update, the one just finished. */
export function shownIteration({ session, step }) {
  const finished = step !== null && session.cursor === 0 && session.iteration > 1;
  return finished ? session.iteration - 1 : session.iteration;
}

/** A JSON entry as a number: the strings "Infinity", "-Infinity" and "NaN" included. */
export function entryValue(entry) {
  if (typeof entry === "number") return entry;
  if (typeof entry === "string" && entry in NON_FINITE) return NON_FINITE[entry];
  return NaN;
}

/** Counts the entries of a tensor that are not finite numbers. */
export function nonFiniteCount(tensor) {
  let count = 0;
  for (const row of tensor.data) {
    for (const entry of row) {
      if (!Number.isFinite(entryValue(entry))) count += 1;
    }
  }
  return count;
}

/** The key under which a tensor's colour range is remembered: W1_new shares W1's scale. */
export function rangeKey(name) {
  return name.replace(/_new$/, "");
}

/**
 * The half-width r of the symmetric colour range [-r, r] for `tensor`: the largest |value| of
 * this tensor name seen since the session began, so a colour means the same value while stepping.
 */
export function colourRange(state, tensor) {
  const key = rangeKey(tensor.name);
  const largest = Math.max(state.ranges.get(key) ?? 0, largestMagnitude(tensor.data));
  state.ranges.set(key, largest);
  return largest > 0 ? largest : 1;
}

/** The largest |entry| of each list of rows seen: a step's tensors are read several times. */
const largest = new WeakMap();

/** The largest |entry| of `rows` (lists of numbers, or typed arrays), finite entries only; 0 if none. */
export function largestMagnitude(rows) {
  let found = largest.get(rows);
  if (found !== undefined) return found;
  found = 0;
  for (const row of rows) {
    for (let c = 0; c < row.length; c += 1) {
      // NaN (and the API's "NaN") compares false; ±∞ (and "Infinity", "-Infinity") is left out.
      const magnitude = Math.abs(row[c]);
      if (magnitude > found && magnitude !== Infinity) found = magnitude;
    }
  }
  largest.set(rows, found);
  return found;
}

/** Digits written as Unicode subscripts: 12 -> "₁₂". */
export function subscript(digits) {
  return String(digits).replace(/\d/g, (d) => SUBSCRIPT_DIGITS[Number(d)]);
}

/**
 * A tensor name of the API written for people in Unicode: "Delta2" -> "Δ₂", "gradW1" -> "∇W₁";
 * `transposed` (the row convention, where the server sends every matrix transposed) writes the
 * transpose as the server's LaTeX does: "Δ₂ᵀ", "W₁ᵀ (new)", W₂ᵀΔ₂ as "Δ₂ᵀW₂"; J stays J.
 * `hatted` (the homogeneous view) writes W and X as the embedded network's Ŵ and X̂.
 */
export function displayName(name, { transposed = false, hatted = false } = {}) {
  const t = transposed ? "ᵀ" : "";
  const W = hatted ? "Ŵ" : "W";
  let match = name.match(/^(W|b)(\d+)_new$/);
  if (match) return `${match[1] === "W" ? W : "b"}${subscript(match[2])}${t} (new)`;
  match = name.match(/^WTDelta(\d+)$/);
  if (match) {
    const next = subscript(Number(match[1]) + 1);
    return transposed ? `Δ${next}ᵀ${W}${next}` : `${W}${next}ᵀΔ${next}`;
  }
  match = name.match(/^(SigmaPrime|Sigma|Delta|gradW|gradb|W|b|N)(\d+)$/);
  if (match) {
    const symbol = {
      SigmaPrime: "Σ′",
      Sigma: "Σ",
      Delta: "Δ",
      gradW: `∇${W}`,
      gradb: "∇b",
      W,
      b: "b",
      N: "N",
    }[match[1]];
    return symbol + subscript(match[2]) + t;
  }
  if (name === "X" && hatted) return `X\u0302${t}`;
  return name === "J" ? name : name + t;
}

/** The plain-text title of a matrix panel, e.g. "Δ₂ ∈ ℝ^{4×1}", from its display name. */
export function plainTitle(label, shape) {
  return `${label} ∈ ℝ^{${shape[0]}×${shape[1]}}`;
}

/** Where the page is, as numbers and as the sentence shown above the strip. */
export function position(session, step) {
  const of = session.step_count;
  const number = step ? step.number : 0;
  // After the update the session has moved on to the next iteration, but the update shown
  // belongs to the one before.
  const iteration = shownIteration({ session, step });
  let where = "not started";
  if (step) where = step.layer === null ? step.phase : `${step.phase}, layer ${step.layer}`;
  return {
    iteration,
    number,
    of,
    text: `Iteration ${iteration} · step ${number} / ${of} · ${where}`,
  };
}

/** A short label for a strip item: "F1", "J", "B2", "U". */
export function shortLabel(item) {
  const letter = { forward: "F", objective: "J", backward: "B", update: "U" }[item.phase] ?? "?";
  return item.layer === null ? letter : `${letter}${item.layer}`;
}

/** A one-line description of a spec, e.g. "2–4–1 · tanh, sigmoid · squared error · η = 2 · m = 4". */
export function specSummary(spec) {
  const widths = spec.layers.join("–");
  const activations = spec.activations
    .map((a) => (Array.isArray(a) ? "per neuron" : a))
    .join(", ");
  const loss = spec.loss.replaceAll("_", " ");
  const bias = spec.bias ? "biases" : "no biases";
  return `${widths} · ${activations} · ${bias} · ${loss} · η = ${spec.learning_rate} · m = ${spec.inputs.length}`;
}

/** The id of the preset whose network, data and learning rate equal the spec's, or "". */
export function matchingPreset(presets, spec) {
  const key = (s) =>
    JSON.stringify([
      s.layers,
      typeof s.activations === "string" ? s.layers.slice(1).map(() => s.activations) : s.activations,
      s.bias ?? true,
      s.loss ?? "squared_error",
      s.inputs,
      s.loss === "network" ? null : s.targets,
      Number(s.learning_rate ?? 0.1),
    ]);
  const wanted = key(spec);
  const found = presets.find((p) => key(p.spec) === wanted);
  return found ? found.id : "";
}

/** Rows of numbers from CSV or tab-separated text (as pasted from a spreadsheet). */
export function parseTable(text) {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => line.split(/[,;\t]|\s+/).filter((cell) => cell !== "").map((cell) => cell.trim()));
}

/** A field's text as a number when it is one, else unchanged, so the API can say what is wrong. */
export function numberOrText(text) {
  const trimmed = String(text).trim();
  if (trimmed === "") return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : trimmed;
}

/**
 * A predicted entry as typed, as a number: a decimal comma is read as a point ("0,25"), the
 * minus sign "−" as "-", spaces around are dropped; null when it is empty or not a number
 * written in decimals ("1,234.5", "abc", "1/2", "0x10").
 */
export function readEntry(text) {
  const written = String(text).trim().replaceAll("\u2212", "-").replace(/^([-+]?\d*),(\d)/, "$1.$2");
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(written)) return null;
  const value = Number(written);
  return Number.isFinite(value) ? value : null;
}

/** How a prediction is graded, as a sentence's end: "within 0.001 · (1 + |value|)". */
export function toleranceText(tolerance) {
  return `within ${tolerance} · (1 + |value|) of the value`;
}

/** The API's 422 details as [field key, message] pairs, the key being the loc without "body". */
export function fieldErrors(detail) {
  if (!Array.isArray(detail)) return [["", String(detail)]];
  return detail.map((item) => {
    const loc = Array.isArray(item.loc) ? item.loc.filter((part, i) => !(i === 0 && part === "body")) : [];
    return [loc.join("."), item.msg ?? String(item)];
  });
}
