// A matrix as a real table: the alternative to its colours for a screen reader (always in the
// page) and for anyone who switches "Table" on (shown in place of the colours). Row and column
// headers count from 1; entries are written as the cells write them; a big matrix pages
// through its rows.

import { formatValue, shapeText } from "./numbers.js";

/** Most entries one page of a table holds (at least one whole row). */
export const PAGE_ENTRIES = 400;

/** The rows (1-based, inclusive) of the page `page` (0-based) of a matrix, and the page count. */
export function tablePage(rows, cols, page) {
  const perPage = Math.max(1, Math.floor(PAGE_ENTRIES / cols));
  const pages = Math.ceil(rows / perPage);
  const shown = Math.min(Math.max(0, page), pages - 1);
  const first = shown * perPage + 1;
  return { page: shown, pages, first, last: Math.min(rows, first + perPage - 1), perPage };
}

function element(tag, className, text = null) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== null) node.textContent = text;
  return node;
}

/**
 * The table of one matrix and its pager. `show(grid)` writes the entries of `grid`
 * ({label, rows, cols, at(r, c)}, 1-based) from its first page, or keeps the page shown when the
 * matrix has the same shape; `showRow(r)` turns to the page that holds row r.
 */
export class MatrixTable {
  constructor() {
    this.element = element("div", "matrix-table");
    this.holder = element("div", "matrix-table-holder");
    this.table = element("table", "matrix-table-grid");
    this.holder.append(this.table);
    this.caption = element("caption", "matrix-table-caption");
    this.pager = element("div", "matrix-table-pager");
    this.status = element("span", "matrix-table-status");
    this.status.setAttribute("aria-live", "polite");
    this.previous = this.button("Previous rows", -1);
    this.next = this.button("Next rows", 1);
    this.pager.append(this.previous, this.status, this.next);
    this.element.append(this.holder, this.pager);
    this.grid = null;
    this.page = 0;
  }

  button(text, direction) {
    const button = element("button", "button button-small", text);
    button.type = "button";
    button.addEventListener("click", () => this.turn(this.page + direction));
    return button;
  }

  show(grid) {
    const sameShape = this.grid && this.grid.rows === grid.rows && this.grid.cols === grid.cols;
    this.grid = grid;
    this.render(sameShape ? this.page : 0);
  }

  showRow(row) {
    if (!this.grid) return;
    const { perPage } = tablePage(this.grid.rows, this.grid.cols, 0);
    const page = Math.floor((row - 1) / perPage);
    if (page !== this.page) this.render(page);
  }

  turn(page) {
    this.render(page);
  }

  render(page) {
    const { label, rows, cols, at } = this.grid;
    const where = tablePage(rows, cols, page);
    this.page = where.page;
    const paged = where.pages > 1;
    this.caption.textContent = paged
      ? `${label}, ${shapeText([rows, cols])}: rows ${where.first} to ${where.last} of ${rows}`
      : `${label}, ${shapeText([rows, cols])}`;
    const head = element("thead");
    const headRow = element("tr");
    const corner = element("td");
    headRow.append(corner);
    for (let c = 1; c <= cols; c += 1) {
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
      for (let c = 1; c <= cols; c += 1) {
        const value = at(r, c);
        const td = element("td", value < 0 ? "is-negative" : null, formatValue(value));
        tr.append(td);
      }
      body.append(tr);
    }
    this.table.replaceChildren(this.caption, head, body);
    this.pager.hidden = !paged;
    this.previous.disabled = where.page === 0;
    this.next.disabled = where.page === where.pages - 1;
    this.status.textContent = paged ? `Rows ${where.first}–${where.last} of ${rows}` : "";
  }
}
