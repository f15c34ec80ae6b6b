// A matrix as a real table: the alternative to its colours for a screen reader and a keyboard
// (a closed <details> whose summary names the matrix, its shape and its range; opened, it shows
// the table) and for anyone who switches "Table" on (every table open, in place of the colours).
// A table's page is built only while it is open, so a page of many big matrices carries a line
// for each, not thousands of cells. Row and column headers count from 1; entries are written as
// the cells write them; a big matrix pages through its rows, and a wide one through its columns
// too.

import { element } from "./dom.js";
import { formatValue, shapeText } from "./numbers.js";

/** Most entries one page of a table holds. */
export const PAGE_ENTRIES = 400;

/** The widest row a page shows whole; a wider matrix pages through its columns too. */
export const WHOLE_ROW_COLUMNS = 40;

/** Columns one page shows of a matrix wider than WHOLE_ROW_COLUMNS. */
export const PAGE_COLUMNS = 20;

/**
 * The part of a rows × cols matrix one page of its table shows: rows `first`..`last` and
 * columns `firstCol`..`lastCol` (1-based, inclusive) of the row block `rowBlock` and column block
 * `colBlock` (0-based, clamped), with the block counts `rowBlocks` and `colBlocks`. A row of up to
 * WHOLE_ROW_COLUMNS entries is shown whole; a wider one in PAGE_COLUMNS-wide blocks, so that a page
 * holds at most PAGE_ENTRIES entries whatever the width (a 256 × 784 gradient pages 20 × 20).
 */
export function tablePage(rows, cols, rowBlock = 0, colBlock = 0) {
  const colsPerPage = cols <= WHOLE_ROW_COLUMNS ? cols : PAGE_COLUMNS;
  const perPage = Math.max(1, Math.floor(PAGE_ENTRIES / colsPerPage));
  const rowBlocks = Math.ceil(rows / perPage);
  const colBlocks = Math.ceil(cols / colsPerPage);
  const shownRows = Math.min(Math.max(0, rowBlock), rowBlocks - 1);
  const shownCols = Math.min(Math.max(0, colBlock), colBlocks - 1);
  const first = shownRows * perPage + 1;
  const firstCol = shownCols * colsPerPage + 1;
  return {
    rowBlock: shownRows,
    colBlock: shownCols,
    rowBlocks,
    colBlocks,
    first,
    last: Math.min(rows, first + perPage - 1),
    firstCol,
    lastCol: Math.min(cols, firstCol + colsPerPage - 1),
    perPage,
    colsPerPage,
  };
}

/** What the closed table says of its matrix: "Table of Δ₁, 4 × 3, entries −0.52 to 0.73". */
export function summaryText({ label, rows, cols, spread }) {
  const { low, high, bad } = spread;
  const count = rows * cols;
  let entries;
  if (bad === count) entries = "no finite entry";
  else if (count === 1) entries = `entry ${formatValue(low)}`;
  else if (low === high) entries = `every entry ${formatValue(low)}`;
  else entries = `entries ${formatValue(low)} to ${formatValue(high)}`;
  const notFinite = bad > 0 && bad < count ? `, ${bad} not finite` : "";
  return `Table of ${label}, ${shapeText([rows, cols])}, ${entries}${notFinite}`;
}

/** Whether the page shows every matrix as its table (the "Table" switch, on <html>). */
function tablesOn() {
  return document.documentElement.classList.contains("tables");
}

/**
 * The table of one matrix and its pager, in a <details> built only while open. `show(grid)`
 * takes the entries of `grid` ({label, rows, cols, at(r, c)}, 1-based, and their `spread`:
 * matrix-values.js' valueSpread) from its first page, or
 * keeps the page shown when the matrix has the same shape; `showCell(r, c)` turns to the page
 * that holds entry (r, c). `setOpen(on)` opens or closes it (the "Table" switch).
 */
export class MatrixTable {
  constructor() {
    this.element = element("div", "matrix-table");
    this.details = element("details", "matrix-table-details");
    this.summary = element("summary", "matrix-table-summary");
    this.holder = element("div", "matrix-table-holder");
    this.table = element("table", "matrix-table-grid");
    this.holder.append(this.table);
    this.caption = element("caption", "matrix-table-caption");
    this.pager = element("div", "matrix-table-pager");
    this.status = element("span", "matrix-table-status");
    this.status.setAttribute("aria-live", "polite");
    this.previous = this.button("Previous rows", -1, 0);
    this.next = this.button("Next rows", 1, 0);
    this.left = this.button("Previous columns", 0, -1);
    this.right = this.button("Next columns", 0, 1);
    this.pager.append(this.previous, this.next, this.left, this.right, this.status);
    this.details.append(this.summary, this.holder, this.pager);
    this.element.append(this.details);
    this.details.addEventListener("toggle", () => this.build());
    this.grid = null;
    this.rowBlock = 0;
    this.colBlock = 0;
    this.built = null; // [grid, rowBlock, colBlock] of the page in the DOM
  }

  button(text, down, across) {
    const button = element("button", "button button-small", text);
    button.type = "button";
    button.addEventListener("click", () =>
      this.render(this.rowBlock + down, this.colBlock + across),
    );
    return button;
  }

  show(grid) {
    const sameShape = this.grid && this.grid.rows === grid.rows && this.grid.cols === grid.cols;
    this.grid = grid;
    this.summary.textContent = summaryText(grid);
    if (tablesOn()) this.details.open = true;
    if (sameShape) this.render(this.rowBlock, this.colBlock);
    else this.render(0, 0);
  }

  /** Opens (builds its page) or closes (empties) the table. */
  setOpen(on) {
    this.details.open = on;
    this.build();
  }

  /** Builds the page shown while open; while closed, keeps no cell in the page. */
  build() {
    if (this.details.open) this.render(this.rowBlock, this.colBlock);
    else if (this.built) {
      this.table.replaceChildren();
      this.built = null;
    }
  }

  showCell(row, col) {
    if (!this.grid) return;
    const { perPage, colsPerPage } = tablePage(this.grid.rows, this.grid.cols);
    const rowBlock = Math.floor((row - 1) / perPage);
    const colBlock = Math.floor((col - 1) / colsPerPage);
    if (rowBlock !== this.rowBlock || colBlock !== this.colBlock) this.render(rowBlock, colBlock);
  }

  /** Turns to page (rowBlock, colBlock); writes its cells when the table is open. */
  render(rowBlock, colBlock) {
    if (!this.grid) return;
    const { label, rows, cols, at } = this.grid;
    const where = tablePage(rows, cols, rowBlock, colBlock);
    this.rowBlock = where.rowBlock;
    this.colBlock = where.colBlock;
    if (!this.details.open) return;
    const page = [this.grid, where.rowBlock, where.colBlock];
    if (this.built?.every((part, i) => part === page[i])) return;
    this.built = page;
    const rowsPaged = where.rowBlocks > 1;
    const colsPaged = where.colBlocks > 1;
    const part = [
      rowsPaged ? `rows ${where.first} to ${where.last} of ${rows}` : null,
      colsPaged ? `columns ${where.firstCol} to ${where.lastCol} of ${cols}` : null,
    ].filter(Boolean);
    const name = `${label}, ${shapeText([rows, cols])}`;
    this.caption.textContent = part.length ? `${name}: ${part.join(", ")}` : name;
    const head = element("thead");
    const headRow = element("tr");
    const corner = element("td");
    headRow.append(corner);
    for (let c = where.firstCol; c <= where.lastCol; c += 1) {
      const th = element("th", null, String(c));
      th.scope = "col";
      headRow.append(th);
    }
    head.append(headRow);
    const body = element("tbody");
    for (let r = where.first; r <= where.last; r += 1) {
      const tr = element("tr");
      const th = element("th", null, String(r));
      th.scope = "row";
      tr.append(th);
      for (let c = where.firstCol; c <= where.lastCol; c += 1) {
        const value = at(r, c);
        const td = element("td", value < 0 ? "is-negative" : null, formatValue(value));
        tr.append(td);
      }
      body.append(tr);
    }
    this.table.replaceChildren(this.caption, head, body);
    this.pager.hidden = !(rowsPaged || colsPaged);
    this.previous.hidden = !rowsPaged;
    this.next.hidden = !rowsPaged;
    this.left.hidden = !colsPaged;
    this.right.hidden = !colsPaged;
    this.previous.disabled = where.rowBlock === 0;
    this.next.disabled = where.rowBlock === where.rowBlocks - 1;
    this.left.disabled = where.colBlock === 0;
    this.right.disabled = where.colBlock === where.colBlocks - 1;
    const status = [
      rowsPaged ? `Rows ${where.first}–${where.last} of ${rows}` : null,
      colsPaged ? `columns ${where.firstCol}–${where.lastCol} of ${cols}` : null,
    ].filter(Boolean);
    this.status.textContent = status.join(", ");
  }
}
