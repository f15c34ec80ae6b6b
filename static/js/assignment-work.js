// The student's page, drawn from the store: where they are in their iteration, the step's
// formulas and matrices as the stepping page draws them, and in place of every tensor withheld
// either an answer grid (a task: type it, submit it, see which entries are right) or a note
// saying why it is not shown. The tasks' list says how the student stands at each.

import {
  attemptsText,
  closingText,
  maskShown,
  rulesText,
  shownShape,
  standingText,
  taskName,
  verdictText,
} from "./assignment-state.js";
import { byId, element } from "./dom.js";
import { fitFormulas, renderStepFormulas } from "./formulas.js";
import { drawPanels } from "./matrix-panels.js";
import { shownName } from "./notation.js";
import { colourStops } from "./scales.js";
import { colourRange, parseTable, position } from "./state.js";
import { renderStrip } from "./strip.js";

/** Most entries of a task typed one by one; a bigger one is pasted as a table of numbers. */
const MAX_GRID = 144;

/** The student's page: `onSubmit(task, cells)` sends an answer, `onGoto(step)` moves. */
export class WorkView {
  constructor(store, { groups, onSubmit, onGoto, onDraft }) {
    this.store = store;
    this.groups = groups;
    this.onSubmit = onSubmit;
    this.onGoto = onGoto;
    this.onDraft = onDraft;
    store.onSettled((state) => this.draw(state));
  }

  /** Draws the whole page for the student's work; resolves when the matrices are drawn. */
  draw(state) {
    const { work, session, step } = state;
    if (!work || !session) return;
    const { assignment } = work;
    byId("assignment-title").textContent = assignment.title;
    byId("who").textContent = `${work.name} · ${work.number}`;
    byId("closing").textContent = closingText(assignment);
    byId("rules").textContent = rulesText(assignment);
    byId("work-closed").hidden = !(assignment.closed || assignment.revealed);
    byId("work-closed").textContent = closingText(assignment);
    byId("position").textContent = position(session, step).text;
    byId("back").disabled = session.cursor === 0;
    byId("step").disabled = session.cursor >= session.step_count;
    renderStrip(byId("strip"), work.outline, step ? step.number : 0);
    this.drawTasks(state);
    return this.drawStep(state);
  }

  drawTasks(state) {
    const { work, convention } = state;
    const items = work.assignment.tasks.map((task, i) => {
      const status = work.tasks[i];
      const [rows, cols] = shownShape(task.shape, convention);
      const item = element("li", `task task-${status.right ? "right" : "open"}`);
      item.dataset.task = task.name;
      const head = element("p", "task-head");
      head.append(
        element("strong", "task-name", taskName(task.name, convention)),
        ` (${rows} × ${cols}), step ${task.step}: ${task.step_title}`,
      );
      const standing = element("p", "task-standing", standingText(status));
      const go = element("button", "button button-small", `Go to step ${task.step}`);
      go.type = "button";
      go.addEventListener("click", () => this.onGoto(task.step));
      item.append(head, standing, go);
      return item;
    });
    byId("tasks").replaceChildren(...items);
    byId("revealed-note").hidden = !work.assignment.revealed;
  }

  async drawStep(state) {
    const { step } = state;
    const formulas = byId("formulas");
    byId("empty-hint").hidden = step !== null;
    const looks = {
      range: (tensor) => colourRange(state, tensor),
      label: (name) => shownName(name, state),
      stops: colourStops(state.scale),
    };
    if (step === null) {
      byId("step-title").textContent = "No step taken yet";
      formulas.replaceChildren();
      drawPanels(this.groups, null, looks);
      return;
    }
    byId("step-title").textContent = `${step.number}. ${step.title}`;
    renderStepFormulas(formulas, step);
    fitFormulas(formulas);
    drawPanels(this.groups, step, looks);
    this.drawWithheld(state);
    if (document.fonts.status === "loading") {
      await document.fonts.ready;
      fitFormulas(formulas);
    }
  }

  /** In place of each withheld tensor of the step: an answer grid, or why it is not shown. */
  drawWithheld(state) {
    const { step, work } = state;
    const tasks = new Map(work.assignment.tasks.map((task, i) => [task.name, i]));
    for (const role of ["results", "intermediates", "operands"]) {
      const group = this.groups[role];
      const list = group.querySelector(".matrix-list");
      const withheld = step[role].filter((name) => step.withheld.includes(name));
      for (const name of withheld.reverse()) {
        const shape = step.shapes[name];
        const task = tasks.has(name) ? work.assignment.tasks[tasks.get(name)] : null;
        const figure =
          task && role !== "operands"
            ? this.answerFigure(state, name, shape, work.tasks[tasks.get(name)])
            : this.withheldFigure(state, name, shape, task);
        list.prepend(figure);
      }
      group.hidden = list.children.length === 0;
    }
  }

  /** Why a tensor is not shown: a task answered at its own step, or computed from a task. */
  withheldFigure(state, name, [rows, cols], task) {
    const figure = element("figure", "matrix withheld");
    figure.dataset.tensor = name;
    const label = shownName(name, state);
    const why = task
      ? `${label} is a task: you answer it at step ${task.step}. Its values are shown once the ` +
        "solutions are revealed."
      : "Withheld until the solutions are revealed: it is computed from a task, so it would " +
        "give that task away.";
    figure.append(
      element("figcaption", "withheld-caption", `${label} (${rows} × ${cols})`),
      element("p", "withheld-note", why),
    );
    return figure;
  }

  answerFigure(state, name, [rows, cols], status) {
    const { work, submitted, drafts, convention } = state;
    const label = shownName(name, state);
    const closed = work.assignment.closed || work.assignment.revealed;
    const figure = element("figure", "matrix answer");
    figure.dataset.tensor = name;
    const form = element("form", "answer-form");
    form.noValidate = true;
    const caption = element("figcaption", "answer-caption", `Your answer: ${label}`);
    caption.id = `answer-${name}`;
    const hint = element("p", "answer-hint");
    hint.textContent = status.right
      ? `Right: every entry of ${label} (${rows} × ${cols}).`
      : `Work out ${label} (${rows} × ${cols}) and submit it · ${attemptsText(status)}.`;
    const answer = submitted[name] ?? null;
    const mask = answer ? answer.correct : maskShown(status.last, convention);
    const typed = drafts[name] ?? Array.from({ length: rows }, () => Array(cols).fill(""));
    const entries =
      rows * cols > MAX_GRID
        ? this.pasteBox(name, label, rows, cols, typed)
        : this.grid(name, label, rows, cols, typed, mask);
    const buttons = element("div", "answer-buttons");
    const send = element("button", "button button-small button-primary", `Submit ${label}`);
    send.type = "submit";
    send.disabled = closed || status.right || status.attempts_left === 0;
    buttons.append(send);
    const verdict = element("p", "answer-verdict");
    verdict.setAttribute("role", "status");
    verdict.textContent = answer ? verdictText(label, answer) : "";
    form.setAttribute("aria-labelledby", caption.id);
    form.append(hint, entries, buttons, verdict);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.onSubmit(name, this.cellsOf(form, rows, cols));
    });
    figure.append(caption, form);
    return figure;
  }

  grid(name, label, rows, cols, typed, mask) {
    const table = element("table", "answer-grid");
    for (let r = 0; r < rows; r += 1) {
      const tr = element("tr");
      for (let c = 0; c < cols; c += 1) {
        const td = element("td");
        const input = element("input", "answer-cell");
        input.type = "text";
        input.inputMode = "decimal";
        input.size = 7;
        input.autocomplete = "off";
        input.value = typed[r]?.[c] ?? "";
        const right = mask?.[r]?.[c];
        let said = `${label}[${r + 1}, ${c + 1}]`;
        if (right !== undefined && right !== null) {
          td.classList.add(right ? "is-right" : "is-wrong");
          td.append(input, element("span", "answer-mark", right ? "✓" : "✗"));
          said += right ? ", right" : ", wrong";
        } else {
          td.append(input);
        }
        input.setAttribute("aria-label", said);
        input.addEventListener("input", () => this.onDraft(name, this.cellsOf(table, rows, cols)));
        tr.append(td);
      }
      table.append(tr);
    }
    return table;
  }

  pasteBox(name, label, rows, cols, typed) {
    const box = element("textarea", "answer-paste");
    box.rows = Math.min(rows, 12);
    box.setAttribute(
      "aria-label",
      `${label}: ${rows} rows of ${cols} numbers, separated by commas, tabs or spaces`,
    );
    box.value = typed.map((row) => row.join("\t")).join("\n");
    box.addEventListener("input", () => this.onDraft(name, parseTable(box.value)));
    return box;
  }

  /** The entries typed in `root` (a grid or a paste box) as rows of text. */
  cellsOf(root, rows, cols) {
    const box = root.querySelector?.(".answer-paste") ?? (root.matches?.(".answer-paste") && root);
    if (box) return parseTable(box.value);
    const inputs = [...root.querySelectorAll(".answer-cell")].map((input) => input.value);
    return Array.from({ length: rows }, (_, r) => inputs.slice(r * cols, (r + 1) * cols));
  }
}
