// Explain an entry and linked hover. A click on a cell of any matrix, or Enter on a focused one,
// shows its index-level computation with the numbers (from GET /api/sessions/{id}/explain,
// rendered with KaTeX); a hover outlines, on the other matrices, the rows and columns that entry
// reads. The matrices tell which entry by their events (matrix-explain, matrix-hover).

import { renderTex } from "./formulas.js";
import { figureOf } from "./matrix.js";

const HOVER_DELAY_MS = 120;

/**
 * Wires the matrices of a drawn step. `fetchExplanation(tensor, row, col)` returns a promise of
 * the API's Explanation; `stepKey` names the step and notation, so explanations are cached per
 * step; `panel` is the element the click explanation goes into.
 */
export class Explainer {
  /** `nameOf(tensor)` writes a tensor's name as the page shows it (its notation). */
  constructor(panel, fetchExplanation, nameOf) {
    this.panel = panel;
    this.fetch = fetchExplanation;
    this.nameOf = nameOf;
    this.cache = new Map();
    this.stepKey = "";
    this.hoverTimer = null;
    this.hovered = "";
    this.root = null;
    this.listened = new WeakSet();
  }

  /**
   * Listens to the matrices inside `root` (from now on, whatever is drawn there); forgets the
   * panel and the cache when the step (or notation) changes.
   */
  setStep(stepKey, root) {
    if (!this.listened.has(root)) this.listen(root);
    this.root = root;
    if (stepKey === this.stepKey) return;
    this.stepKey = stepKey;
    this.cache.clear();
    this.close();
  }

  explanation(tensor, row, col) {
    const key = `${tensor}[${row},${col}]`;
    if (!this.cache.has(key)) {
      const pending = this.fetch(tensor, row, col);
      pending.catch(() => this.cache.delete(key));
      this.cache.set(key, pending);
    }
    return this.cache.get(key);
  }

  listen(root) {
    this.listened.add(root);
    root.addEventListener("matrix-explain", (event) => {
      const { tensor, row, col } = event.detail;
      this.show(tensor, row, col);
    });
    root.addEventListener("matrix-hover", (event) => {
      if (event.detail) this.hover(event.detail.tensor, event.detail.row, event.detail.col);
      else this.unhover();
    });
  }

  /** Shows the explanation of one entry in the panel. */
  async show(tensor, row, col) {
    const key = this.stepKey;
    this.panel.hidden = false;
    this.panel.dataset.state = "loading";
    this.panel.dataset.tensor = tensor;
    // Closed, the panel gives the focus back to the matrix explained (its cells take it).
    const figure = `.matrix[data-tensor="${CSS.escape(tensor)}"]`;
    this.panel.querySelector("#explain-close").dataset.focusNext =
      `${figure} .matrix-cells[tabindex="0"], ${figure}`;
    const heading = this.panel.querySelector(".explain-heading");
    heading.textContent = `${this.nameOf(tensor)}[${row}, ${col}]: how it is computed`;
    const formula = this.panel.querySelector(".explain-formula");
    const numbers = this.panel.querySelector(".explain-numbers");
    formula.replaceChildren();
    numbers.replaceChildren();
    try {
      const explained = await this.explanation(tensor, row, col);
      if (key !== this.stepKey) return;
      // Inline mode, so that a long sum wraps at its + signs instead of running off.
      renderTex(formula, explained.formula);
      renderTex(numbers, explained.numbers);
      this.panel.dataset.state = "shown";
    } catch (error) {
      numbers.textContent = `No explanation: ${error.message ?? error}`;
      this.panel.dataset.state = "error";
    }
  }

  close() {
    this.panel.hidden = true;
    this.panel.dataset.state = "";
  }

  hover(tensor, row, col) {
    clearTimeout(this.hoverTimer);
    const key = this.stepKey;
    this.hovered = `${tensor}[${row},${col}]`;
    const wanted = this.hovered;
    this.hoverTimer = setTimeout(async () => {
      try {
        const explained = await this.explanation(tensor, row, col);
        if (key === this.stepKey && wanted === this.hovered) this.outline(explained);
      } catch {
        // A failed hover is only a missing highlight; the click says why.
      }
    }, HOVER_DELAY_MS);
  }

  unhover() {
    clearTimeout(this.hoverTimer);
    this.hovered = "";
    this.outline(null);
  }

  /** Outlines the operands' rows and columns an entry reads (and the entry); null: none. */
  outline(explained) {
    if (!this.root) return;
    for (const element of this.root.querySelectorAll(".matrix")) {
      const figure = figureOf(element);
      if (!figure) continue;
      const name = element.dataset.tensor;
      if (explained && name in explained.highlights) {
        figure.setMarks(explained.highlights[name], "operand");
      } else if (explained && name === explained.tensor) {
        figure.setMarks({ rows: [explained.row], cols: [explained.col] }, "entry");
      } else {
        figure.setMarks(null);
      }
    }
  }
}
