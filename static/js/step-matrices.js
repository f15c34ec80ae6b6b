// The matrices of the step shown, in the layout the store says: the equation view (each formula
// line drawn as its matrices, fitted to the room; presenter mode's) or the panels (results,
// intermediates and operands beside the KaTeX formulas). Both draw with the one matrix
// renderer; this module chooses, sizes the room and says where the explainer and predict mode
// find the matrices.

import { EquationView } from "./equation.js";
import { maskInPlace } from "./equation-predict.js";
import { drawPanels, matrixRoom, pageScale } from "./matrix-panels.js";
import { shownName } from "./notation.js";
import { colourStops } from "./scales.js";
import { colourRange } from "./state.js";

const rem = () => parseFloat(getComputedStyle(document.documentElement).fontSize) || 18;

/** The step's matrices: `groups` are the panels' groups by role, `view` the equation view's element. */
export class StepMatrices {
  constructor({ groups, view }) {
    this.groups = groups;
    this.view = view;
    this.equation = new EquationView(view);
    this.panel = groups.results.closest(".matrix-panel");
  }

  /**
   * Measures the panels' room for the next `draw`: called before the page writes anything for
   * the step, when the layout of the last frame still holds, so that reading it lays out
   * nothing (measured in `draw`, after the formulas are written, it took a layout of its own).
   */
  measure(state) {
    this.measured =
      !state.step || state.layout === "equation"
        ? null
        : { room: matrixRoom(this.groups.results), scale: pageScale() };
  }

  /** How a matrix of `state` is coloured and named. */
  looks(state) {
    return {
      range: (tensor) => colourRange(state, tensor),
      label: (name) => shownName(name, state),
      stops: colourStops(state.scale),
      // What the panels keep their room for: the network and how its matrices are shown.
      keep: [state.session?.id, state.convention, state.view, state.names, state.tables].join("/"),
    };
  }

  /**
   * The room of the equation view: its width, and in presenter mode the screen's height below
   * its top (the page may scroll otherwise).
   */
  room(state) {
    const top = this.view.getBoundingClientRect().top + window.scrollY;
    const bottom = 0.5 * rem();
    return {
      width: this.view.clientWidth,
      height: state.presenter ? window.innerHeight - top - bottom : Infinity,
    };
  }

  /**
   * Draws the matrices of `state.step` in its layout; the other layout is emptied. Returns the
   * number of matrices with entries that are not finite, and a promise that is kept once the
   * equation view is fitted again with the fonts KaTeX loads (its text measured before them is
   * narrower).
   */
  draw(state) {
    const { step } = state;
    // Every tensor's range first, so that W₁ (new), drawn before W₁, shares its scale.
    for (const tensor of Object.values(step?.tensors ?? {})) colourRange(state, tensor);
    const looks = this.looks(state);
    if (!step || state.layout !== "equation") {
      this.view.replaceChildren();
      const measured = this.measured ?? {};
      this.measured = null;
      return {
        diverged: drawPanels(this.groups, step, { ...looks, ...measured }),
        drawn: Promise.resolve(),
      };
    }
    drawPanels(this.groups, null, looks);
    const size = rem();
    const options = {
      ...looks,
      room: this.room(state),
      captions: true,
      most: state.presenter ? Math.max(80, window.innerHeight / 6) : 3.2 * size,
      maxFont: Math.round(size * (state.presenter ? 1.1 : 0.95)),
      predict: state.predict,
    };
    const { diverged } = this.equation.draw(step, options);
    const drawn =
      document.fonts.status === "loading"
        ? document.fonts.ready.then(() =>
            this.equation.draw(step, { ...options, room: this.room(state) }),
          )
        : Promise.resolve();
    return { diverged, drawn };
  }

  /** Where the matrices the explainer listens to are, in the layout of `state`. */
  root(state) {
    return state.layout === "equation" ? this.view : this.panel;
  }

  /** Hides, in predict mode, what the step computes until the student has predicted it. */
  mask(state, predictor) {
    const { step } = state;
    if (!step) return;
    const names = [...step.intermediates, ...step.results];
    if (state.layout === "equation") {
      if (state.predict) maskInPlace(predictor, this.view, names, this.equation.predictBar);
      else this.equation.predictBar.hidden = true;
      return;
    }
    if (state.predict) {
      predictor.mask(this.groups.intermediates);
      predictor.mask(this.groups.results);
    }
  }
}
