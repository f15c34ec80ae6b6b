// Wiring only: connects the controls, the keyboard, the editor and the address bar to the API,
// and hands what comes back to the renderers.

import * as api from "./api.js";
import { Editor } from "./editor.js";
import { Explainer } from "./explain.js";
import { fitFormulas, renderStepFormulas } from "./formulas.js";
import { renderGradientForms } from "./gradients.js";
import {
  canEmbed,
  chooseNotation,
  notation,
  notationBadge,
  notationNote,
  notationQuery,
  readNotation,
  renderNotationControls,
  shownName,
  writeNotation,
} from "./notation.js";
import { clearMatrices, drawStep, highlightMatrices } from "./plots.js";
import { Predictor } from "./predict.js";
import {
  applyDetails,
  applyMove,
  applySession,
  createState,
  matchingPreset,
  needsDetails,
  position,
  specSummary,
} from "./state.js";
import { fitStrip, renderStrip } from "./strip.js";
import { renderDiagram } from "./diagram.js";
import {
  SharePanel,
  chooseScale,
  follow,
  followedView,
  presenterRequested,
  setPresenter,
  setUpScales,
  specFromAddress,
  writeSpec,
} from "./share.js";
import { TrainingPanel } from "./training.js";

const DEFAULT_PRESET = "xor";

const byId = (id) => document.getElementById(id);
const state = createState();
const groups = {
  operands: byId("operands"),
  intermediates: byId("intermediates"),
  results: byId("results"),
};
let presets = [];
let editor = null;
let queue = Promise.resolve();
let pending = 0;
let playTimer = null;
let message = "";
// Teaching (issue 5, items 1-5): explain an entry, linked hover, notations, gradient forms, predict.
const nameOf = (tensor) => shownName(tensor, state.session);
const explainer = new Explainer(
  byId("explain"),
  (tensor, row, col) => api.explainEntry(state.session, tensor, row, col),
  nameOf,
);
const predictor = new Predictor(
  (tensor, values) =>
    api.checkPrediction(sessionId(), { tensor, values, iteration: shownIteration() }),
  nameOf,
);
let gradientKey = "";
let following = null; // {viewId, source}: the view followed and its event stream
// Training, the network diagram, sharing and presenting (issue 5, items 6-9).
const training = new TrainingPanel(byId("train-panel"), {
  onDone: (session) =>
    enqueue(async () => {
      applySession(state, session);
      // Where the run ended: its last update, as the page shows after any update.
      applyMove(state, await api.readCurrent(session.id));
    }),
  onError: (error) => showStatus(describe(error)),
});
const sharing = new SharePanel(byId("share-panel"), {
  onError: (error) => showStatus(describe(error)),
});
let diagramGradients = { key: "", matrices: null };

// --- messages -----------------------------------------------------------------------------

function describe(error) {
  if (error instanceof api.ApiError) {
    const detail = typeof error.detail === "string" ? error.detail : error.message;
    return error.status ? `The server said (${error.status}): ${detail}` : detail;
  }
  return `Something went wrong: ${error.message ?? error}`;
}

function showStatus(text, kind = "error") {
  const status = byId("status");
  status.textContent = text;
  status.dataset.kind = kind;
  status.hidden = text === "";
}

// --- rendering ----------------------------------------------------------------------------

function renderStep() {
  const { step } = state;
  const formulas = byId("formulas");
  byId("empty-hint").hidden = step !== null;
  if (step === null) {
    byId("step-title").textContent = "No step taken yet";
    formulas.replaceChildren();
    for (const group of Object.values(groups)) {
      clearMatrices(group);
      group.querySelector(".matrix-list").replaceChildren();
      group.hidden = true;
    }
    return Promise.resolve();
  }
  byId("step-title").textContent = `${step.number}. ${step.title}`;
  renderStepFormulas(formulas, step);
  fitFormulas(formulas); // before the heatmaps: a layout of the formulas only
  const { diverged, drawn } = drawStep(groups, step, state);
  // A formula's first big operator or delimiter loads one of KaTeX's fonts, which makes it
  // wider or narrower once loaded: fitted again then.
  const fitted =
    document.fonts.status === "loading"
      ? document.fonts.ready.then(() => fitFormulas(formulas))
      : null;
  if (diverged > 0 && message === "") {
    showStatus(
      "Some entries are not finite numbers: the run has diverged. They are drawn as grey gaps; " +
        "lower the learning rate and apply.",
      "warning",
    );
  }
  return fitted ? Promise.all([drawn, fitted]) : drawn;
}

/** The Back button's title where it can step back (as index.html writes it). */
const BACK_TITLE = "One step back (←)";

/** Draws the whole page from the state; resolves when the heatmaps are drawn. */
function render() {
  const { session, step } = state;
  if (!session) return Promise.resolve();
  showStatus(message);
  byId("position").textContent = position(session, step).text;
  byId("spec-summary").textContent = specSummary(session.spec);
  byId("preset").value = matchingPreset(presets, session.spec);
  const back = byId("back");
  back.disabled = session.current === null;
  // Past the first update with nothing to go back to: the server keeps a bounded number of
  // past weights (none for a network over 131,072 parameters, see MAX_HISTORY_BYTES).
  back.title =
    back.disabled && session.iteration > 1
      ? "The weights before that update are no longer kept (the server keeps only the last " +
        "few, none for a big network): Reset starts over"
      : BACK_TITLE;
  renderStrip(byId("strip"), session.outline, step ? step.number : 0);
  return renderStep().then(renderTeaching).then(renderWorkbench);
}

// --- training, the diagram, share and export -----------------------------------------------

async function renderWorkbench() {
  const { session, step } = state;
  if (!session) return;
  training.update(session);
  sharing.update(session, step);
  const mode = byId("diagram-mode").value;
  let matrices = session.weights;
  try {
    if (mode === "gradient") {
      const key = `${session.id}/${shownIteration()}`;
      if (diagramGradients.key !== key) {
        const trace = await api.readTrace(session);
        const names = session.spec.layers.slice(1).map((_, i) => `gradW${i + 1}`);
        diagramGradients = { key, matrices: names.map((name) => trace.tensors[name].data) };
      }
      matrices = diagramGradients.matrices;
    }
  } catch (error) {
    showStatus(describe(error));
  }
  renderDiagram(byId("diagram"), { session, step, matrices, mode, dead: training.dead });
}

/** Follows a read-only view: the page moves whenever the lecturer's session does, shown in
 * the notation the follower picks (a new pick follows anew: the stream is in one notation). */
function startFollowing(viewId) {
  document.documentElement.classList.add("follower");
  byId("follow-banner").hidden = false;
  following?.source.close();
  return new Promise((resolve) => {
    const source = follow(viewId, {
      onAnswer: (answer) => {
        if (following?.source !== source) return;
        enqueue(async () => {
          applyMove(state, answer);
          if (needsDetails(state)) applyDetails(state, (await api.readView(viewId)).session);
        });
        resolve();
      },
      onGone: (text) => {
        if (following?.source !== source) return;
        byId("follow-banner").hidden = true;
        enqueue(async () => {
          throw new Error(text);
        });
        resolve();
      },
    });
    following = { viewId, source };
  });
}

function wireWorkbench() {
  const redraw = () => enqueue(async () => {});
  byId("diagram-mode").addEventListener("change", redraw);
  const scale = byId("colour-scale");
  setUpScales(scale, window.location.href);
  scale.addEventListener("change", () => {
    chooseScale(scale);
    training.redraw();
    redraw();
  });
  const presenter = byId("presenter");
  if (presenterRequested(window.location.href)) setPresenter(true, presenter);
  presenter.addEventListener("click", () => {
    setPresenter(presenter.getAttribute("aria-pressed") !== "true", presenter);
    training.redraw();
    redraw();
  });
}

// --- teaching: notations, explain, predict, gradient forms --------------------------------

/** The iteration (from 1) the shown step belongs to: the one just finished after an update. */
function shownIteration() {
  return position(state.session, state.step).iteration;
}

/** Names the step shown and its notation: explanations and predictions belong to it. */
function stepKey() {
  const { session, step } = state;
  if (!session || !step) return "";
  return `${session.id}/${shownIteration()}/${step.number}/${notationQuery(session)}`;
}

function renderTeaching() {
  const { session, step } = state;
  if (!session) return;
  renderNotationControls(byId("convention"), byId("view"), session);
  byId("notation-note").textContent = notationNote(session);
  const key = stepKey();
  explainer.setStep(key, document.querySelector(".matrix-panel"));
  predictor.setStep(key);
  byId("compare-gradients").hidden = step?.phase !== "backward";
  if (key !== gradientKey) byId("gradient-forms").hidden = true;
  if (!step) return;
  const badge = document.createElement("span");
  badge.className = "notation-badge";
  badge.textContent = notationBadge(session);
  byId("step-title").append(" ", badge);
  explainer.attach(document.querySelectorAll("#results .matrix, #intermediates .matrix"));
  predictor.mask(groups.intermediates);
  predictor.mask(groups.results);
}

function wireTeaching() {
  for (const key of ["convention", "view"]) {
    byId(key).addEventListener("change", (event) => {
      chooseNotation(key, event.target.value);
      writeNotation();
      state.ranges.clear();
      if (following) {
        startFollowing(following.viewId); // the stream's first event shows the new notation
        return;
      }
      enqueue(async () => applyMove(state, await api.readCurrent(sessionId())));
    });
  }
  const predict = byId("predict-mode");
  predict.addEventListener("click", () => {
    predictor.on = !predictor.on;
    predict.setAttribute("aria-pressed", String(predictor.on));
    // The step already shown stays shown; the next ones are hidden until predicted.
    predictor.stepKey = stepKey();
    predictor.revealed = new Set([
      ...(state.step?.intermediates ?? []),
      ...(state.step?.results ?? []),
    ]);
    enqueue(async () => {});
  });
  byId("explain-close").addEventListener("click", () => explainer.close());
  byId("gradients-close").addEventListener("click", () => {
    byId("gradient-forms").hidden = true;
    gradientKey = "";
  });
  byId("compare-gradients").addEventListener("click", async () => {
    const key = stepKey();
    const layer = state.step?.layer;
    try {
      const answer = await api.gradientForms(sessionId(), layer);
      if (key !== stepKey() || !layer) return;
      gradientKey = key;
      renderGradientForms(byId("gradient-forms"), answer, layer);
      byId("gradient-forms").scrollIntoView({ block: "nearest" });
    } catch (error) {
      showStatus(describe(error));
    }
  });
}

// --- moves, one at a time ------------------------------------------------------------------

/** Runs `action` after the moves before it; the page is drawn once the queue is empty. */
function enqueue(action) {
  pending += 1;
  document.body.dataset.busy = "true";
  queue = queue.then(async () => {
    try {
      message = "";
      await action();
    } catch (error) {
      message = describe(error);
      pause();
    } finally {
      pending -= 1;
      if (pending === 0) {
        await render();
        if (pending === 0) document.body.dataset.busy = "false";
      }
    }
  });
  return queue;
}

const sessionId = () => state.session.id;

/** Moves the session; a move across an update reads its new parameters and losses too. */
function move(call) {
  return enqueue(async () => {
    if (!state.session) return;
    applyMove(state, await call(sessionId()));
    if (needsDetails(state)) applyDetails(state, await api.readSession(sessionId()));
  });
}

const stepOnce = () => move(api.stepSession);

function stepBack() {
  if (state.session?.current === null) return queue;
  return move(api.backSession);
}

function goTo(number) {
  return move((id) => api.gotoStep(id, number));
}

function runToEnd() {
  return goTo(state.session.step_count);
}

function reset() {
  return enqueue(async () => applySession(state, await api.resetSession(sessionId())));
}

function userMove(action) {
  pause();
  if (state.session?.read_only) return queue;
  return action();
}

// --- play ----------------------------------------------------------------------------------

function renderPlay() {
  const button = byId("play");
  button.setAttribute("aria-pressed", String(state.playing));
  button.querySelector(".play-icon").textContent = state.playing ? "❚❚" : "▶";
  button.querySelector(".play-text").textContent = state.playing ? "Pause" : "Play";
}

function tick() {
  if (!state.playing) return;
  stepOnce().then(() => {
    if (state.playing) playTimer = setTimeout(tick, 1000 / state.stepsPerSecond);
  });
}

function play() {
  if (state.session?.read_only) return;
  state.playing = true;
  renderPlay();
  tick();
}

function pause() {
  state.playing = false;
  clearTimeout(playTimer);
  renderPlay();
}

const togglePlay = () => (state.playing ? pause() : play());

// --- sessions ------------------------------------------------------------------------------

function rememberSession(id) {
  const url = new URL(window.location.href);
  url.searchParams.set("session", id);
  window.history.replaceState(null, "", url);
}

function openEditor(open) {
  byId("editor").hidden = !open;
  byId("edit-network").setAttribute("aria-expanded", String(open));
  if (open) byId("editor").querySelector("input, select, button")?.focus();
}

/** Creates a session from `spec`; a 422 puts the API's messages next to the fields. */
function startSession(spec) {
  pause();
  return enqueue(async () => {
    try {
      const session = await api.createSession(spec);
      applySession(state, session);
      editor.fill(session.spec);
      rememberSession(session.id);
      writeSpec(spec);
      openEditor(false);
    } catch (error) {
      if (error instanceof api.ApiError && error.status === 422) {
        openEditor(true);
        editor.showErrors(error.detail);
        message = "The network was not changed: see the marked fields in the editor.";
        return;
      }
      throw error;
    }
  });
}

function startPreset(id) {
  const preset = presets.find((p) => p.id === id);
  if (!preset) return queue;
  editor.fill(preset.spec);
  byId("preset-description").textContent = preset.description;
  return startSession(preset.spec);
}

async function restore(id) {
  try {
    applySession(state, await api.readSession(id));
    applyMove(state, await api.readCurrent(id));
    if (needsDetails(state)) applyDetails(state, await api.readSession(id));
    editor.fill(state.session.spec);
    if (!specFromAddress(window.location.href)) writeSpec(state.session.spec);
    return true;
  } catch (error) {
    if (error instanceof api.ApiError && error.status === 404) {
      message = "The session in the address is gone (expired or deleted): a new one was started.";
      return false;
    }
    throw error;
  }
}

// --- wiring --------------------------------------------------------------------------------

/** Whether the focused element uses `key` itself (typing, a slider's arrows, a checkbox's space). */
function ownsKey(target, key) {
  if (!(target instanceof Element)) return false;
  if (target.closest(".editor, textarea, select, [contenteditable]")) return true;
  if (target instanceof HTMLInputElement) {
    if (target.type === "range") return key !== " ";
    if (target.type === "checkbox" || target.type === "radio") return key === " ";
    return true;
  }
  return false;
}

function wireKeyboard() {
  let spaceHandled = false;
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "Escape" && !byId("editor").hidden) {
      openEditor(false);
      byId("edit-network").focus();
      return;
    }
    if (ownsKey(event.target, event.key) || !state.session) return;
    if (event.key === "ArrowRight") userMove(stepOnce);
    else if (event.key === "ArrowLeft") userMove(stepBack);
    else if (event.key === " ") {
      spaceHandled = true;
      if (!event.repeat) togglePlay();
    } else return;
    event.preventDefault();
  });
  // A focused button would also take the space as a click when the key goes up.
  document.addEventListener("keyup", (event) => {
    if (event.key === " " && spaceHandled) {
      spaceHandled = false;
      event.preventDefault();
    }
  });
}

function wireControls() {
  byId("step").addEventListener("click", () => userMove(stepOnce));
  byId("back").addEventListener("click", () => userMove(stepBack));
  byId("run-to-end").addEventListener("click", () => userMove(runToEnd));
  byId("reset").addEventListener("click", () => userMove(reset));
  byId("play").addEventListener("click", togglePlay);
  const speed = byId("speed");
  speed.addEventListener("input", () => {
    state.stepsPerSecond = Number(speed.value);
    byId("speed-value").textContent = `${speed.value} step/s`;
  });
  byId("strip").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-number]");
    if (!button || button.getAttribute("aria-current") === "step") return;
    userMove(() => goTo(Number(button.dataset.number)));
  });
  byId("preset").addEventListener("change", (event) => {
    if (event.target.value) startPreset(event.target.value);
  });
  window.addEventListener("resize", () => {
    fitStrip(byId("strip"));
    fitFormulas(byId("formulas"));
  });
  byId("edit-network").addEventListener("click", () => openEditor(byId("editor").hidden));
  byId("editor-close").addEventListener("click", () => openEditor(false));
  const formulas = byId("formulas");
  const matrices = document.querySelector(".matrix-panel");
  const highlight = (event) => {
    const line = event.target.closest?.(".formula-line");
    highlightMatrices(matrices, line?.dataset.tensors ?? "");
  };
  for (const type of ["mouseover", "focusin"]) formulas.addEventListener(type, highlight);
  for (const type of ["mouseleave", "focusout"]) {
    formulas.addEventListener(type, () => highlightMatrices(matrices, ""));
  }
}

async function start() {
  wireControls();
  wireKeyboard();
  wireTeaching();
  wireWorkbench();
  readNotation(window.location.href);
  api.useNotation(() => notationQuery(state.session));
  try {
    const [presetList, activations, objectives] = await Promise.all([
      api.listPresets(),
      api.listActivations(),
      api.listObjectives(),
    ]);
    presets = presetList;
    const select = byId("preset");
    for (const preset of presets) {
      const option = document.createElement("option");
      option.value = preset.id;
      option.textContent = preset.name;
      option.title = preset.description;
      select.append(option);
    }
    editor = new Editor(byId("editor-form"), { activations, objectives, onApply: startSession });
    const viewId = followedView(window.location.href);
    if (viewId) {
      await startFollowing(viewId);
      return;
    }
    const id = new URL(window.location.href).searchParams.get("session");
    if (id && (await restore(id))) {
      // The homogeneous view needs the session's spec (biases?), known only now.
      if (notation.view === "homogeneous" && canEmbed(state.session)) {
        applyMove(state, await api.readCurrent(id));
      }
      await render();
      return;
    }
    const linked = specFromAddress(window.location.href);
    if (linked) {
      editor.fill(linked);
      await startSession(linked);
      if (state.session) return;
    }
    const first = presets.find((p) => p.id === DEFAULT_PRESET) ?? presets[0];
    await startPreset(first.id);
  } catch (error) {
    showStatus(describe(error));
    byId("position").textContent = "Not connected";
  }
}

start().finally(() => {
  document.body.dataset.busy = "false";
  document.body.dataset.ready = "true";
});
