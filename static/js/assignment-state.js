// Pure helpers of the assignment pages (the student's and the lecturer's): where the page is,
// which token it holds, and every sentence it says about tasks, attempts, verdicts and the
// table. No DOM, no requests, no maths: the server grades; the page only reads its answers.

import { displayName } from "./state.js";

/** The assignment id of an assignment page's path (`/bpv/assignments/<id>[/lecturer]`). */
export function assignmentIdOf(pathname) {
  const match = pathname.match(/\/assignments\/([A-Za-z0-9_-]+)(?:\/lecturer)?\/?$/);
  return match && match[1] !== "new" ? match[1] : null;
}

/** The value of `#<name>=…` in an address, or null: the place a token travels in a link. */
export function fromHash(href, name) {
  const hash = new URL(href).hash.replace(/^#/, "");
  return new URLSearchParams(hash).get(name) || null;
}

/** Where a student's token is remembered on this device, for the assignment `id`. */
export const tokenKey = (id) => `bpv-assignment-${id}`;

/** The position of a student's work as the stepping page's store keeps a session's. */
export function workSession(assignmentId, position, outline) {
  return {
    id: assignmentId,
    iteration: 0,
    cursor: position.cursor,
    step_count: position.step_count,
    current: position.current,
    read_only: false,
    outline,
  };
}

/** A move of the student's work ({position, step}) as a session's move answer. */
export function workMove(assignmentId, answer) {
  const { cursor, step_count: count, current } = answer.position;
  return {
    session: {
      id: assignmentId,
      iteration: 0,
      cursor,
      step_count: count,
      current,
      read_only: false,
    },
    step: answer.step,
  };
}

/** A task's name as the page writes it, e.g. "Δ₂" ("Δ₂ᵀ" in the row convention). */
export const taskName = (name, convention = "column") =>
  displayName(name, { transposed: convention === "row" });

/** A shape as shown in a convention: [rows, cols], transposed in the row convention. */
export const shownShape = ([rows, cols], convention = "column") =>
  convention === "row" ? [cols, rows] : [rows, cols];

/** "2 of 3 attempts left", "no attempts left", "unlimited attempts". */
export function attemptsText(status) {
  if (status.attempts_left === null) return "unlimited attempts";
  if (status.attempts_left === 0) return "no attempts left";
  const of = status.attempts + status.attempts_left;
  const s = status.attempts_left === 1 ? "" : "s";
  return `${status.attempts_left} of ${of} attempt${s} left`;
}

/** How a student stands at a task, in one sentence. */
export function standingText(status) {
  if (status.attempts === 0) return `Not answered yet · ${attemptsText(status)}`;
  if (status.right) return `Right: all ${status.total} entries · ${attemptsText(status)}`;
  return `Best: ${status.best} of ${status.total} entries right · ${attemptsText(status)}`;
}

/**
 * Entries typed as text (rows of strings) read as numbers: `values` when every entry is one,
 * else `problems`, each {row, col} (from 1) of an entry that is empty or not a number.
 */
export function readEntries(cells) {
  const problems = [];
  const values = cells.map((row, r) =>
    row.map((text, c) => {
      const trimmed = String(text ?? "")
        .trim()
        .replace(/^−/, "-");
      const value = trimmed === "" ? Number.NaN : Number(trimmed);
      if (!Number.isFinite(value)) problems.push({ row: r + 1, col: c + 1 });
      return value;
    }),
  );
  return problems.length ? { problems } : { values };
}

/** A sentence naming the entries that could not be read, e.g. "Δ₂[1, 2] and Δ₂[1, 3]". */
export function problemsText(label, problems) {
  const named = problems.slice(0, 4).map(({ row, col }) => `${label}[${row}, ${col}]`);
  const more = problems.length > 4 ? ` and ${problems.length - 4} more` : "";
  return `${named.join(", ")}${more}: type a number in each entry (e.g. -0.25 or 1e-3).`;
}

/**
 * A graded submission as the page says it: the sentence, and per entry whether it is right,
 * shown in the convention of the page (the API answers in the convention asked for).
 */
export function verdictText(label, answer) {
  const wrong = [];
  answer.correct.forEach((row, r) => {
    row.forEach((right, c) => {
      if (!right) wrong.push(`[${r + 1}, ${c + 1}]`);
    });
  });
  const attempt = `Attempt ${answer.attempt}`;
  if (answer.all_correct) return `${attempt}: every entry of ${label} is right.`;
  const shown = wrong.slice(0, 6).join(", ") + (wrong.length > 6 ? ", …" : "");
  return (
    `${attempt}: ${answer.correct_count} of ${answer.total} entries of ${label} right; ` +
    `wrong: ${shown}.`
  );
}

/** A mask of the column convention as shown in `convention` (transposed in the row one). */
export function maskShown(mask, convention = "column") {
  if (!mask || convention !== "row") return mask;
  return mask[0].map((_, c) => mask.map((row) => row[c]));
}

/** When the assignment closes, in the reader's time zone (`timeZone` for tests). */
export function closingText(assignment, { now = Date.now(), timeZone } = {}) {
  if (assignment.revealed) return "The solutions are revealed: submissions are closed.";
  if (assignment.closes_at === null) {
    return assignment.closed ? "Closed." : "Open until the lecturer closes it.";
  }
  const when = new Date(assignment.closes_at);
  const text = new Intl.DateTimeFormat("en-GB", {
    dateStyle: "full",
    timeStyle: "short",
    timeZone,
  }).format(when);
  return assignment.closed || when.getTime() <= now ? `Closed on ${text}.` : `Closes on ${text}.`;
}

/** The rules of an assignment in one line: tolerance and attempts. */
export function rulesText(assignment) {
  const attempts =
    assignment.attempts === null
      ? "unlimited attempts per task"
      : `${assignment.attempts} attempt${assignment.attempts === 1 ? "" : "s"} per task`;
  return `An entry is right within ${assignment.tolerance} × (1 + |expected|); ${attempts}.`;
}

/**
 * The field of the body an API refusal names: `name` for ["body", "name"], `layers` for
 * ["body", "template", "layers", 1] (a template's fields are the form's), "" for the rest.
 */
export function fieldOf(loc) {
  if (!Array.isArray(loc) || loc[0] !== "body" || typeof loc[1] !== "string") return "";
  return loc[1] === "template" && typeof loc[2] === "string" ? loc[2] : loc[1];
}

/** The API's 422 or 409 details by field (see fieldOf): {name, number, …, "": the rest}. */
export function problemsByField(detail) {
  if (!Array.isArray(detail)) return { "": String(detail ?? "") };
  const out = {};
  for (const issue of detail) {
    const field = fieldOf(issue.loc);
    out[field] = out[field] ? `${out[field]} ${issue.msg}` : issue.msg;
  }
  return out;
}

/**
 * A cell of the lecturer's table for one student's task: its text (right or not, entries
 * right, attempts) and what it says to a screen reader, without relying on colour.
 */
export function tableCell(status) {
  if (status.attempts === 0) return { text: "–", label: "not answered", state: "none" };
  const attempts = `${status.attempts} attempt${status.attempts === 1 ? "" : "s"}`;
  const entries = `${status.best}/${status.total}`;
  if (status.right) {
    return { text: `✓ ${entries} · ${attempts}`, label: `right, ${attempts}`, state: "right" };
  }
  return {
    text: `✗ ${entries} · ${attempts}`,
    label: `${status.best} of ${status.total} entries right at best, ${attempts}`,
    state: "wrong",
  };
}

/** A score or a total as the gradebook writes it: at most 4 decimals, no trailing zeros. */
export const points = (value) => String(Number(value.toFixed(4)));

/** The lecturer's table summarised: students, and how many have each task right. */
export function tableSummary(results) {
  const count = results.students.length;
  const right = results.assignment.tasks.map(
    (task, i) =>
      `${results.students.filter((s) => s.tasks[i].right).length} right at ${taskName(task.name)}`,
  );
  const who = `${count} student${count === 1 ? "" : "s"} joined`;
  return count ? `${who}: ${right.join(", ")}.` : `${who} yet.`;
}
