// Every form of the gradient: for the layer of a backward step, ∇W_i (and ∇b_i) by the
// recursive form, the Hadamard chain (3)/(4), the diagonal chain (5) and finite differences,
// each written out as the paper writes it (with the layer's indices and the size under every
// factor) next to its numbers, and how far each is from the recursive form. The server
// computes and writes all of it; this module only lays it out. A matrix up to 16 × 16 is a
// table of its entries; a larger one a heatmap drawn on one canvas (a few DOM nodes, however
// many entries), with its largest difference from the recursive form said in words.

import { fitFormulas, renderTex, markSizeLabels } from "./formulas.js";
import { entryValue, subscript } from "./state.js";
import { formatLong, formatShort } from "./numbers.js";
import { colourAt } from "./scales.js";

const SHORT_TITLES = {
  recursive: "Recursive (remark 3)",
  hadamard_chain: "Hadamard chain (3)/(4)",
  diagonal_chain: "Diagonal chain (5)",
  finite_differences: "Finite differences",
};

const COUNT_WORDS = { 2: "both", 3: "all three", 4: "all four" };

/** The most rows, and columns, written as a table; larger matrices are drawn as heatmaps. */
export const MAX_TABLE_SIDE = 16;

/** The widest and tallest a heatmap of the panel is drawn, and its widest cell, in pixels. */
const HEATMAP_PIXELS = 240;
const MAX_CELL = 16;

function exponential(size) {
  return size.toExponential(1).replace("e-", "e\u2212").replace("e+", "e");
}

/** The largest difference in plain words, e.g. "All four agree to 3.2e−11." */
export function agreement(answer) {
  const count = answer.forms.length;
  const who = COUNT_WORDS[count] ?? `all ${count}`;
  const size = entryValue(answer.max_difference);
  const capital = who[0].toUpperCase() + who.slice(1);
  if (!Number.isFinite(size)) return `${capital} forms could not be compared: the run has diverged.`;
  if (size === 0) return `${capital} forms agree exactly, entry for entry.`;
  return `${capital} agree to ${exponential(size)}: the largest difference of any entry between any two forms.`;
}

/** How far one form is from the recursive form, in words. */
export function differenceText(form, difference) {
  if (form.name === "recursive") return "The reference the other forms are compared with.";
  const size = entryValue(difference);
  if (!Number.isFinite(size)) return "Not comparable: the run has diverged.";
  if (size === 0) return "Equal to the recursive form, entry for entry.";
  return `Largest difference from the recursive form: ${exponential(size)}.`;
}

function base64Floats(bdata) {
  const bytes = atob(bdata);
  const buffer = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += 1) buffer[i] = bytes.charCodeAt(i);
  return new Float64Array(buffer.buffer);
}

/** A tensor's entries row-major as numbers, from nested lists or a typed array. */
export function entriesOf(tensor) {
  const { data } = tensor;
  if (Array.isArray(data)) return Float64Array.from(data.flat(), entryValue);
  return base64Floats(data.bdata);
}

function table(tensor, values) {
  const [rows, cols] = tensor.shape;
  const element = document.createElement("table");
  element.className = "gradient-table";
  element.dataset.tensor = tensor.name;
  for (let r = 0; r < rows; r += 1) {
    const tr = document.createElement("tr");
    for (let c = 0; c < cols; c += 1) {
      const value = values[r * cols + c];
      const td = document.createElement("td");
      td.textContent = formatShort(value);
      td.title = formatLong(value);
      td.classList.toggle("is-negative", value < 0);
      tr.append(td);
    }
    element.append(tr);
  }
  return element;
}

/** 256 colours of the scale in use, [r, g, b] each, from −range (0) to +range (255). */
function palette() {
  const colours = [];
  for (let i = 0; i < 256; i += 1) {
    colours.push(colourAt(i / 255).match(/\d+/g).map(Number));
  }
  return colours;
}

/**
 * A heatmap of a large matrix on one canvas: one pixel an entry drawn off screen, then scaled
 * to at most HEATMAP_PIXELS a side (averaged when shrunk). Row 1 at the top; zero is the
 * scale's middle colour; non-finite entries are grey.
 */
function heatmap(tensor, values) {
  const [rows, cols] = tensor.shape;
  const range = values.reduce((m, v) => (Number.isFinite(v) ? Math.max(m, Math.abs(v)) : m), 0) || 1;
  const colours = palette();
  const source = document.createElement("canvas");
  source.width = cols;
  source.height = rows;
  const context = source.getContext("2d");
  const image = context.createImageData(cols, rows);
  for (let i = 0; i < values.length; i += 1) {
    const v = values[i];
    const [r, g, b] = Number.isFinite(v) ? colours[Math.round(((v / range + 1) / 2) * 255)] : [150, 150, 150];
    image.data.set([r, g, b, 255], i * 4);
  }
  context.putImageData(image, 0, 0);
  // Each side on its own scale: a column of 256 is a band, not a line one pixel wide.
  const across = Math.min(HEATMAP_PIXELS / cols, MAX_CELL);
  const down = Math.min(HEATMAP_PIXELS / rows, MAX_CELL);
  const canvas = document.createElement("canvas");
  canvas.className = "gradient-heatmap";
  canvas.dataset.tensor = tensor.name;
  canvas.width = Math.max(1, Math.round(cols * across));
  canvas.height = Math.max(1, Math.round(rows * down));
  const drawn = canvas.getContext("2d");
  drawn.imageSmoothingEnabled = across < 1 || down < 1;
  drawn.drawImage(source, 0, 0, canvas.width, canvas.height);
  canvas.setAttribute("role", "img");
  canvas.setAttribute(
    "aria-label",
    `Heatmap of ${rows} × ${cols} entries, from ${formatShort(-range)} (first colour) to ${formatShort(range)}; row 1 at the top.`,
  );
  return canvas;
}

function matrixBlock(tensor) {
  const block = document.createElement("div");
  block.className = "gradient-matrix";
  const label = document.createElement("div");
  label.className = "gradient-symbol";
  const [rows, cols] = tensor.shape;
  renderTex(label, `${tensor.latex} \\in \\mathbb{R}^{${rows}\\times ${cols}}`);
  const values = entriesOf(tensor);
  const small = rows <= MAX_TABLE_SIDE && cols <= MAX_TABLE_SIDE;
  block.append(label, small ? table(tensor, values) : heatmap(tensor, values));
  return block;
}

function formulaBlock(formula) {
  const line = document.createElement("div");
  line.className = "gradient-formula formula-maths";
  renderTex(line, markSizeLabels(formula.latex_shapes), { display: true });
  return line;
}

/** Draws the forms of `answer` (the API's GradientForms for `?layer=i`) into `panel`. */
export function renderGradientForms(panel, answer, layer) {
  const list = panel.querySelector(".gradient-list");
  const summary = panel.querySelector(".gradient-summary");
  const at = answer.layer ? 0 : layer - 1;
  list.replaceChildren();
  for (const form of answer.forms) {
    const card = document.createElement("figure");
    card.className = "gradient-form";
    card.dataset.form = form.name;
    const caption = document.createElement("figcaption");
    caption.textContent = SHORT_TITLES[form.name] ?? form.name;
    caption.title = form.title;
    card.append(caption, ...(form.formulas ?? []).map(formulaBlock));
    card.append(matrixBlock(form.weights[at]));
    if (form.biases) card.append(matrixBlock(form.biases[at]));
    const difference = document.createElement("p");
    difference.className = "gradient-difference";
    difference.textContent = differenceText(form, form.differences?.[at]);
    card.append(difference);
    list.append(card);
  }
  summary.textContent = agreement(answer);
  const note = panel.querySelector(".gradient-note");
  note.textContent = answer.note ?? "";
  note.hidden = !answer.note;
  panel.querySelector(".gradient-heading").textContent =
    `∇W${subscript(layer)} by every form${answer.convention === "row" ? " (row convention, transposed)" : ""}`;
  panel.hidden = false;
  fitFormulas(list); // a long chain is made smaller to fit its card, then scrolls sideways
}
