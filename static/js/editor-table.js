// The editor's inputs and targets: one sample a row, a field per entry, filled by typing, by
// pasting cells from a spreadsheet or from CSV. A batch too big to draw as fields is said so
// and edited as CSV, so that no width or batch freezes the page while it draws.

import { countText } from "./numbers.js";
import { parseTable, subscript } from "./state.js";

/** Most entries (inputs and targets of every sample) drawn as fields. */
export const MAX_TABLE_ENTRIES = 2048;

export function element(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "text") node.textContent = value;
    else if (key in node) node[key] = value;
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

/** A width as the table can use it: a whole number from 1 on, else 0 (no columns). */
export function usableWidth(text) {
  const value = Number(text);
  return Number.isInteger(value) && value >= 1 ? value : 0;
}

export function padded(row, length) {
  return Array.from({ length }, (_, i) => row[i] ?? "0");
}

export class DataTable {
  /** `table` is the <table> of fields, `note` the line said instead when it is too big. */
  constructor(table, note) {
    this.table = table;
    this.note = note;
    this.inputs = [["0"]]; // per sample, its inputs as typed
    this.targets = [["0"]]; // per sample, its targets as typed
    table.addEventListener("input", (event) => this.edited(event.target));
  }

  /** Draws the fields of `n` inputs and `nk` targets per sample (nk 0: no targets). */
  render(n, nk) {
    const entries = (n + nk) * this.inputs.length;
    this.note.hidden = entries <= MAX_TABLE_ENTRIES;
    if (entries > MAX_TABLE_ENTRIES) {
      const count = (number, noun) => `${number} ${noun}${number === 1 ? "" : "s"}`;
      const targets = nk ? ` and ${count(nk, "target")}` : "";
      this.note.textContent =
        `${count(this.inputs.length, "sample")} of ${count(n, "input")}${targets} are ` +
        `${countText(entries)} entries, too many to edit one by one here: replace ` +
        "them with CSV below.";
      this.table.replaceChildren();
      return;
    }
    const head = element("tr", {}, [
      element("th", { scope: "col", text: "sample" }),
      ...Array.from({ length: n }, (_, c) =>
        element("th", { scope: "col", text: `x${subscript(c + 1)}` }),
      ),
      ...Array.from({ length: nk }, (_, c) =>
        element("th", { scope: "col", className: "target-col", text: `y${subscript(c + 1)}` }),
      ),
    ]);
    const body = this.inputs.map((row, j) => {
      const cells = [element("th", { scope: "row", text: String(j + 1) })];
      const add = (kind, values, count, symbol) => {
        for (let c = 0; c < count; c += 1) {
          const input = element("input", {
            type: "text",
            inputMode: "decimal",
            className: "cell",
            value: values[c] ?? "0",
            dataset: {
              loc: `${kind}.${j}.${c}`,
              label: `sample ${j + 1}, ${symbol}${subscript(c + 1)}`,
              kind,
              row: j,
              col: c,
            },
            "aria-label": `Sample ${j + 1}, ${symbol}${subscript(c + 1)}`,
          });
          cells.push(element("td", { className: kind === "targets" ? "target-col" : "" }, [input]));
        }
      };
      add("inputs", row, n, "x");
      add("targets", this.targets[j] ?? [], nk, "y");
      return element("tr", {}, cells);
    });
    this.table.replaceChildren(element("thead", {}, [head]), element("tbody", {}, body));
  }

  edited(input) {
    if (!input.classList.contains("cell")) return;
    const rows = input.dataset.kind === "inputs" ? this.inputs : this.targets;
    const row = Number(input.dataset.row);
    rows[row] = rows[row] ?? [];
    rows[row][Number(input.dataset.col)] = input.value;
  }

  addSample(n, nk) {
    this.inputs.push(padded([], n));
    this.targets.push(padded([], nk));
  }

  removeSample() {
    if (this.inputs.length > 1) {
      this.inputs.pop();
      this.targets.pop();
    }
  }

  /**
   * Cells pasted from a spreadsheet (or CSV) into a field fill the table from that field on;
   * true when the paste was taken (text of several cells), false to leave it to the field.
   */
  pasted(event, n) {
    const input = event.target;
    if (!input.classList?.contains("cell")) return false;
    const text = event.clipboardData?.getData("text/plain") ?? "";
    if (!/[\s,;]/.test(text.trim())) return false;
    event.preventDefault();
    const startRow = Number(input.dataset.row);
    const startCol = Number(input.dataset.col) + (input.dataset.kind === "targets" ? n : 0);
    parseTable(text).forEach((cells, r) => {
      const j = startRow + r;
      while (this.inputs.length <= j) {
        this.inputs.push([]);
        this.targets.push([]);
      }
      cells.forEach((cell, c) => {
        const col = startCol + c;
        if (col < n) this.inputs[j][col] = cell;
        else this.targets[j][col - n] = cell;
      });
    });
    return true;
  }

  /** Takes the samples of `text` (CSV, `n` inputs then `nk` targets a line); the error, or "". */
  fromCsv(text, n, nk) {
    // A first line that is not numbers is a header.
    const rows = parseTable(text).filter(
      (cells, i) => i > 0 || cells.every((cell) => Number.isFinite(Number(cell))),
    );
    if (rows.length === 0) return "No rows of numbers found.";
    const wrong = rows.findIndex((cells) => cells.length !== n + nk);
    if (wrong >= 0) {
      const needs = `${n} inputs${nk ? ` and ${nk} targets` : ""}`;
      return `Row ${wrong + 1} has ${rows[wrong].length} values; each row needs ${needs}.`;
    }
    this.inputs = rows.map((cells) => cells.slice(0, n));
    this.targets = rows.map((cells) => cells.slice(n));
    return "";
  }
}
