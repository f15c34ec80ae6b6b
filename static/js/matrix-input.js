// A matrix under the mouse and the keyboard: hover shows an entry's exact value (as every cell
// writes it) and tells the page which entry is pointed at; a click or Enter asks for its
// explanation; the matrix takes focus and the arrow keys move across its cells, each one said
// to a screen reader as "Δ₁ row 2 column 3: −0.026". Marks outline the rows and columns an
// entry elsewhere reads.

import { element, unread } from "./dom.js";
import { entryAt } from "./matrix-layout.js";
import { entryLabel, entrySentence } from "./numbers.js";

const KEYS = {
  ArrowUp: [-1, 0],
  ArrowDown: [1, 0],
  ArrowLeft: [0, -1],
  ArrowRight: [0, 1],
};

/** Runs of consecutive indices: [1, 2, 3, 7] → [[1, 3], [7, 7]]. */
export function runs(indices) {
  const sorted = [...new Set(indices)].sort((a, b) => a - b);
  const out = [];
  for (const index of sorted) {
    const last = out.at(-1);
    if (last && index === last[1] + 1) last[1] = index;
    else out.push([index, index]);
  }
  return out;
}

/** The hover, focus, keyboard and marks of one MatrixFigure. */
export class MatrixInput {
  constructor(figure) {
    this.figure = figure;
    const { cells } = figure;
    cells.tabIndex = 0;
    cells.setAttribute("role", "application");
    cells.setAttribute("aria-roledescription", "matrix");
    this.marks = unread(element("div", "matrix-marks"));
    this.cursor = element("div", "matrix-cursor");
    this.cursor.hidden = true;
    this.tip = unread(element("div", "matrix-tip"));
    this.tip.hidden = true;
    this.said = element("p", "matrix-said visually-hidden");
    this.said.setAttribute("aria-live", "polite");
    cells.append(this.marks, this.cursor, this.tip);
    figure.element.append(this.said);
    this.at = null; // the entry under the keyboard's cursor, {row, col} as drawn
    this.hovered = null;
    cells.addEventListener("mousemove", (event) => this.point(event));
    cells.addEventListener("mouseleave", () => this.leave());
    cells.addEventListener("click", (event) => this.click(event));
    cells.addEventListener("keydown", (event) => this.key(event));
    cells.addEventListener("focus", () => this.focus());
    cells.addEventListener("blur", () => this.blur());
  }

  /** After a new drawing: labels, and the cursor kept inside the matrix. */
  update() {
    const { shown, cells } = this.figure;
    const { rows, cols } = shown.grid;
    cells.setAttribute(
      "aria-label",
      `${shown.label}, ${rows} × ${cols}: the arrow keys read its entries, Enter explains one`,
    );
    if (this.at && (this.at.row > rows || this.at.col > cols)) this.at = null;
    if (this.at && document.activeElement === cells) this.showEntry(this.at, false);
    else this.hide();
  }

  /** The entry `at` ({row, col} as drawn) in the indices of the tensor as sent. */
  source(at) {
    const { tensor, transposed } = this.figure.shown;
    return transposed
      ? { tensor: tensor.name, row: at.col, col: at.row }
      : { tensor: tensor.name, row: at.row, col: at.col };
  }

  send(type, at) {
    if (!this.figure.interactive) return;
    const detail = at ? this.source(at) : null;
    this.figure.element.dispatchEvent(new CustomEvent(type, { bubbles: true, detail }));
  }

  entryUnder(event) {
    const box = this.figure.canvas.getBoundingClientRect();
    return entryAt(this.figure.shown.plan, event.clientX - box.left, event.clientY - box.top);
  }

  point(event) {
    if (!this.figure.shown) return;
    const at = this.entryUnder(event);
    if (this.hovered && this.hovered.row === at.row && this.hovered.col === at.col) return;
    this.hovered = at;
    this.showEntry(at, false);
    this.send("matrix-hover", at);
  }

  leave() {
    this.hovered = null;
    if (document.activeElement === this.figure.cells && this.at) this.showEntry(this.at, false);
    else this.hide();
    this.send("matrix-hover", null);
  }

  click(event) {
    if (!this.figure.shown) return;
    const at = this.entryUnder(event);
    // A click focuses the matrix (at its first entry): the keyboard's cursor goes to the entry
    // clicked.
    this.at = at;
    this.showEntry(at, true);
    this.send("matrix-explain", at);
  }

  focus() {
    if (!this.figure.shown) return;
    this.at ??= { row: 1, col: 1 };
    this.showEntry(this.at, true);
  }

  blur() {
    if (!this.hovered) this.hide();
  }

  key(event) {
    if (!this.figure.shown || event.altKey || event.ctrlKey || event.metaKey) return;
    const { rows, cols } = this.figure.shown.grid;
    const at = this.at ?? { row: 1, col: 1 };
    let next = null;
    if (event.key in KEYS) {
      const [down, across] = KEYS[event.key];
      next = { row: at.row + down, col: at.col + across };
    } else if (event.key === "Home") next = { row: at.row, col: 1 };
    else if (event.key === "End") next = { row: at.row, col: cols };
    else if (event.key === "PageUp") next = { row: 1, col: at.col };
    else if (event.key === "PageDown") next = { row: rows, col: at.col };
    else if (event.key === "Enter") {
      event.preventDefault();
      event.stopPropagation();
      this.send("matrix-explain", at);
      return;
    } else return;
    // The page's own arrow keys (step, back) are not for a focused matrix.
    event.preventDefault();
    event.stopPropagation();
    next.row = Math.min(rows, Math.max(1, next.row));
    next.col = Math.min(cols, Math.max(1, next.col));
    this.at = next;
    this.showEntry(next, true);
    this.send("matrix-hover", next);
  }

  /** Shows the entry's value over its cell, with a cursor; `say` tells a screen reader too. */
  showEntry(at, say) {
    const { shown } = this.figure;
    const { plan, label } = shown;
    const value = shown.at(at.row, at.col);
    const [left, top] = [(at.col - 1) * plan.cellWidth, (at.row - 1) * plan.cellHeight];
    Object.assign(this.cursor.style, {
      left: `${left}px`,
      top: `${top}px`,
      width: `${Math.max(plan.cellWidth, 2)}px`,
      height: `${Math.max(plan.cellHeight, 2)}px`,
    });
    this.cursor.hidden = false;
    this.tip.textContent = entryLabel(label, at.row, at.col, value);
    this.tip.style.top = `${top}px`;
    this.tip.hidden = false;
    // Centred over its cell, but never past the left edge of the window.
    const centre = left + plan.cellWidth / 2;
    const room = this.figure.cells.getBoundingClientRect().left + centre;
    const half = this.tip.offsetWidth / 2;
    this.tip.style.left = `${room < half + 4 ? centre + (half + 4 - room) : centre}px`;
    this.figure.element.dataset.entry = `${at.row},${at.col}`;
    if (say) {
      this.said.textContent = entrySentence(label, at.row, at.col, value);
      this.figure.table.showCell(at.row, at.col);
    }
  }

  hide() {
    this.cursor.hidden = true;
    this.tip.hidden = true;
    delete this.figure.element.dataset.entry;
  }

  /**
   * Outlines what `marks` names, in the indices of the tensor as sent: rows only, columns only,
   * the cells where they cross, or the whole matrix ({}); null removes the outlines. `kind` is
   * "operand" (rows and columns read) or "entry" (the entry itself).
   */
  setMarks(marks, kind) {
    const { shown } = this.figure;
    this.figure.element.classList.toggle("is-linked", Boolean(marks) && kind === "operand");
    if (!marks || !shown) {
      this.marks.replaceChildren();
      return;
    }
    const { plan, transposed } = shown;
    let rows = marks.rows ?? [];
    let cols = marks.cols ?? [];
    if (transposed) [rows, cols] = [cols, rows];
    const rowRuns = rows.length ? runs(rows) : [[1, plan.rows]];
    const colRuns = cols.length ? runs(cols) : [[1, plan.cols]];
    const boxes = rowRuns.flatMap(([r0, r1]) =>
      colRuns.map(([c0, c1]) => {
        const box = element("div", `matrix-mark is-${kind}`);
        Object.assign(box.style, {
          left: `${(c0 - 1) * plan.cellWidth}px`,
          top: `${(r0 - 1) * plan.cellHeight}px`,
          width: `${Math.max(2, (c1 - c0 + 1) * plan.cellWidth)}px`,
          height: `${Math.max(2, (r1 - r0 + 1) * plan.cellHeight)}px`,
        });
        return box;
      }),
    );
    this.marks.replaceChildren(...boxes);
  }
}
