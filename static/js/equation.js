// The equation view: each formula line of the step drawn as its matrices in place, in the order
// the formula reads, with the operators between them. Every factor is drawn at its true shape
// by the one matrix renderer (matrix.js), cells square within a line, its name above and its
// size below; a bracketed product shows its sub-result (W₂ᵀΔ₂) under a brace, or beside it on
// a wide screen. The cell size of each line is chosen (equation-layout.js) so that every line
// of the step fits the room it is given: the whole step on one screen in presenter mode.

import { chooseDensity, DENSITIES, fitLines, GOOD_CELL } from "./equation-layout.js";
import { LineWriter, make, measureLines } from "./equation-lines.js";
import { MatrixFigure } from "./matrix.js";
import { blockSize } from "./matrix-layout.js";

/** The smallest cell a line is given (CSS px): 784 columns in 78 px, each drawn cell a block. */
const LEAST_CELL = 0.1;

/**
 * Draws the equation view of steps into one container. `figures` are kept by tensor name from
 * draw to draw, so that a matrix already drawn the same is not painted again.
 */
export class EquationView {
  constructor(container) {
    this.container = container;
    this.figures = [];
    this.last = null;
    // Notes under the lines, for the whole step: why entries are held fixed, and where cells
    // are drawn merged (each figure's own notes would widen the factors of a line).
    this.held = make("p", "equation-note is-held");
    this.held.setAttribute("role", "note");
    this.merged = make(
      "p",
      "equation-note",
      "Drawn smaller: where a cell would be under 3 pixels, each drawn cell averages a block of " +
        "entries. Hover, the arrow keys or the Table switch give every entry.",
    );
    // Predict mode's Check and Reveal for the step (equation-predict.js fills it).
    this.predictBar = make("div", "equation-predict");
    this.predictBar.hidden = true;
    this.note = make("div", "equation-notes");
    this.note.append(this.predictBar, this.held, this.merged);
  }

  /** Takes a figure kept for `name` (or a new one) out of `free`. */
  figure(free, name) {
    const at = free.findIndex((figure) => figure.shown?.tensor.name === name);
    const figure = at >= 0 ? free.splice(at, 1)[0] : new MatrixFigure("factor");
    figure.element.className = "matrix matrix-factor";
    figure.clearExtras();
    this.figures.push(figure);
    return figure;
  }

  /**
   * Draws `step` (with each formula's `expression`) so that it fits `room` ({width, height} in
   * CSS pixels; height Infinity where the page may scroll). `range(tensor)` is a tensor's
   * colour half-range, `label(name)` its name for people, `stops` the colour scale; `captions`
   * says whether each line's caption is written; cells are at most `most` px; `predict` keeps
   * room for predict mode's bar (`predictBar`). Returns {fits, cells, diverged}.
   */
  draw(
    step,
    { room, range, label, stops, captions = true, most = 96, maxFont = 24, predict = false },
  ) {
    this.last = { step, options: { room, range, label, stops, captions, most, maxFont, predict } };
    const free = this.figures.splice(0);
    const writer = new LineWriter((name) => this.figure(free, name));
    const options = { range, label, stops, captions };
    const lines = step.formulas.map((formula, index) => writer.line(step, formula, index, options));
    // Room for predict mode's bar is kept whenever it is on (it is filled once drawn).
    this.predictBar.hidden = !predict;
    if (predict) this.predictBar.replaceChildren(make("p", "predict-hint", "\u00a0"));
    this.held.textContent = step.held_fixed_reason ?? "";
    this.held.hidden = !step.held_fixed_reason;
    this.merged.hidden = true;
    this.container.replaceChildren(...lines.map((line) => line.element), this.note);
    // The densest steps (an update of 8 layers: 16 lines) leave out the captions, then make
    // their text smaller, until the cells are big enough to see (chooseDensity).
    const models = lines.map((line) => line.model);
    const tries = [];
    for (let density = 0; density < DENSITIES; density += 1) {
      if (density === 0 && !captions) continue;
      this.container.dataset.density = String(density);
      const metrics = measureLines(lines, this.container);
      tries.push({
        density,
        metrics,
        fit: fitLines(models, room, metrics, { least: LEAST_CELL, most }),
      });
      if (tries.at(-1).fit.fits && Math.min(...tries.at(-1).fit.cells) >= GOOD_CELL) break;
    }
    let { density, metrics, fit } = tries[chooseDensity(tries.map((t) => t.fit))];
    this.container.dataset.density = String(density);
    // Where cells are merged (under a few pixels), a line below says so: its room is kept.
    this.merged.hidden = !fit.cells.some((cell) => blockSize(cell) > 1);
    let inRoom = room;
    const notes = this.noteHeight();
    if (notes > 0 && room.height !== Infinity) {
      inRoom = { ...room, height: room.height - notes };
      fit = fitLines(models, inRoom, metrics, { least: LEAST_CELL, most });
    }
    this.place(lines, fit, maxFont);
    // The model's sizes come from text measured before the cells were drawn: where the lines
    // drawn are bigger than the room after all (a font still loading), fitted again smaller.
    for (let pass = 0; pass < 2; pass += 1) {
      const used = this.used();
      const over = Math.max(used.width / inRoom.width, used.height / inRoom.height);
      if (!(over > 1.001)) break;
      inRoom = {
        width: (inRoom.width * inRoom.width) / Math.max(inRoom.width, used.width),
        height:
          inRoom.height === Infinity
            ? Infinity
            : (inRoom.height * inRoom.height) / Math.max(inRoom.height, used.height),
      };
      metrics = measureLines(lines, this.container);
      fit = fitLines(models, inRoom, metrics, { least: LEAST_CELL, most });
      this.place(lines, fit, maxFont);
    }
    let diverged = 0;
    for (const figure of this.figures) if (figure.shown?.diverged) diverged += 1;
    this.container.dataset.fits = String(fit.fits);
    return { fits: fit.fits, cells: fit.cells, diverged };
  }

  /** The height the notes under the lines take, with the gap above them (0: none). */
  noteHeight() {
    this.note.hidden = this.held.hidden && this.merged.hidden && this.predictBar.hidden;
    if (this.note.hidden) return 0;
    return (
      this.note.getBoundingClientRect().height +
      (parseFloat(getComputedStyle(this.container).rowGap) || 0)
    );
  }

  /** Puts `lines` in the rows of `fit` and draws every figure at its line's cell. */
  place(lines, fit, maxFont) {
    this.container.classList.toggle("is-stacked", fit.stacked);
    this.container.replaceChildren(
      ...fit.rows.map((row) => {
        const lineRow = make("div", "equation-lines");
        lineRow.append(...row.lines.map((i) => lines[i].element));
        return lineRow;
      }),
      this.note,
    );
    lines.forEach((line, i) => {
      const cell = Math.floor(fit.cells[i] * 64) / 64;
      line.element.dataset.cell = String(cell);
      for (const draw of line.draws) draw(cell, maxFont);
    });
  }

  /** The room the lines drawn take: the widest row and the height of them all, in CSS px. */
  used() {
    const rows = [...this.container.querySelectorAll(":scope > .equation-lines")];
    if (rows.length === 0) return { width: 0, height: 0 };
    const widths = rows.map(
      (row) =>
        [...row.children].reduce((sum, line) => sum + line.getBoundingClientRect().width, 0) +
        (row.children.length - 1) * parseFloat(getComputedStyle(row).columnGap || "0"),
    );
    const top = rows[0].getBoundingClientRect().top;
    const bottom = Math.max(...rows.map((row) => row.getBoundingClientRect().bottom));
    return { width: Math.max(...widths), height: bottom - top };
  }

  /** Draws the last step again in `room` (the window changed). */
  redraw(room) {
    if (this.last) return this.draw(this.last.step, { ...this.last.options, room });
    return null;
  }
}
