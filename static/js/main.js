// Wiring only: connects the controls, the keyboard, the editor and the address bar to the API,
// and hands what comes back to the renderers.

import * as api from "./api.js";
import { Editor } from "./editor.js";
import { renderStepFormulas } from "./formulas.js";
import { clearMatrices, drawStep, highlightMatrices } from "./plots.js";
import {
  applyMove,
  applySession,
  createState,
  matchingPreset,
  position,
  specSummary,
} from "./state.js";
import { fitStrip, renderStrip } from "./strip.js";

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
  const { diverged, drawn } = drawStep(groups, step, state);
  if (diverged > 0 && message === "") {
    showStatus(
      "Some entries are not finite numbers: the run has diverged. They are drawn as grey gaps; " +
        "lower the learning rate and apply.",
      "warning",
    );
  }
  return drawn;
}

/** Draws the whole page from the state; resolves when the heatmaps are drawn. */
function render() {
  const { session, step } = state;
  if (!session) return Promise.resolve();
  showStatus(message);
  byId("position").textContent = position(session, step).text;
  byId("spec-summary").textContent = specSummary(session.spec);
  byId("preset").value = matchingPreset(presets, session.spec);
  byId("back").disabled = session.current === null;
  renderStrip(byId("strip"), session.outline, step ? step.number : 0);
  return renderStep();
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

function move(call) {
  return enqueue(async () => {
    if (state.session) applyMove(state, await call(sessionId()));
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
    const answer = await api.readCurrent(id);
    applySession(state, answer.session);
    applyMove(state, answer);
    editor.fill(answer.session.spec);
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
  window.addEventListener("resize", () => fitStrip(byId("strip")));
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
    const id = new URL(window.location.href).searchParams.get("session");
    if (id && (await restore(id))) {
      await render();
      return;
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
