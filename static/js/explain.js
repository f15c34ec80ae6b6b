// Explain an entry and linked hover. A click on a cell of a result shows its index-level
// computation with the numbers (from GET /api/sessions/{id}/explain, rendered with KaTeX); a
// hover outlines, on the operands' heatmaps, the rows and columns that entry reads.

import { renderTex } from "./formulas.js";

const HOVER_DELAY_MS = 120;
const OUTLINE = { color: "#f59e0b", width: 4 };
const CELL = { color: "#111418", width: 3 };

function plotly() {
  return globalThis.Plotly ?? null;
}

/**
 * Wires the heatmaps of a drawn step. `fetchExplanation(tensor, row, col)` returns a promise of
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
  }

  /** Forgets the panel and the cache when the step (or notation) changes. */
  setStep(stepKey, root) {
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

  /** Listens to clicks and hovers on the heatmaps of `figures` (results and intermediates). */
  attach(figures) {
    for (const figure of figures) {
      const plot = figure.querySelector(".js-plotly-plot");
      if (!plot?.on) continue;
      const tensor = figure.dataset.tensor;
      const cell = (event) => {
        const point = event?.points?.[0];
        return point ? { row: Number(point.y), col: Number(point.x) } : null;
      };
      figure.classList.add("is-explainable");
      plot.on("plotly_click", (event) => {
        const at = cell(event);
        if (at) this.show(tensor, at.row, at.col);
      });
      plot.on("plotly_hover", (event) => {
        const at = cell(event);
        if (at) this.hover(tensor, at.row, at.col);
      });
      plot.on("plotly_unhover", () => this.unhover());
    }
  }

  /** Shows the explanation of one entry in the panel. */
  async show(tensor, row, col) {
    const key = this.stepKey;
    this.panel.hidden = false;
    this.panel.dataset.state = "loading";
    this.panel.dataset.tensor = tensor;
    // Closed, the panel gives the focus back to the matrix explained.
    this.panel.querySelector("#explain-close").dataset.focusNext = `.matrix[data-tensor="${CSS.escape(tensor)}"]`;
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

  /** Draws rectangles on the operands an entry reads (and on the entry); null removes them. */
  outline(explained) {
    const lib = plotly();
    if (!lib || !this.root) return;
    for (const figure of this.root.querySelectorAll(".matrix")) {
      const plot = figure.querySelector(".js-plotly-plot");
      if (!plot?.layout) continue;
      const name = figure.dataset.tensor;
      let shapes = [];
      if (explained && name in explained.highlights) {
        shapes = rectangles(explained.highlights[name], figure, OUTLINE);
      } else if (explained && name === explained.tensor) {
        shapes = rectangles({ rows: [explained.row], cols: [explained.col] }, figure, CELL);
      }
      const had = (plot.layout.shapes ?? []).length > 0;
      figure.classList.toggle("is-linked", shapes.length > 0 && name !== explained?.tensor);
      if (shapes.length > 0 || had) lib.relayout(plot, { shapes });
    }
  }
}

/** Plotly rectangles around rows only, columns only, crossing cells, or the whole matrix. */
export function rectangles(marks, figure, line) {
  const rows = Number(figure.dataset.rows);
  const cols = Number(figure.dataset.cols);
  const box = (r0, r1, c0, c1) => ({
    type: "rect",
    xref: "x",
    yref: "y",
    x0: c0 - 0.5,
    x1: c1 + 0.5,
    y0: r0 - 0.5,
    y1: r1 + 0.5,
    line,
    fillcolor: "rgba(245, 158, 11, 0.12)",
  });
  const r = marks.rows ?? [];
  const c = marks.cols ?? [];
  if (r.length && c.length) return r.flatMap((row) => c.map((col) => box(row, row, col, col)));
  if (r.length) return r.map((row) => box(row, row, 1, cols));
  if (c.length) return c.map((col) => box(1, rows, col, col));
  return [box(1, rows, 1, cols)];
}
