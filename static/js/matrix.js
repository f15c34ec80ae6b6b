// The page's one matrix renderer: a matrix drawn as on paper, row 1 on top, column 1 on the left,
// indices from 1, each entry coloured on a diverging scale centred on zero, its number written
// in the cell where it fits. Used by the panels, the equation view, predict and the gradient
// forms. Cells are painted on a canvas at the screen's resolution (a 256 × 784 matrix in the
// pixels it has, blocks averaged); the numbers, indices and colour bar are crisp text; a real
// <table>, built when opened, holds every entry for screen readers, the keyboard and the
// "Table" switch. A drawing that did not change is not painted again.

import { element, unread } from "./dom.js";
import { renderTex } from "./formulas.js";
import { drawHeldFixed, heldFixedText } from "./held.js";
import { MatrixInput } from "./matrix-input.js";
import { drawPlan, mergeNote, numberFont, tickIndices } from "./matrix-layout.js";
import { colourOf, colourTable, inkFor, paintCells } from "./matrix-paint.js";
import { MatrixTable } from "./matrix-table.js";
import { matrixValues, sameValues, valueSpread } from "./matrix-values.js";
import { formatRange, formatValue } from "./numbers.js";

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", sans-serif';
/** Up to this many entries the widest number is measured; bigger matrices show no numbers. */
const MAX_MEASURED = 64 * 64;

const tables = new Map();

/** The MatrixFigure of each figure element, for the page's parts that find figures in the DOM. */
const figures = new WeakMap();

/** The MatrixFigure drawn in `element` (a figure.matrix), or null. */
export function figureOf(element) {
  return figures.get(element) ?? null;
}

/** Opens (builds) or closes the table of every matrix figure in `root`: the "Table" switch. */
export function openTables(root, on) {
  for (const node of root.querySelectorAll("figure.matrix")) figureOf(node)?.table.setOpen(on);
}

/** The colour table of `stops`, made once per scale. */
function tableOf(stops) {
  const key = JSON.stringify(stops);
  if (!tables.has(key)) tables.set(key, colourTable(stops));
  return tables.get(key);
}

let measurer = null;

/** The width in CSS pixels of the widest of `texts` at `font` pixels. */
function widestText(texts, font) {
  measurer ??= document.createElement("canvas").getContext("2d");
  measurer.font = `${font}px ${FONT}`;
  let widest = 0;
  for (const text of texts) widest = Math.max(widest, measurer.measureText(text).width);
  return widest;
}

/** A note of class `className` under a matrix, read as a note. */
function note(className) {
  const node = element("p", className);
  node.setAttribute("role", "note");
  return node;
}

/**
 * One matrix figure. `element` is its <figure class="matrix"> with `data-tensor`; `show(options)`
 * draws a tensor into it (again whenever the step changes); `setMarks(marks)` outlines rows,
 * columns or cells. It dispatches bubbling events "matrix-hover" ({tensor, row, col}, or null
 * when left) and "matrix-explain" ({tensor, row, col}) in the indices of the tensor as sent.
 */
export class MatrixFigure {
  /** `role` names its group (results, operands, …, or factor in the equation view). */
  constructor(role = "operands") {
    this.element = element("figure", `matrix matrix-${role}`);
    this.caption = element("figcaption", "matrix-title");
    this.frame = element("div", "matrix-frame");
    // Screen readers read a matrix's table and its said entry instead of these parts.
    this.colIndices = unread(element("div", "matrix-cols"));
    this.rowIndices = unread(element("div", "matrix-rows"));
    this.cells = element("div", "matrix-cells");
    this.canvas = unread(element("canvas", "matrix-canvas"));
    this.numbers = unread(element("div", "matrix-numbers"));
    this.cells.append(this.canvas, this.numbers);
    this.bar = unread(element("div", "matrix-scale"));
    this.frame.append(this.colIndices, this.rowIndices, this.cells, this.bar);
    this.under = element("p", "matrix-under");
    this.merged = element("p", "matrix-merged");
    this.notice = note("matrix-notice");
    this.heldNotice = note("matrix-notice is-held");
    this.table = new MatrixTable();
    /** The figure's own parts, in their order. */
    this.ownParts = [
      this.caption,
      this.frame,
      this.under,
      this.merged,
      this.notice,
      this.heldNotice,
      this.table.element,
    ];
    this.element.append(...this.ownParts);
    this.input = new MatrixInput(this);
    figures.set(this.element, this);
    this.shown = null; // what is drawn: {key, values, …}
    this.interactive = true;
    this.captionKey = "";
  }

  /** Removes what other parts of the page put into the figure (a predict grid): its own stay. */
  clearExtras() {
    const own = new Set([...this.ownParts, this.input.said]);
    for (const child of [...this.element.children]) if (!own.has(child)) child.remove();
  }

  /**
   * The entries of `tensor` (transposed when `transposed`) as this figure draws them, and the
   * width `widest(font)` in CSS pixels of the widest of their numbers (0 for a matrix too big to
   * write numbers in). Kept until another tensor is asked for, so the sizes can be chosen
   * before `show`.
   */
  prepare(tensor, transposed = false) {
    const kept = this.prepared;
    if (kept && kept.tensor === tensor && kept.transposed === transposed) return kept;
    const grid = matrixValues(tensor, transposed);
    grid.spread = valueSpread(grid.values);
    const count = grid.rows * grid.cols;
    // Measured once at 100 px, when first asked: text widths grow with the font size (2 % kept
    // for hinting). Cells too small for any number (merged, or a row of 1 px) never ask.
    let atHundred = null;
    const widest = (font) => {
      if (atHundred === null) {
        const texts = new Set(count <= MAX_MEASURED ? Array.from(grid.values, formatValue) : []);
        atHundred = texts.size ? widestText(texts, 100) * 1.02 : 0;
      }
      return (atHundred * font) / 100;
    };
    this.prepared = { tensor, transposed, grid, widest };
    return this.prepared;
  }

  /**
   * Draws `tensor` ({name, latex, shape, data}) as `label` (its name for people: "Δ₁", "W₂ᵀ"),
   * its transpose when `transposed`, coloured in [−range, range] on colour `stops`, with cells
   * of `cellWidth` × `cellHeight` CSS pixels. `caption` is the LaTeX above it, `under` a line
   * of text below (or ""); `indices` (true, false or "long": not for an axis of one) and
   * `colourBar` say whether those are drawn; numbers are
   * written up to `maxFont` px where they fit. An `interactive` figure asks for explanations.
   * `held` ({rows, cols} from 1, as drawn) are entries held fixed: hatched, and said why.
   */
  show({
    tensor,
    label,
    caption,
    transposed = false,
    range,
    stops,
    cellWidth,
    cellHeight,
    indices = true,
    colourBar = true,
    maxFont = 16,
    indexFont = 15,
    under = "",
    interactive = true,
    held = null,
  }) {
    const figure = this.element;
    const { grid } = this.prepare(tensor, transposed);
    const { rows, cols } = grid;
    figure.dataset.tensor = tensor.name;
    figure.dataset.range = String(range);
    figure.classList.toggle("is-transposed", transposed);
    this.label({ caption, under, label, rows, cols });
    this.interactive = interactive;

    const plan = drawPlan({ rows, cols, cellWidth, cellHeight });
    const ratio = globalThis.devicePixelRatio || 1;
    const key = JSON.stringify([rows, cols, cellWidth, cellHeight, range, stops, ratio, maxFont]);
    const changed =
      !this.shown || this.shown.key !== key || !sameValues(this.shown.grid.values, grid.values);
    figure.dataset.cell = `${Math.round(cellWidth * 100) / 100}×${Math.round(cellHeight * 100) / 100}`;
    figure.dataset.block = `${plan.blockRows}×${plan.blockCols}`;
    if (changed) {
      this.paint(grid, plan, range, stops, ratio, maxFont);
      figure.dataset.paints = String(Number(figure.dataset.paints ?? 0) + 1);
    }
    this.drawIndices(plan, indices, indexFont);
    this.drawBar(range, stops, colourBar, plan);
    this.merged.textContent = plan.merged ? `Drawn smaller: ${mergeNote(plan)}.` : "";
    this.merged.hidden = !plan.merged;
    const { bad } = grid.spread;
    this.notice.textContent =
      bad > 0
        ? `${bad} of ${rows * cols} entries are not finite (∞ or NaN): drawn as hatched grey gaps.`
        : "";
    this.notice.hidden = bad === 0;
    const heldKey = JSON.stringify([held, plan.width, plan.height]);
    if (this.heldKey !== heldKey) {
      this.heldKey = heldKey;
      drawHeldFixed(
        this.cells,
        { left: 0, top: 0, width: plan.width, height: plan.height },
        [rows, cols],
        held,
      );
    }
    this.heldNotice.textContent = held ? heldFixedText(held) : "";
    this.heldNotice.hidden = !held;
    const at = (r, c) => grid.values[(r - 1) * cols + (c - 1)];
    if (changed || this.shown.label !== label)
      this.table.show({ label, rows, cols, at, spread: grid.spread });
    this.shown = { key, tensor, transposed, grid, plan, label, range, at, diverged: bad > 0 };
    this.input.update();
    return bad > 0;
  }

  /**
   * Writes the caption (LaTeX) and the line under the cells, and names the figure `label`,
   * `rows` × `cols`: all that `show` writes but the drawing, to measure before drawing.
   */
  label({ caption, under = "", label, rows, cols }) {
    const figure = this.element;
    figure.dataset.rows = String(rows);
    figure.dataset.cols = String(cols);
    figure.dataset.title = `${label} ∈ ℝ^{${rows}×${cols}}`;
    if (this.captionKey !== caption) {
      this.captionKey = caption;
      renderTex(this.caption, caption);
    }
    this.caption.title = figure.dataset.title;
    // `under` is a text, or pieces [text, class name] the page may show or hide apart.
    const pieces = typeof under === "string" ? [[under, ""]] : under;
    const key = JSON.stringify(pieces);
    if (this.under.dataset.key !== key) {
      this.under.dataset.key = key;
      this.under.replaceChildren(
        ...pieces.map(([text, className]) => element("span", className, text)),
      );
    }
    this.under.hidden = pieces.every(([text]) => text === "");
  }

  /** Paints the cells and writes the numbers that fit. */
  paint(grid, plan, range, stops, ratio, maxFont) {
    const { canvas } = this;
    const width = Math.max(1, Math.round(plan.width * ratio));
    const height = Math.max(1, Math.round(plan.height * ratio));
    canvas.width = width;
    canvas.height = height;
    canvas.style.width = `${plan.width}px`;
    canvas.style.height = `${plan.height}px`;
    this.cells.style.width = `${plan.width}px`;
    this.cells.style.height = `${plan.height}px`;
    const context = canvas.getContext("2d");
    const image = context.createImageData(width, height);
    const table = tableOf(stops);
    paintCells({
      pixels: image.data,
      width,
      height,
      ratio,
      values: grid.values,
      plan,
      range,
      table,
    });
    context.putImageData(image, 0, 0);
    this.writeNumbers(grid, plan, range, table, maxFont);
  }

  /**
   * Writes each entry's number in its cell (HTML text over the canvas, crisp at any zoom) when
   * the widest of them fits its cell at a readable size; else none.
   */
  writeNumbers(grid, plan, range, table, maxFont) {
    const { rows, cols, values } = grid;
    const { widest } = this.prepared;
    const measured = rows * cols <= MAX_MEASURED;
    const font = measured ? numberFont({ plan, widest, maxFont }) : 0;
    this.element.dataset.numbers = font > 0 ? String(font) : "";
    if (font === 0) {
      this.numbers.replaceChildren();
      return;
    }
    const spans = Array.from(values, (value, i) => {
      const span = element("span", null, formatValue(value));
      const [r, c] = [Math.floor(i / cols), i % cols];
      span.style.left = `${c * plan.cellWidth}px`;
      span.style.top = `${r * plan.cellHeight}px`;
      span.style.color = Number.isFinite(value) ? inkFor(colourOf(table, value, range)) : "#000";
      return span;
    });
    this.numbers.style.fontSize = `${font}px`;
    this.numbers.style.setProperty("--cell-width", `${plan.cellWidth - (plan.gaps ? 1 : 0)}px`);
    this.numbers.style.setProperty("--cell-height", `${plan.cellHeight - (plan.gaps ? 1 : 0)}px`);
    this.numbers.replaceChildren(...spans);
  }

  /**
   * The row and column indices (from 1) beside the cells, every few when there are many;
   * `shown` "long" leaves out the index of an axis of one (a column's lone column index).
   */
  drawIndices(plan, shown, font) {
    this.frame.classList.toggle("has-indices", Boolean(shown));
    const lone = shown === "long";
    this.rowIndices.hidden = lone && plan.rows === 1;
    this.colIndices.hidden = lone && plan.cols === 1;
    if (!shown) {
      this.colIndices.replaceChildren();
      this.rowIndices.replaceChildren();
      return;
    }
    const key = JSON.stringify([plan.rows, plan.cols, plan.width, plan.height, font]);
    if (this.colIndices.dataset.key === key) return;
    this.colIndices.dataset.key = key;
    const place = (container, count, pixels, across) => {
      const spans = tickIndices(count, pixels, across).map((index) => {
        const span = element("span", "matrix-index", String(index));
        span.style[across ? "left" : "top"] = `${((index - 0.5) * pixels) / count}px`;
        return span;
      });
      container.replaceChildren(...spans);
      container.style.fontSize = `${font}px`;
    };
    place(this.colIndices, plan.cols, plan.width, true);
    place(this.rowIndices, plan.rows, plan.height, false);
    const digits = String(plan.rows).length;
    this.rowIndices.style.width = `${Math.ceil((digits * 0.62 + 0.45) * font)}px`;
    this.colIndices.style.height = `${Math.ceil(font * 1.35)}px`;
    // Up to 16 columns every index is written; upright when it is wider than its cell.
    const upright = plan.cols <= 16 && String(plan.cols).length * 0.62 * font + 3 > plan.cellWidth;
    this.colIndices.classList.toggle("is-upright", upright);
    if (upright)
      this.colIndices.style.height = `${Math.ceil(String(plan.cols).length * 0.7 * font + 4)}px`;
  }

  /** The colour bar: the scale from −range (bottom) through 0 to range (top). */
  drawBar(range, stops, shown, plan) {
    this.bar.hidden = !shown;
    if (!shown) return;
    const key = JSON.stringify([range, stops, plan.height]);
    if (this.bar.dataset.key === key) return;
    this.bar.dataset.key = key;
    const gradient = element("div", "matrix-scale-bar");
    const colours = stops.map(([at, colour]) => `${colour} ${Math.round(at * 1000) / 10}%`);
    gradient.style.background = `linear-gradient(to top, ${colours.join(", ")})`;
    const labels = [formatRange(range), "0", formatRange(-range)].map((text, i) =>
      element("span", `matrix-scale-label is-${["top", "middle", "bottom"][i]}`, text),
    );
    this.bar.replaceChildren(gradient, ...labels);
  }

  /** Outlines, in the indices of the tensor as sent: {rows, cols} of operands, or null. */
  setMarks(marks, kind = "operand") {
    this.input.setMarks(marks, kind);
  }
}
