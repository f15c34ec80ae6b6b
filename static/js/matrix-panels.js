// The panels layout: the matrices of a step in three groups (results, intermediates, operands)
// beside the formulas, each drawn by the one matrix renderer (matrix.js) with its indices and
// colour bar. A figure is kept from step to step by tensor name, so that Σ₁, a result of one
// step and an operand of the next, is moved rather than painted again.

import { titleTex } from "./formulas.js";
import { MatrixFigure } from "./matrix.js";
import { panelCells } from "./matrix-layout.js";
import { rangeKey } from "./state.js";

const clamp = (value, low, high) => Math.min(high, Math.max(low, value));

/** The largest share of the stage the formulas' column takes beside the matrices (site.css). */
const FORMULAS_SHARE = 0.46;

/**
 * How much larger than at an 18 px root font the matrices are drawn (bigger screens and
 * presenter mode have bigger type).
 */
export function pageScale() {
  const root = parseFloat(getComputedStyle(document.documentElement).fontSize) || 18;
  return clamp(root / 18, 0.9, 1.35);
}

/**
 * The width a figure may take in a group of matrices like `group`, the same whatever the
 * formulas beside it: the matrices' column at its narrowest less the group's borders and
 * padding and the figure's own padding.
 */
export function matrixRoom(group) {
  const stage = group.parentElement.parentElement;
  const stageStyle = getComputedStyle(stage);
  const sideBySide = stageStyle.gridTemplateColumns.trim().split(/\s+/).length > 1;
  const column = sideBySide
    ? stage.clientWidth * (1 - FORMULAS_SHARE) - parseFloat(stageStyle.columnGap)
    : stage.clientWidth;
  const style = getComputedStyle(group);
  const inset = (side) =>
    parseFloat(style[`border${side}Width`]) + parseFloat(style[`padding${side}`]);
  const rem = parseFloat(getComputedStyle(document.documentElement).fontSize);
  const figurePadding = 2 * 0.2 * rem; // .matrix { padding: 0.2rem }
  return Math.floor(column - inset("Left") - inset("Right") - figurePadding);
}

/**
 * The figures drawn lately, those of the last step first: up to KEPT_FIGURES, so that a
 * matrix shown again later in the iteration (W₁ at forward 1 and at the update) finds its
 * picture, which is not painted again when its entries are the same.
 */
const pool = [];
const KEPT_FIGURES = 32;

/**
 * Takes from `free` the figure best kept for `name`: the one showing `name` (from `named`,
 * taken first for every name of the step), else one of the same range key, else a new one.
 */
function takeFigure(free, named, name, role) {
  let figure = named.get(name);
  named.delete(name);
  if (!figure) {
    const at = free.findIndex((f) => rangeKey(f.shown?.tensor.name ?? "") === rangeKey(name));
    figure = at >= 0 ? free.splice(at, 1)[0] : new MatrixFigure(role);
  }
  figure.element.className = `matrix matrix-${role}`;
  figure.clearExtras();
  return figure;
}

/**
 * The room the groups have taken since what they show last changed (`reserved.key`: the
 * session and notation shown, the room, the type's scale): each group keeps the height of its
 * tallest step, and an empty group its room, so that the groups below do not move from step
 * to step (once each step has been drawn, nothing moves).
 */
const reserved = { key: "", heights: {} };

/** Keeps each group at least as tall as it has been since `key` last changed. */
function reserveRoom(groups, key) {
  const roles = ["results", "intermediates", "operands"];
  if (key !== reserved.key) {
    reserved.key = key;
    reserved.heights = {};
    for (const role of roles) groups[role].style.minHeight = "";
  }
  for (const role of roles) {
    const group = groups[role];
    const height = group.hidden ? 0 : group.offsetHeight;
    const kept = Math.max(height, reserved.heights[role] ?? 0);
    reserved.heights[role] = kept;
    if (kept === 0) continue;
    group.style.minHeight = `${kept}px`;
    // An empty group keeps its room, unseen (and unheard: visibility hides it from readers).
    group.style.visibility = group.hidden ? "hidden" : "";
    group.hidden = false;
  }
}

/**
 * Draws the tensors of `step` into `groups` ({results, intermediates, operands}, each holding a
 * `.matrix-list`), hiding a group without tensors (it keeps its room while `keep`, a key of
 * what is shown, stays the same: `reserveRoom`). `range(tensor)` gives a tensor's colour
 * half-range, `label(name)` its name for people, `stops` the colour scale, `room` the width a
 * figure may take (`matrixRoom`) and `scale` the type's (`pageScale`), each measured here
 * unless given: measured before the page's other writes, they cost no layout of their own.
 * Returns the number of figures holding entries that are not finite.
 */
export function drawPanels(
  groups,
  step,
  { range, label, stops, keep = "", room = matrixRoom(groups.results), scale = pageScale() },
) {
  const free = pool.splice(0);
  const named = new Map();
  for (const role of ["results", "intermediates", "operands"]) {
    for (const name of step?.[role] ?? []) {
      const at = free.findIndex((figure) => figure.shown?.tensor.name === name);
      if (at >= 0) named.set(name, free.splice(at, 1)[0]);
    }
  }
  const indexFont = Math.round(15 * scale);
  let diverged = 0;
  for (const role of ["results", "intermediates", "operands"]) {
    const group = groups[role];
    const names = (step?.[role] ?? []).filter((name) => step.tensors[name]);
    const figures = names.map((name) => {
      const tensor = step.tensors[name];
      const figure = takeFigure(free, named, name, role);
      const [rows, cols] = tensor.shape;
      const rowLabels = Math.ceil((String(rows).length * 0.62 + 0.45) * indexFont);
      const bar = Math.round(70 * scale);
      const { widest } = figure.prepare(tensor);
      const cells = panelCells({ rows, cols, room: room - rowLabels - bar, scale, widest });
      const shownLabel = label(name);
      const bad = figure.show({
        tensor,
        label: shownLabel,
        caption: titleTex(tensor),
        range: range(tensor),
        stops,
        ...cells,
        indexFont,
        maxFont: Math.round(16 * scale),
        held: step.held_fixed?.[name] ?? null,
      });
      if (bad) diverged += 1;
      pool.push(figure);
      return figure.element;
    });
    group.querySelector(".matrix-list").replaceChildren(...figures);
    group.hidden = figures.length === 0;
    group.style.visibility = "";
  }
  pool.push(
    ...named.values(),
    ...free.slice(0, Math.max(0, KEPT_FIGURES - pool.length - named.size)),
  );
  reserveRoom(groups, step ? `${keep}/${step.of}/${room}/${scale}` : "");
  return diverged;
}

/** Marks the figures of `names` (a space-separated list) as the ones a formula line uses. */
export function highlightMatrices(root, names) {
  const wanted = new Set((names ?? "").split(" ").filter(Boolean));
  for (const figure of root.querySelectorAll(".matrix")) {
    figure.classList.toggle("is-highlighted", wanted.has(figure.dataset.tensor));
  }
}
