// The Train panel: N iterations streamed from the server with a progress bar, the loss curve,
// per-layer norms of Δ_i and ∇W_i, dead units, and (two inputs) the decision boundary.
// Every number comes from the API; this module only draws it.

import * as api from "./api.js";
import { lossSentence } from "./numbers.js";
import { colourStops } from "./scales.js";
import { entryValue } from "./state.js";
import { boundaryFigure, CONFIG, lossFigure, normsFigure } from "./training-plots.js";

// Plotly.js (its cartesian bundle: line charts, heatmaps, contours) is loaded by the panel the
// first time it has something to draw and is on the screen: most first views of the page
// never need it.
const plotly = () => globalThis.Plotly ?? null;

/** Loads the classic script at `src` once; resolves when it has run. */
function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = resolve;
    script.onerror = () => {
      script.remove();
      reject(new Error("the plotting library could not be loaded"));
    };
    document.head.append(script);
  });
}

export class TrainingPanel {
  /**
   * `root` holds the panel's elements (found by id); `store` has the colour scale;
   * `onDone(session)` takes the trained session; `onError(error)` shows a refusal.
   */
  constructor(root, { store, onDone, onError }) {
    this.root = root;
    this.store = store;
    this.onDone = onDone;
    this.onError = onError;
    this.el = (id) => root.querySelector(`#${id}`);
    this.sessionId = null;
    this.losses = []; // J of each finished iteration (session.losses, extended while training)
    this.norms = { x: [], delta: [], gradient: [] }; // per streamed iteration, per layer
    this.dead = null; // per layer, 1-based dead rows of the last streamed iteration
    this.running = false;
    this.controller = null; // aborts the run's stream: Stop
    this.finished = Promise.resolve(); // the run going on, done
    this.boundaryKey = "";
    this.boundaryBusy = false;
    this.frame = 0;
    this.drawn = ""; // what the curves show now, to skip drawing them again
    this.near = false; // the panel is on the screen, or near it: its plots are worth drawing
    this.loading = null; // Plotly.js being loaded
    this.shown = null; // the session last shown, for the boundary once Plotly is there
    this.el("train-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.run(Number(this.el("train-iterations").value));
    });
    this.el("train-stop").addEventListener("click", () => this.stop());
    this.watchWidths();
    this.watchNearness();
  }

  /**
   * Notes when the panel first comes on the screen. Not before: the page's first screen ends
   * just above it, and most first views never scroll to it.
   */
  watchNearness() {
    if (typeof IntersectionObserver === "undefined") {
      this.near = true;
      return;
    }
    const observer = new IntersectionObserver((entries) => {
      if (!entries.some((entry) => entry.isIntersecting)) return;
      observer.disconnect();
      this.near = true;
      this.schedule();
      if (this.shown) this.refreshBoundary(this.shown);
    });
    observer.observe(this.root);
  }

  /**
   * Plotly.js, or null while it is not loaded: the first call (once the panel is near the
   * screen) loads it, and draws everything when it is there.
   */
  library() {
    const lib = plotly();
    if (lib || !this.near || this.loading || !this.root.dataset.plotly) return lib;
    this.loading = loadScript(this.root.dataset.plotly).then(
      () => {
        this.redraw();
        if (this.shown) this.refreshBoundary(this.shown);
      },
      (error) => {
        this.loading = null;
        this.onError(error);
      },
    );
    return null;
  }

  /** Draws the curves again when a plot's width changes (a resize, the panel shown again). */
  watchWidths() {
    if (typeof ResizeObserver === "undefined") return;
    const widths = new Map();
    const observer = new ResizeObserver((entries) => {
      let changed = false;
      for (const { target, contentRect } of entries) {
        const width = Math.round(contentRect.width);
        changed ||= widths.has(target) && widths.get(target) !== width;
        widths.set(target, width);
      }
      if (changed) {
        this.drawn = "";
        this.schedule();
      }
    });
    for (const id of ["train-loss", "train-norms"]) observer.observe(this.el(id));
  }

  /** Follows the session shown: a new session or a reset forgets the norms. */
  update(session) {
    if (this.running) return;
    const last = this.norms.x.at(-1) ?? 0;
    // The session's iteration is the one it is in (from 1): one more than it has finished.
    if (session.id !== this.sessionId || session.iteration - 1 < last) {
      this.sessionId = session.id;
      this.norms = { x: [], delta: [], gradient: [] };
      this.dead = null;
      this.renderDead();
    }
    this.losses = session.losses.map(entryValue);
    this.layers = session.spec.layers.length - 1;
    this.shown = session;
    this.schedule();
    this.refreshBoundary(session);
  }

  /** Runs `iterations` streamed; resolves once the run has ended (done, stopped or refused). */
  run(iterations) {
    if (this.running || !this.sessionId) return this.finished;
    this.near = true; // the panel's own button was pressed
    this.finished = this.stream(iterations);
    return this.finished;
  }

  /** Stops the run going on (the server keeps every iteration finished); resolves once ended. */
  stop() {
    if (this.controller && !this.controller.signal.aborted) {
      this.controller.abort();
      // The server finishes the chunk it is computing (about 0.1 s, longer on a busy machine).
      const stop = this.el("train-stop");
      stop.textContent = "Stopping…";
      stop.setAttribute("aria-disabled", "true");
      this.el("train-progress-text").textContent += " (stopping: the chunk being computed is kept)";
    }
    return this.finished;
  }

  async stream(iterations) {
    const id = this.sessionId;
    const progress = this.el("train-progress");
    const text = this.el("train-progress-text");
    const before = this.losses.length; // iterations finished before this run
    this.running = true;
    this.controller = new AbortController();
    this.store.setTraining(true);
    this.showRunning(true);
    this.root.dataset.lines = "0";
    progress.max = iterations;
    progress.value = 0;
    text.textContent = `0 / ${iterations}`;
    let lines = 0;
    try {
      await api.trainStream(
        id,
        iterations,
        (line) => {
          if (line.type === "progress" && !this.controller.signal.aborted) {
            lines += 1;
            this.root.dataset.lines = String(lines);
            this.take(line);
            progress.value = line.done;
            text.textContent = `${line.done} / ${line.total}`;
            this.schedule();
            this.refreshBoundary({ id, iteration: line.iteration, spec: this.spec });
          } else if (line.type === "done") {
            this.running = false;
            this.onDone(line.session);
          } else if (line.type === "error") {
            throw new api.ApiError(line.status, line.detail);
          }
        },
        this.controller.signal,
      );
    } catch (error) {
      if (error.name !== "AbortError") this.onError(error);
      else await this.stopped(id, iterations, before);
    } finally {
      this.running = false;
      this.controller = null;
      this.showRunning(false);
      this.store.setTraining(false);
    }
  }

  /** After Stop: the session as the server kept it (its read waits for a chunk still saving). */
  async stopped(id, iterations, before) {
    try {
      const session = await api.readSession(id);
      const ran = session.losses.length - before;
      this.el("train-progress").value = ran;
      this.el("train-progress-text").textContent = `stopped: ${ran} / ${iterations}`;
      this.running = false;
      this.onDone(session);
    } catch (error) {
      this.onError(error);
    }
  }

  /** Train, or Stop while a run goes on (the focus goes from one to the other). */
  showRunning(on) {
    this.root.dataset.training = String(on);
    this.el("train-run").hidden = on;
    const stop = this.el("train-stop");
    stop.hidden = !on;
    stop.textContent = "Stop";
    stop.removeAttribute("aria-disabled");
  }

  /** Takes in one progress line. */
  take(line) {
    const first = line.iteration - line.losses.length;
    line.losses.forEach((loss, j) => {
      this.losses[first + j] = entryValue(loss);
      this.norms.x.push(first + j + 1);
      this.norms.delta.push(line.delta_norms[j].map(entryValue));
      this.norms.gradient.push(line.gradient_norms[j].map(entryValue));
    });
    this.dead = line.dead_units;
    this.renderDead();
  }

  renderDead() {
    const out = this.el("train-dead");
    if (!this.dead) {
      out.textContent = "Dead units (Σ′ = 0 for every sample): train to see them.";
      return;
    }
    const parts = this.dead.map((rows, i) => {
      const name = `layer ${i + 1}`;
      return rows.length ? `${name}: ${rows.join(", ")}` : `${name}: none`;
    });
    out.textContent = `Dead units (Σ′ = 0 for every sample), last iteration — ${parts.join(" · ")}`;
    out.classList.toggle(
      "has-dead",
      this.dead.some((rows) => rows.length > 0),
    );
  }

  /** Redraws the curves at the next frame, at most once per frame. */
  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  draw() {
    if (this.root.hidden) return;
    // Shown (their room kept, site.css) whether Plotly.js is there yet or not.
    const lossPlot = this.el("train-loss");
    const normsPlot = this.el("train-norms");
    lossPlot.hidden = this.losses.length === 0;
    normsPlot.hidden = this.norms.x.length === 0;
    // The curve in words, for a screen reader and for anyone before the plot is drawn.
    const summary = this.el("train-loss-summary");
    summary.hidden = lossPlot.hidden;
    summary.textContent = lossSentence(this.losses);
    const lib = this.library();
    if (!lib) return;
    // Most steps leave the curves as they are: only an update or training adds to them (a
    // change of the plots' width draws them again, see `watchWidths`).
    const drawn = JSON.stringify([this.losses, this.norms, this.layers]);
    if (drawn === this.drawn) return;
    this.drawn = drawn;
    const loss = lossFigure(this.losses);
    const gaps = this.el("train-gaps");
    gaps.hidden = loss.diverged === 0;
    gaps.textContent =
      `J is not a finite number at ${loss.diverged} of the ${this.losses.length} iterations ` +
      "(the run diverged): they are left out of the plots. Lower the learning rate and apply.";
    if (!lossPlot.hidden && lossPlot.clientWidth > 50) {
      lib.react(lossPlot, loss.data, { ...loss.layout, width: lossPlot.clientWidth }, CONFIG);
    }
    const norms = normsFigure(this.norms, this.layers);
    if (!normsPlot.hidden && normsPlot.clientWidth > 50) {
      lib.react(normsPlot, norms.data, { ...norms.layout, width: normsPlot.clientWidth }, CONFIG);
    }
  }

  /** Fetches and draws the decision boundary when the weights changed (two inputs only). */
  async refreshBoundary(session) {
    if (session.spec) this.spec = session.spec;
    const box = this.el("train-boundary-box");
    const twoInputs = this.spec?.layers[0] === 2;
    box.hidden = !twoInputs;
    if (!twoInputs || !this.library()) return;
    // One request at a time; the latest wish is fetched once the one in flight is back.
    // iterations finished: the session's iteration is the one it is in, from 1
    this.wanted = {
      id: session.id,
      read_only: session.read_only,
      iteration: session.iteration - 1,
    };
    if (this.boundaryBusy) return;
    this.boundaryBusy = true;
    try {
      while (`${this.wanted.id}/${this.wanted.iteration}` !== this.boundaryKey) {
        const { id, iteration } = this.wanted;
        const grid = await api.readBoundary(this.wanted, 50);
        this.boundaryKey = `${id}/${iteration}`;
        this.drawBoundary(grid, iteration);
      }
    } catch (error) {
      if (!(error instanceof api.ApiError && error.status === 404)) this.onError(error);
    } finally {
      this.boundaryBusy = false;
    }
  }

  drawBoundary(grid, iteration) {
    const { data, layout } = boundaryFigure(grid, iteration, colourStops(this.store.state.scale));
    const plot = this.el("train-boundary");
    if (plot.clientWidth < 50) return; // hidden (presenter mode): redraw() fetches it again
    plotly().react(plot, data, { ...layout, width: Math.min(plot.clientWidth, 520) }, CONFIG);
    this.el("train-boundary").dataset.iteration = String(iteration);
  }

  /** Redraws everything (after a colour-scale change or when shown). */
  redraw() {
    this.boundaryKey = "";
    this.drawn = "";
    this.draw();
  }
}
