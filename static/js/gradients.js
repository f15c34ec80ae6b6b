// Every form of the gradient: for the layer of a backward step, ∇W_i (and ∇b_i) by the
// recursive form, the Hadamard chain (3)/(4), the diagonal chain (5) and finite differences,
// side by side, with the largest difference between them in words. The server computes them.

import { renderTex } from "./formulas.js";
import { entryValue, subscript } from "./state.js";
import { formatLong, formatShort } from "./numbers.js";

const SHORT_TITLES = {
  recursive: "Recursive (remark 3)",
  hadamard_chain: "Hadamard chain (3)/(4)",
  diagonal_chain: "Diagonal chain (5)",
  finite_differences: "Finite differences",
};

const COUNT_WORDS = { 2: "both", 3: "all three", 4: "all four" };

/** The largest difference in plain words, e.g. "All four agree to 3.2e−11." */
export function agreement(answer) {
  const count = answer.forms.length;
  const who = COUNT_WORDS[count] ?? `all ${count}`;
  const size = entryValue(answer.max_difference);
  const capital = who[0].toUpperCase() + who.slice(1);
  if (!Number.isFinite(size)) return `${capital} forms could not be compared: the run has diverged.`;
  if (size === 0) return `${capital} forms agree exactly, entry for entry.`;
  const written = size.toExponential(1).replace("e-", "e\u2212").replace("e+", "e");
  return `${capital} agree to ${written}: the largest difference of any entry between any two forms.`;
}

function table(tensor) {
  const element = document.createElement("table");
  element.className = "gradient-table";
  element.dataset.tensor = tensor.name;
  for (const row of tensor.data) {
    const tr = document.createElement("tr");
    for (const entry of row) {
      const td = document.createElement("td");
      const value = entryValue(entry);
      td.textContent = formatShort(value);
      td.title = formatLong(value);
      td.classList.toggle("is-negative", value < 0);
      tr.append(td);
    }
    element.append(tr);
  }
  return element;
}

function matrixBlock(tensor) {
  const block = document.createElement("div");
  block.className = "gradient-matrix";
  const label = document.createElement("div");
  label.className = "gradient-symbol";
  renderTex(label, tensor.latex);
  block.append(label, table(tensor));
  return block;
}

/** Draws the forms of `answer` (the API's GradientForms) for layer `layer` into `panel`. */
export function renderGradientForms(panel, answer, layer) {
  const list = panel.querySelector(".gradient-list");
  const summary = panel.querySelector(".gradient-summary");
  list.replaceChildren();
  for (const form of answer.forms) {
    const card = document.createElement("figure");
    card.className = "gradient-form";
    card.dataset.form = form.name;
    const caption = document.createElement("figcaption");
    caption.textContent = SHORT_TITLES[form.name] ?? form.name;
    caption.title = form.title;
    card.append(caption, matrixBlock(form.weights[layer - 1]));
    if (form.biases) card.append(matrixBlock(form.biases[layer - 1]));
    list.append(card);
  }
  summary.textContent = agreement(answer);
  const note = panel.querySelector(".gradient-note");
  note.textContent = answer.note ?? "";
  note.hidden = !answer.note;
  panel.querySelector(".gradient-heading").textContent =
    `∇W${subscript(layer)} by every form${answer.convention === "row" ? " (row convention, transposed)" : ""}`;
  panel.hidden = false;
}
