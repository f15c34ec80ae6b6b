// Predict, then reveal: in predict mode what each new step computes (its intermediates and its
// results) is hidden behind an input grid of its shape; Check asks the API to grade the entries
// (POST /api/sessions/{id}/check, which does not reveal the values), Reveal shows the real
// heatmap. A matrix too large to type is hidden behind its Reveal button alone.
//
// Fair to every student: the tolerance an entry is graded with is said before answering (and
// chosen in the store), a decimal comma is read as a point, an entry that is not a number is
// marked as such, and right and wrong are marked by a symbol (✓, ✗) and aria-invalid as well as
// by their colour.

import { readEntry, toleranceText } from "./state.js";

/** Most entries of a matrix the page asks a student to type. */
const MAX_ENTRIES = 144;

/** Predict mode's work per step: what was revealed or graded (the store says whether it is on). */
export class Predictor {
  /**
   * `checkPrediction(tensor, values, tolerance)` returns a promise of the API's CheckAnswer;
   * `nameOf(tensor)` writes a tensor's name as the page shows it (its notation);
   * `tolerance()` is the tolerance chosen (the store's).
   */
  constructor(checkPrediction, nameOf, tolerance) {
    this.check = checkPrediction;
    this.nameOf = nameOf;
    this.tolerance = tolerance;
    this.stepKey = "";
    this.revealed = new Set();
    this.entered = new Map(); // tensor -> {values (as typed, row by row), answer}
  }

  /** Reveals what the step `stepKey` shows now: predict mode turned on shows the step already
   * there, and hides the next ones until predicted. */
  revealAll(stepKey, names) {
    this.stepKey = stepKey;
    this.revealed = new Set(names);
    this.entered.clear();
  }

  setStep(stepKey) {
    if (stepKey === this.stepKey) return;
    this.stepKey = stepKey;
    this.revealed.clear();
    this.entered.clear();
  }

  /** Hides the matrices in `group` not revealed yet: behind an input grid, or behind their
   * Reveal button alone when they have more than MAX_ENTRIES entries. */
  mask(group) {
    for (const figure of group.querySelectorAll(".matrix")) {
      const name = figure.dataset.tensor;
      const rows = Number(figure.dataset.rows);
      const cols = Number(figure.dataset.cols);
      if (this.revealed.has(name)) continue;
      figure.classList.add("is-masked");
      figure.append(
        rows * cols > MAX_ENTRIES
          ? this.veil(figure, name, rows, cols)
          : this.grid(figure, name, rows, cols),
      );
    }
  }

  veil(figure, name, rows, cols) {
    const form = document.createElement("div");
    form.className = "predict";
    const hint = document.createElement("p");
    hint.className = "predict-hint";
    hint.textContent =
      `${this.nameOf(name)} (${rows} × ${cols}) is hidden: work out what it holds, ` +
      `then Reveal (too many entries to type here).`;
    const buttons = document.createElement("div");
    buttons.className = "predict-buttons";
    buttons.append(this.revealButton(figure, name));
    form.append(hint, buttons);
    return form;
  }

  revealButton(figure, name) {
    const reveal = document.createElement("button");
    reveal.type = "button";
    reveal.className = "button button-small predict-reveal";
    reveal.textContent = "Reveal";
    reveal.addEventListener("click", () => {
      this.revealed.add(name);
      figure.classList.remove("is-masked");
      // A graded grid stays beside the heatmap it predicted; a veil has nothing more to say.
      const form = reveal.closest(".predict");
      if (form?.querySelector(".predict-grid")) reveal.remove();
      else form?.remove();
      // The focus moves to the matrix revealed: its cells, or the figure as a whole.
      const cells = figure.querySelector(".matrix-cells[tabindex='0']");
      if (cells) cells.focus();
      else {
        if (figure.tabIndex < 0) figure.tabIndex = -1;
        figure.focus();
      }
    });
    return reveal;
  }

  grid(figure, name, rows, cols) {
    const form = document.createElement("form");
    form.className = "predict";
    form.noValidate = true;
    const hint = document.createElement("p");
    hint.className = "predict-hint";
    hint.append(
      `Predict ${this.nameOf(name)} (${rows} × ${cols}), then Check: an entry is right when it is `,
      toleranceSpan(this.tolerance()),
      ".",
    );
    const table = document.createElement("table");
    table.className = "predict-grid";
    const previous = this.entered.get(name);
    for (let r = 0; r < rows; r += 1) {
      const tr = document.createElement("tr");
      for (let c = 0; c < cols; c += 1) {
        const td = document.createElement("td");
        const input = document.createElement("input");
        input.type = "text";
        input.inputMode = "decimal";
        input.size = 6;
        input.className = "predict-cell";
        input.autocomplete = "off";
        input.spellcheck = false;
        input.dataset.row = String(r + 1);
        input.dataset.col = String(c + 1);
        input.setAttribute("aria-label", `${this.nameOf(name)}[${r + 1}, ${c + 1}]`);
        if (previous) input.value = previous.values[r * cols + c];
        const mark = document.createElement("span");
        mark.className = "predict-mark";
        mark.setAttribute("aria-hidden", "true"); // aria-invalid and the verdict say it in words
        td.append(input, mark);
        tr.append(td);
      }
      table.append(tr);
    }
    const buttons = document.createElement("div");
    buttons.className = "predict-buttons";
    const check = document.createElement("button");
    check.type = "submit";
    check.className = "button button-small button-primary predict-check";
    check.textContent = "Check";
    const reveal = this.revealButton(figure, name);
    const verdict = document.createElement("p");
    verdict.className = "predict-verdict";
    verdict.setAttribute("role", "status");
    buttons.append(check, reveal);
    form.append(hint, table, buttons, verdict);
    if (previous?.answer) this.paint(form, previous.answer);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.grade(form, name, rows, cols);
    });
    return form;
  }

  async grade(form, name, rows, cols) {
    const verdict = form.querySelector(".predict-verdict");
    const inputs = [...form.querySelectorAll(".predict-cell")];
    const read = inputs.map((input) => readEntry(input.value));
    const unread = read.filter((value) => value === null).length;
    if (unread > 0) {
      inputs.forEach((input, i) => {
        mark(input, read[i] === null ? "not-a-number" : "");
      });
      verdict.textContent =
        `${unread} ${unread === 1 ? "entry is" : "entries are"} empty or not a number ` +
        "(marked ?): type a number in each, such as −0.25, 0,25 or 2.5e-3.";
      verdict.dataset.kind = "error";
      return;
    }
    const values = Array.from({ length: rows }, (_, r) => read.slice(r * cols, (r + 1) * cols));
    this.entered.set(name, { values: inputs.map((input) => input.value), answer: null });
    try {
      const answer = await this.check(name, values, this.tolerance());
      this.entered.get(name).answer = answer;
      this.paint(form, answer);
    } catch (error) {
      verdict.textContent = `Not checked: ${error.message ?? error}`;
      verdict.dataset.kind = "error";
    }
  }

  paint(form, answer) {
    const inputs = [...form.querySelectorAll(".predict-cell")];
    answer.correct.flat().forEach((right, i) => {
      mark(inputs[i], right ? "right" : "wrong");
    });
    const verdict = form.querySelector(".predict-verdict");
    verdict.dataset.kind = answer.all_correct ? "right" : "wrong";
    const within = toleranceText(answer.tolerance);
    verdict.textContent = answer.all_correct
      ? `All ${answer.total} entries right (✓), each ${within}.`
      : `${answer.correct_count} of ${answer.total} entries right (✓); the ones marked ✗ are ` +
        `not ${within}.`;
  }
}

/** The text of a tolerance, in a span the page rewrites when the tolerance is changed. */
function toleranceSpan(tolerance) {
  const span = document.createElement("span");
  span.className = "predict-tolerance-text";
  span.textContent = toleranceText(tolerance);
  return span;
}

const MARKS = { right: "✓", wrong: "✗", "not-a-number": "?" };

/** Marks a typed entry "right", "wrong", "not-a-number", or nothing (""). */
function mark(input, verdict) {
  for (const kind of Object.keys(MARKS)) input.classList.toggle(`is-${kind}`, kind === verdict);
  if (verdict === "wrong" || verdict === "not-a-number") input.setAttribute("aria-invalid", "true");
  else input.removeAttribute("aria-invalid");
  const symbol = input.nextElementSibling;
  if (symbol?.classList.contains("predict-mark")) symbol.textContent = MARKS[verdict] ?? "";
}

/** Writes the tolerance `tolerance` into every grid's hint (after the student changed it). */
export function showTolerance(root, tolerance) {
  for (const span of root.querySelectorAll(".predict-tolerance-text")) {
    span.textContent = toleranceText(tolerance);
  }
}
