// The assignment pages' pure helpers: where a page is, which token it holds, and what it says
// about tasks, attempts, verdicts and the lecturer's table.

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  assignmentIdOf,
  attemptsText,
  closingText,
  fieldOf,
  fromHash,
  maskShown,
  points,
  problemsByField,
  problemsText,
  readEntries,
  rulesText,
  shownShape,
  standingText,
  tableCell,
  tableSummary,
  taskName,
  verdictText,
  workMove,
  workSession,
} from "../../static/js/assignment-state.js";

const status = (fields = {}) => ({
  task: "Delta2",
  attempts: 0,
  attempts_left: 3,
  best: 0,
  total: 4,
  right: false,
  score: 0,
  last: null,
  ...fields,
});

describe("a page finds its assignment and its token", () => {
  test("the id is the path's, under any prefix, for the student's and the lecturer's page", () => {
    assert.equal(assignmentIdOf("/assignments/Ab-3_x"), "Ab-3_x");
    assert.equal(assignmentIdOf("/bpv/assignments/Ab-3_x/lecturer"), "Ab-3_x");
    assert.equal(assignmentIdOf("/assignments/new"), null);
    assert.equal(assignmentIdOf("/"), null);
  });

  test("a token is read from the fragment, never the query", () => {
    const href = "http://h/assignments/a?student=no#student=tok-1&convention=row";
    assert.equal(fromHash(href, "student"), "tok-1");
    assert.equal(fromHash("http://h/assignments/a#token=T", "token"), "T");
    assert.equal(fromHash("http://h/assignments/a?token=T", "token"), null);
  });
});

describe("a student's work is a session to the stepping page's views", () => {
  test("its position and a move read as a session's", () => {
    const position = { cursor: 4, step_count: 6, current: 4 };
    assert.deepEqual(workSession("a1", position, []), {
      id: "a1",
      iteration: 0,
      cursor: 4,
      step_count: 6,
      current: 4,
      read_only: false,
      outline: [],
    });
    const step = { number: 4, tensors: {} };
    assert.deepEqual(workMove("a1", { position, step }).session.cursor, 4);
    assert.equal(workMove("a1", { position, step }).step, step);
  });
});

describe("tasks are named and their shapes shown in the page's convention", () => {
  test("names", () => {
    assert.equal(taskName("Delta2"), "Δ₂");
    assert.equal(taskName("gradW1", "row"), "∇W₁ᵀ");
  });
  test("shapes", () => {
    assert.deepEqual(shownShape([3, 2]), [3, 2]);
    assert.deepEqual(shownShape([3, 2], "row"), [2, 3]);
  });
  test("a mask of the column convention, shown in the row convention, is transposed", () => {
    const mask = [
      [true, false],
      [true, true],
      [false, true],
    ];
    assert.deepEqual(maskShown(mask, "row"), [
      [true, true, false],
      [false, true, true],
    ]);
    assert.equal(maskShown(mask), mask);
    assert.equal(maskShown(null, "row"), null);
  });
});

describe("attempts and standing are said in words", () => {
  for (const [fields, text] of [
    [{}, "3 of 3 attempts left"],
    [{ attempts: 2, attempts_left: 1 }, "1 of 3 attempt left"],
    [{ attempts: 3, attempts_left: 0 }, "no attempts left"],
    [{ attempts: 9, attempts_left: null }, "unlimited attempts"],
  ]) {
    test(text, () => assert.equal(attemptsText(status(fields)), text));
  }
  test("standing", () => {
    assert.equal(standingText(status()), "Not answered yet · 3 of 3 attempts left");
    assert.equal(
      standingText(status({ attempts: 1, attempts_left: 2, best: 3 })),
      "Best: 3 of 4 entries right · 2 of 3 attempts left",
    );
    assert.equal(
      standingText(status({ attempts: 2, attempts_left: 1, best: 4, right: true })),
      "Right: all 4 entries · 1 of 3 attempt left",
    );
  });
});

describe("typed entries are read as numbers, or named when they are not", () => {
  test("numbers, a minus sign as typed in print, exponents", () => {
    assert.deepEqual(readEntries([["0.5", " −0.25 ", "1e-3"]]), { values: [[0.5, -0.25, 0.001]] });
  });
  test("an empty or wrong entry is named by its row and column", () => {
    const { problems } = readEntries([
      ["1", ""],
      ["x", "2"],
    ]);
    assert.deepEqual(problems, [
      { row: 1, col: 2 },
      { row: 2, col: 1 },
    ]);
    assert.equal(
      problemsText("Δ₂", problems),
      "Δ₂[1, 2], Δ₂[2, 1]: type a number in each entry (e.g. -0.25 or 1e-3).",
    );
  });
});

/** The API's answer to attempt `attempt` whose entries were right where `correct` says. */
function checkAnswer(attempt, correct) {
  const entries = correct.flat();
  const right = entries.filter(Boolean).length;
  return {
    attempt,
    all_correct: right === entries.length,
    correct_count: right,
    total: entries.length,
    correct,
  };
}

describe("a verdict says which entries are right, never what they should be", () => {
  test("some wrong", () => {
    const answer = checkAnswer(2, [
      [true, false],
      [false, true],
    ]);
    assert.equal(
      verdictText("∇W₁", answer),
      "Attempt 2: 2 of 4 entries of ∇W₁ right; wrong: [1, 2], [2, 1].",
    );
  });
  test("all right", () => {
    const answer = checkAnswer(1, [[true, true]]);
    assert.equal(verdictText("Δ₂", answer), "Attempt 1: every entry of Δ₂ is right.");
  });
});

describe("closing times and rules", () => {
  const open = { closes_at: null, closed: false, revealed: false };
  test("open, closed, revealed", () => {
    assert.equal(closingText(open), "Open until the lecturer closes it.");
    assert.equal(closingText({ ...open, closed: true }), "Closed.");
    assert.match(closingText({ ...open, revealed: true }), /solutions are revealed/);
  });
  test("a closing time in the reader's time zone", () => {
    const soon = { ...open, closes_at: "2030-03-20T17:00:00Z" };
    const now = Date.parse("2030-03-01T00:00:00Z");
    // ICU versions differ on the comma after the weekday.
    assert.match(
      closingText(soon, { now, timeZone: "UTC" }),
      /^Closes on Wednesday,? 20 March 2030 at 17:00\.$/,
    );
    assert.match(closingText(soon, { now, timeZone: "Europe/Berlin" }), /at 18:00\.$/);
    assert.match(closingText({ ...soon, closed: true }, { timeZone: "UTC" }), /^Closed on/);
  });
  test("rules", () => {
    assert.equal(
      rulesText({ tolerance: 0.001, attempts: 3 }),
      "An entry is right within 0.001 × (1 + |expected|); 3 attempts per task.",
    );
    assert.match(rulesText({ tolerance: 0.01, attempts: null }), /unlimited attempts per task/);
  });
});

describe("the API's refusals are put by their field", () => {
  test("fields of the body, and the rest together", () => {
    const detail = [
      { loc: ["body", "number"], msg: "has joined already" },
      { loc: ["path", "assignment_id"], msg: "closed" },
      { loc: ["body"], msg: "bad" },
    ];
    assert.deepEqual(problemsByField(detail), { number: "has joined already", "": "closed bad" });
    assert.deepEqual(problemsByField("gone"), { "": "gone" });
  });
  test("a template's fields are the form's own", () => {
    assert.equal(fieldOf(["body", "template", "layers", 1]), "layers");
    assert.equal(fieldOf(["body", "template"]), "template");
    assert.equal(fieldOf(["body", "tasks", 0]), "tasks");
    assert.equal(fieldOf(["header", "authorization"]), "");
  });
});

describe("the lecturer's table says right or wrong, entries and attempts, in words too", () => {
  test("cells", () => {
    assert.deepEqual(tableCell(status()), { text: "–", label: "not answered", state: "none" });
    assert.deepEqual(tableCell(status({ attempts: 2, best: 4, right: true })), {
      text: "✓ 4/4 · 2 attempts",
      label: "right, 2 attempts",
      state: "right",
    });
    assert.equal(tableCell(status({ attempts: 1, best: 3 })).text, "✗ 3/4 · 1 attempt");
  });
  test("points as the gradebook writes them", () => {
    assert.equal(points(1), "1");
    assert.equal(points(2 / 3), "0.6667");
    assert.equal(points(0.125), "0.125");
  });
  test("a summary", () => {
    const results = {
      assignment: { tasks: [{ name: "Delta2" }, { name: "gradW1" }] },
      students: [{ tasks: [status({ right: true }), status()] }, { tasks: [status(), status()] }],
    };
    assert.equal(tableSummary(results), "2 students joined: 1 right at Δ₂, 0 right at ∇W₁.");
    assert.equal(tableSummary({ ...results, students: [] }), "0 students joined yet.");
  });
});
