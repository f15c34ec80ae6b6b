// The stepping page's views of the store: the position and the strip, the step's formulas and
// matrices, the teaching panels and the workbench (diagram, training, share). They are drawn
// once the moves queued are done (store.onSettled); `busy` stays true until they are.

import * as api from "./api.js";
import { renderDiagram } from "./diagram.js";
import { byId } from "./dom.js";
import { fitFormulas, renderStepFormulas, texLoaded } from "./formulas.js";
import { notationBadge, notationNote, notationQuery, renderNotationControls } from "./notation.js";
import { matchingPreset, position, shownIteration, specSummary } from "./state.js";
import { renderStrip } from "./strip.js";

/** The Back button's title where it can step back (as index.html writes it). */
const BACK_TITLE = "One step back (←)";

/** Whether Back is off: nothing to go back to, or a training run going on. */
export function backIsOff(state) {
  return state.training || state.session?.current === null;
}

/** Names the step shown and its notation: explanations and predictions belong to it. */
export function stepKey(state) {
  const { session, step } = state;
  if (!session || !step) return "";
  return `${session.id}/${shownIteration(state)}/${step.number}/${notationQuery(state)}`;
}

/**
 * The page drawn from `store`: `parts` are the panels it updates, {matrices (the step's
 * matrices, step-matrices.js), explainer, predictor, training, sharing}.
 */
export class StepPage {
  constructor(store, parts) {
    this.store = store;
    Object.assign(this, parts);
    this.diagramGradients = { key: "", matrices: null }; // ∇W_i of the iteration shown
    store.onSettled((state) => this.draw(state));
  }

  /** Draws the whole page; resolves when the heatmaps are drawn. */
  async draw(state) {
    const { session, step } = state;
    if (!session) return;
    this.matrices.measure(state); // before any write of this drawing
    byId("position").textContent = position(session, step).text;
    byId("spec-summary").textContent = specSummary(session.spec);
    const preset = matchingPreset(state.presets, session.spec);
    byId("preset").value = preset;
    byId("preset-description").textContent =
      state.presets.find((p) => p.id === preset)?.description ?? "";
    const back = byId("back");
    back.disabled = backIsOff(state);
    // Past the first update with nothing to go back to: the server keeps a bounded number of
    // past weights (none for a network over 131,072 parameters, see MAX_HISTORY_BYTES). Said
    // in a line beside the buttons, not in a tooltip only.
    const forgotten = session.current === null && (session.losses?.length ?? 0) > 0;
    back.title = forgotten ? byId("back-note").textContent.replace(/\s+/g, " ").trim() : BACK_TITLE;
    // Once said for a session, the line keeps its room (unseen when it does not apply), so
    // that the page below does not move up and down around each update.
    if (forgotten) this.backNoteFor = session.id;
    const note = byId("back-note");
    note.hidden = !forgotten && this.backNoteFor !== session.id;
    note.style.visibility = forgotten ? "" : "hidden";
    if (forgotten) back.setAttribute("aria-describedby", "back-note");
    else back.removeAttribute("aria-describedby");
    renderStrip(byId("strip"), session.outline, step ? step.number : 0);
    if (step) await texLoaded(); // its formulas and the matrices' names are typeset
    await this.drawStep(state);
    this.drawTeaching(state);
    await this.drawWorkbench(state);
  }

  drawStep(state) {
    const { step } = state;
    const formulas = byId("formulas");
    byId("empty-hint").hidden = step !== null;
    if (step === null) {
      byId("step-title").textContent = "No step taken yet";
      formulas.replaceChildren();
      return this.matrices.draw(state).drawn;
    }
    byId("step-title").textContent = `${step.number}. ${step.title}`;
    // The equation layout draws the formulas as their matrices; the panels write them beside.
    const panels = state.layout !== "equation";
    if (panels) renderStepFormulas(formulas, step);
    else formulas.replaceChildren();
    const { diverged, drawn } = this.matrices.draw(state);
    // Fitted after the matrices are written: the layout the matrix groups' heights are read in
    // (the panels keep their room) is the one the formulas' widths are read in too.
    if (panels) fitFormulas(formulas);
    // A formula's first big operator or delimiter loads one of KaTeX's fonts, which makes it
    // wider or narrower once loaded: fitted again then.
    const fitted =
      document.fonts.status === "loading"
        ? document.fonts.ready.then(() => fitFormulas(formulas))
        : null;
    if (diverged > 0 && this.store.state.message.text === "") {
      this.store.say(
        "Some entries are not finite numbers: the run has diverged. They are drawn as " +
          "hatched grey gaps; lower the learning rate and apply.",
        "warning",
      );
    }
    return fitted ? Promise.all([drawn, fitted]) : drawn;
  }

  /** Notations, explain, predict and the gradient forms, for the step shown. */
  drawTeaching(state) {
    const { step } = state;
    renderNotationControls(byId("convention"), byId("view"), state);
    byId("notation-note").textContent = notationNote(state);
    const key = stepKey(state);
    this.explainer.setStep(key, this.matrices.root(state));
    this.predictor.setStep(key);
    byId("compare-gradients").hidden = step?.phase !== "backward";
    if (key !== state.gradientsOf) {
      byId("gradient-forms").hidden = true;
      this.store.update({ gradientsOf: "" });
    }
    if (!step) return;
    const badge = document.createElement("span");
    badge.className = "notation-badge";
    badge.textContent = notationBadge(state);
    byId("step-title").append(" ", badge);
    this.matrices.mask(state, this.predictor);
  }

  /** Training, the diagram, share and export. */
  async drawWorkbench(state) {
    const { session, step, diagramEdges: mode } = state;
    this.training.update(session);
    this.sharing.update(session, step);
    let matrices = session.weights;
    try {
      if (mode === "gradient") {
        const key = `${session.id}/${shownIteration(state)}`;
        if (this.diagramGradients.key !== key) {
          const trace = await api.readTrace(session);
          const names = session.spec.layers.slice(1).map((_, i) => `gradW${i + 1}`);
          this.diagramGradients = { key, matrices: names.map((name) => trace.tensors[name].data) };
        }
        matrices = this.diagramGradients.matrices;
      }
    } catch (error) {
      this.store.say(api.describe(error));
    }
    const { dead } = this.training;
    renderDiagram(byId("diagram"), { session, step, matrices, mode, dead, scale: state.scale });
  }
}
