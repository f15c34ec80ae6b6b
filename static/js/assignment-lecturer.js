// Wiring and drawing of the lecturer's page (/assignments/<id>/lecturer#token=…): the live
// table, the settings (close, reopen, closing time, attempts, reveal), the gradebook download
// and one student's tools (another network, a new personal link). The token is read from the
// address's fragment, which browsers send to no server, and sent in the Authorization header.

import * as api from "./api.js";
import * as assignments from "./assignment-api.js";
import {
  assignmentIdOf,
  closingText,
  fromHash,
  points,
  problemsByField,
  rulesText,
  tableCell,
  tableSummary,
  taskName,
} from "./assignment-state.js";
import { copyLink } from "./copy.js";
import { byId, element } from "./dom.js";
import { createStore } from "./store.js";

const assignmentId = assignmentIdOf(window.location.pathname);

/** How often the table is read again while the page is visible. */
const POLL_MILLISECONDS = 5000;

const store = createStore({
  href: window.location.href,
  writeAddress: (href) => window.history.replaceState(null, "", href),
  describe: api.describe,
});

// --- drawing -----------------------------------------------------------------------------------

function drawSettings(assignment) {
  byId("assignment-title").textContent = assignment.title;
  document.title = `${assignment.title}: the lecturer's page`;
  byId("student-link").value = new URL(assignment.page, window.location.href).toString();
  byId("closing").textContent = closingText(assignment);
  byId("rules").textContent = rulesText(assignment);
  byId("close-now").hidden = assignment.closed || assignment.revealed;
  byId("reopen").hidden = !assignment.closed || assignment.revealed;
  byId("reveal").hidden = assignment.revealed;
  byId("revealed").hidden = !assignment.revealed;
  const attempts = byId("attempts");
  if (document.activeElement !== attempts) attempts.value = assignment.attempts ?? "";
}

function drawTable(results) {
  const { tasks } = results.assignment;
  const head = element("tr");
  head.append(element("th", "", "Student"), element("th", "", "Number"));
  for (const task of tasks) {
    const th = element("th", "", taskName(task.name));
    th.title = `${task.name}, step ${task.step}: ${task.step_title}`;
    head.append(th);
  }
  head.append(element("th", "", "Total"), element("th", "", "Step"), element("th", "", "Seed"));
  for (const cell of head.children) cell.scope = "col";
  byId("results-table").tHead.replaceChildren(head);
  const rows = results.students.map((student) => {
    const tr = element("tr");
    const name = element("th", "", student.name);
    name.scope = "row";
    tr.append(name, element("td", "", student.number));
    student.tasks.forEach((status, i) => {
      const cell = tableCell(status);
      const td = element("td", `cell-${cell.state}`, cell.text);
      td.setAttribute("aria-label", `${taskName(tasks[i].name)}: ${cell.label}`);
      tr.append(td);
    });
    const seed = student.seed_given ? `${student.seed} (chosen)` : String(student.seed);
    tr.append(
      element("td", "", points(student.total)),
      element("td", "", String(student.cursor)),
      element("td", "", seed),
    );
    return tr;
  });
  const body = byId("results-table").tBodies[0];
  if (rows.length === 0) {
    const empty = element("td", "cell-none", "No student has joined yet.");
    empty.colSpan = tasks.length + 5;
    const tr = element("tr");
    tr.append(empty);
    rows.push(tr);
  }
  body.replaceChildren(...rows);
  byId("table-summary").textContent = tableSummary(results);
  byId("student-numbers").replaceChildren(
    ...results.students.map((s) => Object.assign(element("option"), { value: s.number })),
  );
}

function draw(state) {
  if (!state.results) return;
  drawSettings(state.results.assignment);
  drawTable(state.results);
}

function reflect(state, changed) {
  if (changed.has("busy") || changed.has("ready")) document.body.dataset.busy = String(state.busy);
  if (changed.has("ready")) document.body.dataset.ready = String(state.ready);
  if ((changed.has("message") || changed.has("busy")) && !state.busy) {
    const status = byId("status");
    status.textContent = state.message.text;
    status.dataset.kind = state.message.kind;
    status.hidden = state.message.text === "";
  }
}

// --- the actions -----------------------------------------------------------------------------

const token = () => store.state.token;

/** Reads the table again. */
const refresh = () =>
  store.run(async (s) =>
    s.update({ results: await assignments.readResults(assignmentId, token()) }),
  );

function showProblem(id, error) {
  const note = byId(id);
  const problems =
    error instanceof api.ApiError ? problemsByField(error.detail) : { "": api.describe(error) };
  note.textContent = Object.values(problems).join(" ");
  note.hidden = note.textContent === "";
}

/** Changes the assignment, then reads the table again; a refusal is said next to the field
 * `problemId` (when given) or on the message line. */
const change = (body, problemId = null) =>
  store.run(async (s) => {
    if (problemId) byId(problemId).hidden = true;
    try {
      await assignments.changeAssignment(assignmentId, token(), body);
    } catch (error) {
      if (!problemId) throw error;
      showProblem(problemId, error);
      return;
    }
    s.update({ results: await assignments.readResults(assignmentId, token()) });
  });

function wireSettings() {
  byId("close-now").addEventListener("click", () => change({ closed: true }));
  byId("reopen").addEventListener("click", () => change({ closed: false }));
  byId("closes-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = byId("closes-at").value;
    const when = text ? new Date(text) : null; // datetime-local: the reader's time
    if (when && Number.isNaN(when.getTime())) {
      showProblem("closes-problem", new Error("Give a date and a time."));
      return;
    }
    change({ closes_at: when ? when.toISOString() : null }, "closes-problem");
  });
  byId("attempts-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = byId("attempts").value.trim();
    const attempts = text === "" ? null : Number(text);
    if (attempts !== null && !(Number.isInteger(attempts) && attempts >= 1)) {
      showProblem("attempts-problem", new Error("Give a whole number of attempts, 1 or more."));
      byId("attempts").setAttribute("aria-invalid", "true");
      return;
    }
    byId("attempts").setAttribute("aria-invalid", "false");
    change({ attempts }, "attempts-problem");
  });
  const confirm = (open) => {
    byId("reveal-confirm").hidden = !open;
    byId("reveal").setAttribute("aria-expanded", String(open));
    if (open) byId("reveal-yes").focus();
  };
  byId("reveal").addEventListener("click", () => confirm(true));
  byId("reveal-no").addEventListener("click", () => {
    confirm(false);
    byId("reveal").focus();
  });
  byId("reveal-yes").addEventListener("click", () => {
    confirm(false);
    change({ revealed: true });
  });
  byId("download").addEventListener("click", () =>
    store.run(async () => {
      const blob = await assignments.gradebook(assignmentId, token());
      const link = element("a");
      link.href = URL.createObjectURL(blob);
      link.download = `gradebook-${assignmentId}.csv`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10000);
    }),
  );
  byId("copy-student-link").addEventListener("click", () =>
    copyLink(byId("student-link"), byId("copy-said")),
  );
}

function wireStudentTools() {
  const number = () => byId("student-number").value.trim();
  const student = (action) =>
    store.run(async (s) => {
      byId("student-problem").hidden = true;
      try {
        await action();
      } catch (error) {
        showProblem("student-problem", error);
        return;
      }
      s.update({ results: await assignments.readResults(assignmentId, token()) });
    });
  byId("student-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = byId("student-seed").value.trim();
    student(() =>
      assignments.changeSeed(assignmentId, token(), number(), text === "" ? null : Number(text)),
    );
  });
  byId("new-link").addEventListener("click", () =>
    student(async () => {
      const renewed = await assignments.renewLink(assignmentId, token(), number());
      byId("student-personal-link").value = new URL(renewed.link, window.location.href).toString();
      byId("student-link-row").hidden = false;
    }),
  );
}

// --- start -----------------------------------------------------------------------------------

async function start() {
  const found = fromHash(window.location.href, "token");
  if (!assignmentId || !found) {
    byId("no-token").hidden = false;
    return;
  }
  store.update({ token: found });
  await refresh();
  if (!store.state.results) return; // the message line says why
  byId("lecturer").hidden = false;
  setInterval(() => {
    if (document.visibilityState === "visible" && !store.state.busy) refresh();
  }, POLL_MILLISECONDS);
}

store.subscribe(reflect);
store.onSettled(draw);
wireSettings();
wireStudentTools();
reflect(store.state, new Set(["message"]));
start()
  .catch((error) => store.say(api.describe(error)))
  .then(() => store.idle())
  .finally(() => store.update({ busy: false, ready: true }));
