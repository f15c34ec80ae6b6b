// Wiring: makes the page's store (store.js, where all of its state lives), the moves and the
// views, and connects the controls, the keyboard and the editor to them. It holds no state.

import * as api from "./api.js";
import { Editor } from "./editor.js";
import { Explainer } from "./explain.js";
import { fitFormulas } from "./formulas.js";
import { renderGradientForms } from "./gradients.js";
import { notationChoice } from "./notation.js";
import { wireKeyboard } from "./keyboard.js";
import { shownName } from "./notation.js";
import { StepPage, stepKey } from "./page.js";
import { highlightMatrices } from "./matrix-panels.js";
import { Predictor } from "./predict.js";
import { SCALES, colourStops } from "./scales.js";
import { Moves } from "./session.js";
import { RoomPanel } from "./room-panel.js";
import { RoomOwner } from "./rooms.js";
import { SharePanel } from "./share.js";
import { shownIteration } from "./state.js";
import { StepMatrices } from "./step-matrices.js";
import { createStore } from "./store.js";
import { fitStrip } from "./strip.js";
import { TrainingPanel } from "./training.js";

const DEFAULT_PRESET = "xor";

const byId = (id) => document.getElementById(id);

function browserStorage(kind) {
  try {
    return window[kind];
  } catch {
    return null; // storage may be off
  }
}

const store = createStore({
  href: window.location.href,
  writeAddress: (href) => window.history.replaceState(null, "", href),
  storage: browserStorage("localStorage"),
  tabStorage: browserStorage("sessionStorage"),
  describe: api.describe,
});
const say = (error) => store.say(api.describe(error));

function openEditor(open) {
  byId("editor").hidden = !open;
  byId("edit-network").setAttribute("aria-expanded", String(open));
  if (open) byId("editor").querySelector("input, select, button")?.focus();
}

const moves = new Moves(store, { openEditor });
const nameOf = (tensor) => shownName(tensor, store.state);
const explainer = new Explainer(
  byId("explain"),
  (tensor, row, col) => api.explainEntry(store.state.session, tensor, row, col),
  nameOf,
);
const predictor = new Predictor(
  (tensor, values) =>
    api.checkPrediction(store.state.session.id, {
      tensor,
      values,
      iteration: shownIteration(store.state),
    }),
  nameOf,
);
const training = new TrainingPanel(byId("train-panel"), {
  store,
  onDone: (session) =>
    store.run(async () => {
      store.applySession(session);
      // Where the run ended: its last update, as the page shows after any update.
      store.applyMove(await api.readCurrent(session.id));
    }),
  onError: say,
});
const sharing = new SharePanel(byId("share-panel"), { store, onError: say });
const room = new RoomOwner(store, { onError: say });
new RoomPanel(store, room);
new StepPage(store, {
  matrices: new StepMatrices({
    groups: {
      operands: byId("operands"),
      intermediates: byId("intermediates"),
      results: byId("results"),
    },
    view: byId("equation"),
  }),
  explainer,
  predictor,
  training,
  sharing,
});

// --- what is drawn at once: the root's classes, the buttons' states, the message line -----

function showStatus({ text, kind }) {
  const status = byId("status");
  status.textContent = text;
  status.dataset.kind = kind;
  status.hidden = text === "";
}

function reflect(state, changed) {
  const root = document.documentElement;
  if (changed.has("busy") || changed.has("ready")) document.body.dataset.busy = String(state.busy);
  if (changed.has("ready")) document.body.dataset.ready = String(state.ready);
  if (changed.has("presenter")) {
    root.classList.toggle("presenter", state.presenter);
    byId("presenter").setAttribute("aria-pressed", String(state.presenter));
  }
  if (changed.has("layout")) {
    root.dataset.layout = state.layout;
    byId("layout").value = state.layout;
  }
  if (changed.has("tables")) {
    root.classList.toggle("tables", state.tables);
    byId("tables").setAttribute("aria-pressed", String(state.tables));
  }
  if (changed.has("follow")) root.classList.toggle("follower", state.follow !== null);
  if (changed.has("playing")) {
    const button = byId("play");
    button.setAttribute("aria-pressed", String(state.playing));
    button.querySelector(".play-icon").textContent = state.playing ? "❚❚" : "▶";
    button.querySelector(".play-text").textContent = state.playing ? "Pause" : "Play";
  }
  if (changed.has("speed")) {
    byId("speed").value = String(state.speed);
    byId("speed-value").textContent = `${state.speed} step/s`;
  }
  if (changed.has("predict")) byId("predict-mode").setAttribute("aria-pressed", String(state.predict));
  if (changed.has("scale")) byId("colour-scale").value = state.scale;
  if (changed.has("diagramEdges")) byId("diagram-mode").value = state.diagramEdges;
  if (changed.has("scale") || changed.has("presenter")) training.redraw();
  if ((changed.has("message") || changed.has("busy")) && !state.busy) showStatus(state.message);
}

// --- the controls ----------------------------------------------------------------------------

function wireControls() {
  const byUser = (action) => () => moves.byUser(action);
  byId("step").addEventListener("click", byUser(moves.step));
  byId("back").addEventListener("click", byUser(moves.back));
  byId("run-to-end").addEventListener("click", byUser(moves.runToEnd));
  byId("reset").addEventListener("click", byUser(() => moves.reset().then(room.restarted)));
  byId("play").addEventListener("click", moves.togglePlay);
  byId("speed").addEventListener("input", (event) => store.setSpeed(event.target.value));
  byId("strip").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-number]");
    if (!button || button.getAttribute("aria-current") === "step") return;
    moves.byUser(() => moves.goTo(Number(button.dataset.number)));
  });
  byId("preset").addEventListener("change", (event) => {
    if (event.target.value) moves.startPreset(event.target.value);
  });
  let resized = null;
  window.addEventListener("resize", () => {
    fitStrip(byId("strip"));
    fitFormulas(byId("formulas"));
    // The equation view is fitted to the window: again once it has stopped changing.
    clearTimeout(resized);
    resized = setTimeout(() => {
      if (store.state.layout === "equation" && store.state.step) store.run(() => {});
    }, 150);
  });
  byId("edit-network").addEventListener("click", () => openEditor(byId("editor").hidden));
  byId("editor-close").addEventListener("click", () => openEditor(false));
  const matrices = document.querySelector(".matrix-panel");
  const highlight = (event) => {
    const line = event.target.closest?.(".formula-line");
    highlightMatrices(matrices, line?.dataset.tensors ?? "");
  };
  const formulas = byId("formulas");
  for (const type of ["mouseover", "focusin"]) formulas.addEventListener(type, highlight);
  for (const type of ["mouseleave", "focusout"]) {
    formulas.addEventListener(type, () => highlightMatrices(matrices, ""));
  }
  wireKeyboard({
    step: () => moves.byUser(moves.step),
    back: () => moves.byUser(moves.back),
    togglePlay: moves.togglePlay,
    canMove: () => store.state.session !== null,
    editorOpen: () => !byId("editor").hidden,
    closeEditor: () => {
      openEditor(false);
      byId("edit-network").focus();
    },
  });
}

function wireTeaching() {
  for (const key of ["convention", "view"]) {
    byId(key).addEventListener("change", (event) => {
      store.setNotation(notationChoice(key, event.target.value));
      moves.reread();
    });
  }
  byId("layout").addEventListener("change", (event) => store.setLayout(event.target.value));
  byId("tables").addEventListener("click", () => store.setTables(!store.state.tables));
  byId("predict-mode").addEventListener("click", () => {
    const { state } = store;
    // The step already shown stays shown; the next ones are hidden until predicted.
    predictor.revealAll(stepKey(state), [...(state.step?.intermediates ?? []), ...(state.step?.results ?? [])]);
    store.setPredict(!state.predict);
  });
  byId("explain-close").addEventListener("click", () => explainer.close());
  byId("gradients-close").addEventListener("click", () => {
    byId("gradient-forms").hidden = true;
    store.update({ gradientsOf: "" });
  });
  byId("compare-gradients").addEventListener("click", async () => {
    const key = stepKey(store.state);
    const layer = store.state.step?.layer;
    try {
      const answer = await api.gradientForms(store.state.session.id, layer);
      if (key !== stepKey(store.state) || !layer) return;
      store.update({ gradientsOf: key });
      renderGradientForms(byId("gradient-forms"), answer, layer, colourStops(store.state.scale));
      byId("gradient-forms").scrollIntoView({ block: "nearest" });
    } catch (error) {
      say(error);
    }
  });
}

function wireWorkbench() {
  byId("diagram-mode").addEventListener("change", (event) => {
    store.update({ diagramEdges: event.target.value });
  });
  const scale = byId("colour-scale");
  for (const [name, { label }] of Object.entries(SCALES)) {
    const option = document.createElement("option");
    option.value = name;
    option.textContent = label;
    scale.append(option);
  }
  scale.addEventListener("change", () => store.setScale(scale.value));
  byId("presenter").addEventListener("click", () => store.setPresenter(!store.state.presenter));
}

// --- start -----------------------------------------------------------------------------------

function fillPresets(presets) {
  const select = byId("preset");
  for (const preset of presets) {
    const option = document.createElement("option");
    option.value = preset.id;
    option.textContent = preset.name;
    option.title = preset.description;
    select.append(option);
  }
}

/** Shows the session of the address, the one it follows, the network it links or a preset. */
async function start() {
  const [presets, activations, objectives] = await Promise.all([
    api.listPresets(),
    api.listActivations(),
    api.listObjectives(),
  ]);
  store.update({ presets });
  fillPresets(presets);
  moves.editor = new Editor(byId("editor-form"), {
    activations,
    objectives,
    onApply: (spec) => moves.start(spec),
  });
  const { follow, sessionId, spec } = store.state;
  if (follow) return moves.follow(follow);
  if (sessionId && (await moves.restore(sessionId))) return;
  if (spec) {
    moves.editor.fill(spec);
    await moves.start(spec);
  }
  if (!store.state.session) {
    const preset = presets.find((p) => p.id === DEFAULT_PRESET) ?? presets[0];
    await moves.startPreset(preset.id);
  }
  if (sessionId && store.state.session) {
    store.say("The session in the address is gone (expired or deleted): a new one was started.");
  }
}

// The lecturer's room: followers hear when this page closes, and again when it is back.
window.addEventListener("pagehide", () => room.left());
window.addEventListener("pageshow", (event) => event.persisted && room.point());

wireControls();
wireTeaching();
wireWorkbench();
store.subscribe(reflect);
reflect(store.state, new Set(Object.keys(store.state).filter((key) => !["busy", "ready"].includes(key))));
start()
  .catch((error) => {
    say(error);
    byId("position").textContent = "Not connected";
  })
  .then(() => store.idle())
  .then(() => room.point()) // a room this tab kept: shown this page's session again
  .finally(() => store.update({ busy: false, ready: true }));
