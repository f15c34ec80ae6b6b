// Every form of the gradient: for the layer of a backward step, ∇W_i (and ∇b_i) by the
// recursive form, the Hadamard chain (3)/(4), the diagonal chain (5) and finite differences,
// each written out as the paper writes it (the layer's indices, the size under every factor)
// next to its numbers, drawn by the page's matrix renderer on one colour range (a big matrix
// downsampled on one canvas), with its largest difference from the recursive form in words.
// The server computes and writes all of it.

import { fitFormulas, formulaNote, markSizeLabels, renderTex } from "./formulas.js";
import { MatrixFigure } from "./matrix.js";
import { matrixValues } from "./matrix-values.js";
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

/** How far one form is from the recursive form, in words. */
export function differenceText(form, difference) {
  if (form.name === "recursive") return "The reference the other forms are compared with.";
  const size = entryValue(difference);
  if (!Number.isFinite(size)) return "Not comparable: the run has diverged.";
  if (size === 0) return "Equal to the recursive form, entry for entry.";
  const written = size.toExponential(1).replace("e-", "e\u2212").replace("e+", "e");
  return `Largest difference from the recursive form: ${written}.`;
}

/** The largest |entry| of the matrices `tensors` (JSON rows or typed arrays): one colour
 * range for all forms, compared. */
function sharedRange(tensors) {
  let largest = 0;
  for (const tensor of tensors) {
    for (const value of matrixValues(tensor).values) {
      if (Number.isFinite(value)) largest = Math.max(largest, Math.abs(value));
    }
  }
  return largest > 0 ? largest : 1;
}

/** A form's line written out, with the size under every factor, and its note. */
function formulaBlock(formula) {
  const line = document.createElement("div");
  line.className = "gradient-formula formula-maths";
  line.tabIndex = 0; // a long chain scrolls sideways: the keyboard reaches it too
  renderTex(line, markSizeLabels(formula.latex_shapes), { display: true });
  return formula.note ? [line, formulaNote(formula.note)] : [line];
}

/**
 * A line giving a result an earlier line of its form gave already (∇W₁ per sample with ⊗, (4),
 * after (3)): the same gradient written another way, in a closed <details> whose formula is
 * written out when it is first opened (a chain of a wide layer is hundreds of nodes).
 */
function laterBlock(formula) {
  const details = document.createElement("details");
  details.className = "gradient-more";
  const summary = document.createElement("summary");
  summary.textContent = `The same ${displayName(formula.result)}, written another way`;
  details.append(summary);
  details.addEventListener(
    "toggle",
    () => {
      details.append(...formulaBlock(formula));
      fitFormulas(details);
    },
    { once: true },
  );
  return [details];
}

/** The lines of a form: each result's first line written out, a later one of it collapsed. */
function formulaBlocks(formulas) {
  const given = new Set();
  return formulas.flatMap((formula) => {
    const again = formula.result !== null && given.has(formula.result);
    given.add(formula.result);
    return again ? laterBlock(formula) : formulaBlock(formula);
  });
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
  const at = answer.layer ? 0 : layer - 1; // `?layer=i` answers that layer alone
  const weights = answer.forms.map((form) => form.weights[at]);
  const biases = answer.forms.flatMap((form) => (form.biases ? [form.biases[at]] : []));
  const [weightRange, biasRange] = [sharedRange(weights), sharedRange(biases)];
  for (const form of answer.forms) {
    const card = document.createElement("div");
    card.className = "gradient-form";
    card.dataset.form = form.name;
    const caption = document.createElement("p");
    caption.className = "gradient-form-title";
    caption.textContent = SHORT_TITLES[form.name] ?? form.name;
    caption.title = form.title;
    card.append(caption, ...formulaBlocks(form.formulas ?? []));
    card.append(matrixBlock(form.weights[at], weightRange, stops, room));
    if (form.biases) card.append(matrixBlock(form.biases[at], biasRange, stops, room));
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
