// Every form of the gradient: for the layer of a backward step, ∇W_i (and ∇b_i) by the
// recursive form, the Hadamard chain (3)/(4), the diagonal chain (5) and finite differences,
// side by side, drawn by the page's matrix renderer on one colour range, with the largest
// difference between them in words. The server computes them.

import { MatrixFigure } from "./matrix.js";
import { panelCells } from "./matrix-layout.js";
import { colourStops } from "./scales.js";
import { displayName, entryValue, subscript } from "./state.js";

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

/** The largest |entry| of the matrices `tensors`: one colour range for all forms, compared. */
function sharedRange(tensors) {
  let largest = 0;
  for (const tensor of tensors) {
    for (const row of tensor.data) {
      for (const entry of row) {
        const value = entryValue(entry);
        if (Number.isFinite(value)) largest = Math.max(largest, Math.abs(value));
      }
    }
  }
  return largest > 0 ? largest : 1;
}

/** One form's matrix, drawn by the page's matrix renderer in a card `room` pixels wide. */
function matrixBlock(tensor, range, stops, room) {
  const figure = new MatrixFigure("form");
  const [rows, cols] = tensor.shape;
  const { widest } = figure.prepare(tensor);
  const cells = panelCells({ rows, cols, room: room - 30, widest });
  figure.show({
    tensor,
    label: displayName(tensor.name),
    caption: tensor.latex,
    range,
    stops,
    ...cells,
    indexFont: 12,
    colourBar: false,
    maxFont: 14,
  });
  figure.element.dataset.form = "true";
  return figure.element;
}

/**
 * Draws the forms of `answer` (the API's GradientForms) for layer `layer` into `panel`, each
 * matrix coloured on one range for all forms (the same colour is the same value) with the
 * colour `stops` of the page.
 */
export function renderGradientForms(panel, answer, layer, stops = colourStops()) {
  const list = panel.querySelector(".gradient-list");
  const summary = panel.querySelector(".gradient-summary");
  list.replaceChildren();
  panel.hidden = false;
  // The width of a card: the list's, shared by the columns of its grid.
  const columns = getComputedStyle(list).gridTemplateColumns.trim().split(/\s+/).length;
  const room = list.clientWidth / columns - 16;
  const weights = answer.forms.map((form) => form.weights[layer - 1]);
  const biases = answer.forms.flatMap((form) => (form.biases ? [form.biases[layer - 1]] : []));
  const [weightRange, biasRange] = [sharedRange(weights), sharedRange(biases)];
  for (const form of answer.forms) {
    const card = document.createElement("div");
    card.className = "gradient-form";
    card.dataset.form = form.name;
    const caption = document.createElement("p");
    caption.className = "gradient-form-title";
    caption.textContent = SHORT_TITLES[form.name] ?? form.name;
    caption.title = form.title;
    card.append(caption, matrixBlock(form.weights[layer - 1], weightRange, stops, room));
    if (form.biases) card.append(matrixBlock(form.biases[layer - 1], biasRange, stops, room));
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
