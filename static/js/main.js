// Wiring: makes the page's store (store.js, where all of its state lives), the moves and the
// views, and connects the controls, the keyboard and the editor to them. It holds no state.

import * as api from "./api.js";
import { ModalDialog } from "./dialog.js";
import { byId } from "./dom.js";
import { Editor } from "./editor.js";
import { Explainer } from "./explain.js";
import { keepFocus } from "./focus.js";
import { fitFormulas, loadFormulaFonts } from "./formulas.js";
import { renderGradientForms } from "./gradients.js";
import { notationChoice } from "./notation.js";
import { wireKeyboard } from "./keyboard.js";
import { openTables } from "./matrix.js";
import { highlightMatrices } from "./matrix-panels.js";
import { shownName } from "./notation.js";
import { StepPage, backIsOff, stepKey } from "./page.js";
import { Predictor, showTolerance } from "./predict.js";
import { SCALES, colourStops } from "./scales.js";
import { ADDRESS_SAYS, Moves } from "./session.js";
import { RoomPanel } from "./room-panel.js";
import { RoomOwner } from "./rooms.js";
import { SharePanel } from "./share.js";
import { shownIteration } from "./state.js";
import { StepMatrices } from "./step-matrices.js";
import { createStore } from "./store.js";
import { fitStrip } from "./strip.js";
import { TrainingPanel } from "./training.js";

const DEFAULT_PRESET = "xor";

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

// Closed, focus goes back to "Edit network…", or where it can be when that is hidden.
const editorDialog = new ModalDialog(byId("editor"), byId("edit-network"), ["#step", "#step-title"]);
const moves = new Moves(store, { openEditor: (open) => editorDialog.show(open) });
// The network the address links is created at once, and the formulas' fonts come meanwhile: its
// first step, with its formulas, is what the page will show next.
if (moves.createLinked()) loadFormulaFonts();
const nameOf = (tensor) => shownName(tensor, store.state);
const explainer = new Explainer(
  byId("explain"),
  (tensor, row, col) => api.explainEntry(store.state.session, tensor, row, col),
  nameOf,
);
const predictor = new Predictor(
  (tensor, values, tolerance) =>
    api.checkPrediction(store.state.session.id, {
      tensor,
      values,
      tolerance,
      iteration: shownIteration(store.state),
    }),
  nameOf,
  () => store.state.tolerance,
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
    openTables(document, state.tables);
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
  if (changed.has("training")) moveButtonsOff(state);
  if (changed.has("predict")) {
    byId("predict-mode").setAttribute("aria-pressed", String(state.predict));
    byId("tolerance-picker").hidden = !state.predict;
  }
  if (changed.has("tolerance")) {
    byId("tolerance").value = String(state.tolerance);
    showTolerance(document.querySelector(".stage"), state.tolerance);
  }
  if (changed.has("scale")) byId("colour-scale").value = state.scale;
  if (changed.has("diagramEdges")) byId("diagram-mode").value = state.diagramEdges;
  if (changed.has("scale") || changed.has("presenter")) training.redraw();
  if ((changed.has("message") || changed.has("busy")) && !state.busy) showStatus(state.message);
}

/** While training runs, the moves are off (Reset asks to stop first), and a line says why. */
function moveButtonsOff(state) {
  for (const id of ["step", "play", "run-to-end", "preset", "edit-network"]) {
    byId(id).disabled = state.training;
  }
  byId("back").disabled = state.training || backIsOff(state);
  for (const button of byId("strip").querySelectorAll("button")) button.disabled = state.training;
  byId("moves-off").hidden = !state.training;
}

/** Reset, after asking to stop a training run going on (and stopping it). */
async function resetAsked() {
  if (store.state.training) {
    const stop = window.confirm(
      "Training is running. Stop it and reset to iteration 1? The iterations trained so far are kept until the reset.",
    );
    if (!stop) return;
    await training.stop();
    await store.idle();
  }
  moves.byUser(() => moves.reset().then(room.restarted));
}

// --- the controls ----------------------------------------------------------------------------

function wireControls() {
  const byUser = (action) => () => moves.byUser(action);
  byId("step").addEventListener("click", byUser(moves.step));
  byId("back").addEventListener("click", byUser(moves.back));
  byId("run-to-end").addEventListener("click", byUser(moves.runToEnd));
  byId("reset").addEventListener("click", resetAsked);
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
  byId("edit-network").addEventListener("click", () => editorDialog.open());
  byId("editor-close").addEventListener("click", () => editorDialog.close());
  // Closed with nothing shown (the address's network was refused): the default preset.
  byId("editor").addEventListener("close", () => {
    if (store.state.ready && !store.state.session && !store.state.follow) startDefault();
  });
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
    canMove: () => store.state.session !== null && !store.state.training,
  });
  keepFocus({ settled: () => store.idle(), fallbacks: ["#step-title"] });
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
  byId("tolerance").addEventListener("change", (event) => store.setTolerance(event.target.value));
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
  const { follow, sessionId, spec, specProblem } = store.state;
  if (follow) return moves.follow(follow);
  if (sessionId && (await moves.restore(sessionId))) return;
  if (spec) {
    // Refused, the editor stays open with the server's reasons: nothing else is started.
    if (!(await moves.start(spec, { refused: ADDRESS_SAYS.specRefused, fromAddress: true }))) return;
  }
  if (!store.state.session) await startDefault();
  if (sessionId) store.say(ADDRESS_SAYS.sessionGone);
  else if (specProblem) store.say(ADDRESS_SAYS[specProblem]);
}

/** Starts the default preset (XOR). */
function startDefault() {
  const { presets } = store.state;
  const preset = presets.find((p) => p.id === DEFAULT_PRESET) ?? presets[0];
  return moves.startPreset(preset.id);
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
  .finally(() => {
    const position = byId("position");
    if (!store.state.session && position.textContent === "Loading…") {
      position.textContent = "No session shown.";
    }
    store.update({ busy: false, ready: true });
    loadFormulaFonts();
  });
