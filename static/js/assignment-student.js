// Wiring of the student's page (/assignments/<id>): the store, the join form, the moves through
// the student's own work, the answers, the keys. It holds no state: the store does.
//
// The student's token comes in their personal link's fragment (`#student=…`, which browsers
// send to no server) or from this device's storage, where joining or opening the link puts it;
// it goes to the API in the Authorization header only.

import * as api from "./api.js";
import * as assignments from "./assignment-api.js";
import {
  assignmentIdOf,
  fromHash,
  problemsByField,
  problemsText,
  readEntries,
  tokenKey,
  workMove,
  workSession,
} from "./assignment-state.js";
import { WorkView } from "./assignment-work.js";
import { copyLink } from "./copy.js";
import { byId } from "./dom.js";
import { wireKeyboard } from "./keyboard.js";
import { shownName } from "./notation.js";
import { createStore } from "./store.js";

const assignmentId = assignmentIdOf(window.location.pathname);

function browserStorage() {
  try {
    return window.localStorage;
  } catch {
    return null; // storage may be off: the personal link still opens the work
  }
}
const storage = browserStorage();

const store = createStore({
  href: window.location.href,
  writeAddress: (href) => window.history.replaceState(null, "", href),
  storage,
  describe: api.describe,
});

// --- the moves -------------------------------------------------------------------------------

const convention = () => store.state.convention;

function move(call) {
  return store.run(async (s) => {
    if (!s.state.work) return;
    s.applyMove(workMove(assignmentId, await call(assignmentId, s.state.token, convention())));
  });
}

const moves = {
  step: () =>
    store.state.session?.cursor < store.state.session?.step_count
      ? move(assignments.stepWork)
      : Promise.resolve(),
  back: () => (store.state.session?.cursor > 0 ? move(assignments.backWork) : Promise.resolve()),
  goTo: (number) => move((id, token, shown) => assignments.gotoWork(id, token, shown, number)),
  reread: () => move(assignments.readWorkStep),
};

function submitAnswer(task, cells) {
  const label = shownName(task, store.state);
  const read = readEntries(cells);
  if (read.problems) {
    store.say(problemsText(label, read.problems));
    return;
  }
  store.run(async (s) => {
    const { work, token, submitted } = s.state;
    try {
      const answer = await assignments.submit(assignmentId, token, convention(), task, read.values);
      const tasks = work.tasks.map((status) => (status.task === task ? answer.status : status));
      s.update({ submitted: { ...submitted, [task]: answer }, work: { ...work, tasks } });
    } catch (error) {
      if (error instanceof api.ApiError && error.status === 409) {
        s.update({ work: await assignments.readWork(assignmentId, token) });
      }
      throw error;
    }
  });
}

new WorkView(store, {
  groups: {
    results: byId("results"),
    intermediates: byId("intermediates"),
    operands: byId("operands"),
  },
  onSubmit: submitAnswer,
  onGoto: (number) => moves.goTo(number),
  onDraft: (task, cells) => store.update({ drafts: { ...store.state.drafts, [task]: cells } }),
});

// --- joining and opening the work --------------------------------------------------------------

function showPersonalLink(link, token, fresh) {
  const address = new URL(link, window.location.href);
  address.hash = `student=${token}`;
  byId("personal-link").value = address.toString();
  byId("link-box").open = fresh;
  byId("link-fresh").hidden = !fresh;
}

/** Shows the student's work: their network's first iteration where they left it. */
function openWork(token, work, { fresh = false, link = work.page } = {}) {
  try {
    storage?.setItem(tokenKey(assignmentId), token);
  } catch {
    // storage off: the personal link is how they come back
  }
  byId("join").hidden = true;
  byId("work").hidden = false;
  showPersonalLink(link, token, fresh);
  return store.run(async (s) => {
    s.update({ token, work, submitted: {}, drafts: {} });
    s.applySession(workSession(assignmentId, work.position, work.outline));
    s.applyMove(
      workMove(assignmentId, await assignments.readWorkStep(assignmentId, token, convention())),
    );
  });
}

function showJoin(assignment, text = "") {
  byId("join").hidden = false;
  byId("work").hidden = true;
  byId("join-rules").textContent = `Tasks: ${assignment.tasks
    .map((t) => `${shownName(t.name, store.state)} (step ${t.step})`)
    .join(", ")}.`;
  byId("join-problem").textContent = text;
  byId("join-problem").hidden = text === "";
  byId("join-name").focus();
}

function showFieldProblems(detail) {
  const problems = problemsByField(detail);
  for (const field of ["name", "number"]) {
    const note = byId(`join-${field}-problem`);
    note.textContent = problems[field] ?? "";
    note.hidden = !problems[field];
    byId(`join-${field}`).setAttribute("aria-invalid", String(Boolean(problems[field])));
  }
  byId("join-problem").textContent = problems[""] ?? "";
  byId("join-problem").hidden = !problems[""];
  const first = ["name", "number"].find((field) => problems[field]);
  if (first) byId(`join-${first}`).focus();
}

function wireJoin() {
  byId("join-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = byId("join-button");
    button.disabled = true;
    try {
      const joined = await assignments.join(
        assignmentId,
        byId("join-name").value,
        byId("join-number").value.trim(),
      );
      await openWork(joined.token, joined.work, { fresh: true, link: joined.link });
      byId("personal-link").focus();
    } catch (error) {
      if (error instanceof api.ApiError && Array.isArray(error.detail))
        showFieldProblems(error.detail);
      else showFieldProblems([{ loc: [], msg: api.describe(error) }]);
    } finally {
      button.disabled = false;
    }
  });
  byId("copy-link").addEventListener("click", () =>
    copyLink(byId("personal-link"), byId("copy-said")),
  );
}

// --- what is drawn at once -----------------------------------------------------------------------

function reflect(state, changed) {
  if (changed.has("busy") || changed.has("ready")) document.body.dataset.busy = String(state.busy);
  if (changed.has("ready")) document.body.dataset.ready = String(state.ready);
  if (changed.has("convention")) byId("convention").value = state.convention;
  if ((changed.has("message") || changed.has("busy")) && !state.busy) {
    const status = byId("status");
    status.textContent = state.message.text;
    status.dataset.kind = state.message.kind;
    status.hidden = state.message.text === "";
  }
}

function wireControls() {
  byId("step").addEventListener("click", moves.step);
  byId("back").addEventListener("click", moves.back);
  byId("strip").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-number]");
    if (button && button.getAttribute("aria-current") !== "step") {
      moves.goTo(Number(button.dataset.number));
    }
  });
  byId("convention").addEventListener("change", (event) => {
    store.setNotation({ convention: event.target.value });
    store.update({ submitted: {}, drafts: {} }); // typed in the other shape
    moves.reread();
  });
  wireKeyboard({
    step: moves.step,
    back: moves.back,
    togglePlay: () => {},
    canMove: () => store.state.work !== null,
    editorOpen: () => false,
    closeEditor: () => {},
  });
}

// --- start -----------------------------------------------------------------------------------

async function start() {
  if (!assignmentId) throw new Error("this address names no assignment");
  let assignment;
  try {
    assignment = await assignments.readAssignment(assignmentId);
  } catch (error) {
    if (error instanceof api.ApiError && error.status === 404) {
      byId("missing").hidden = false;
      byId("assignment-title").textContent = "No assignment here";
      return;
    }
    throw error;
  }
  store.update({ assignment });
  document.title = `${assignment.title}: an assignment`;
  byId("assignment-title").textContent = assignment.title;
  const fromLink = fromHash(window.location.href, "student");
  let remembered = null;
  try {
    remembered = storage?.getItem(tokenKey(assignmentId)) ?? null;
  } catch {
    remembered = null;
  }
  const token = fromLink ?? remembered;
  if (!token) return showJoin(assignment);
  try {
    await openWork(token, await assignments.readWork(assignmentId, token));
  } catch (error) {
    if (!(error instanceof api.ApiError && [401, 403].includes(error.status))) throw error;
    try {
      storage?.removeItem(tokenKey(assignmentId));
    } catch {
      // storage off
    }
    showJoin(
      assignment,
      "This link no longer opens your work: your lecturer may have made you a new one. Ask " +
        "them for it; joining again with the same number is refused.",
    );
  }
}

wireJoin();
wireControls();
// A personal link opened in the tab of the student link changes only the fragment: read it.
window.addEventListener("hashchange", () => {
  if (fromHash(window.location.href, "student")) window.location.reload();
});
store.subscribe(reflect);
reflect(store.state, new Set(["convention", "message"]));
start()
  .catch((error) => store.say(api.describe(error)))
  .then(() => store.idle())
  .finally(() => store.update({ busy: false, ready: true }));
