// The network as a picture: an SVG of neurons and connections, each edge coloured by its weight
// (or gradient) on the diverging scale, the current step's layer highlighted. Values come from
// the API; the only computation here is placing circles and mapping values to colours.

import { formatValue } from "./numbers.js";
import { colourAt } from "./scales.js";
import { entryValue, largestMagnitude, subscript } from "./state.js";

const SVG = "http://www.w3.org/2000/svg";
/** A layer wider than this shows its first MAX_SHOWN - 1 neurons and a "+n more" marker. */
export const MAX_SHOWN = 16;

function node(name, attributes = {}, text = null) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (text !== null) element.textContent = text;
  return element;
}

/** The neurons drawn for a layer of `width`: all, or the first MAX_SHOWN - 1 and a marker. */
export function shownNeurons(width) {
  if (width <= MAX_SHOWN) return { rows: Array.from({ length: width }, (_, r) => r), more: 0 };
  const rows = Array.from({ length: MAX_SHOWN - 1 }, (_, r) => r);
  return { rows, more: width - rows.length };
}

/** Which layers (1-based, of W_i) the step uses, for highlighting. */
export function activeLayers(step, depth) {
  if (!step) return new Set();
  if (step.phase === "update") return new Set(Array.from({ length: depth }, (_, i) => i + 1));
  if (step.phase === "objective") return new Set([depth]);
  return new Set([step.layer]);
}

/** What each container's picture shows, but for the step's layer: see `samePicture`. */
const pictures = new WeakMap();

function sameMatrices(a, b) {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  return a.every((matrix, i) =>
    matrix.length === b[i].length &&
    matrix.every((row, r) => row.length === b[i][r].length && row.every((v, c) => v === b[i][r][c])),
  );
}

function samePicture(was, now) {
  return (
    was !== undefined &&
    was.key === now.key &&
    sameMatrices(was.matrices, now.matrices)
  );
}

/** Marks the layers of `active` (a set of 1-based layers) on a drawn diagram. */
function markActive(container, active) {
  for (const layer of container.querySelectorAll(".edge-layer, .neuron-layer")) {
    layer.classList.toggle("is-active", active.has(Number(layer.dataset.layer)));
  }
  container.dataset.active = [...active].join(" ");
}

/**
 * Colours each edge drawn in `container` by its entry of `matrices` (W_1 … W_k, or ∇W) on
 * `scale`, and its width by its share of the layer's largest |entry|. Its title is written when
 * the pointer first comes over it (`titleEdge`): a title each for hundreds of edges, at every
 * update, would be written for nobody.
 */
function recolourEdges(container, { layers, matrices, scale }) {
  const shown = layers.map(shownNeurons);
  for (const group of container.querySelectorAll(".edge-layer")) {
    const i = Number(group.dataset.layer);
    const matrix = matrices?.[i - 1] ?? null;
    const largest = matrix ? largestMagnitude(matrix) : 0;
    const lines = group.children;
    let at = 0;
    for (const r of shown[i].rows) {
      for (const c of shown[i - 1].rows) {
        const line = lines[at];
        at += 1;
        const value = matrix ? entryValue(matrix[r][c]) : 0;
        const finite = Number.isFinite(value);
        const t = largest > 0 && finite ? 0.5 + value / (2 * largest) : 0.5;
        const strength = largest > 0 && finite ? Math.abs(value) / largest : 0;
        line.setAttribute("stroke", finite ? colourAt(t, scale) : "#9a9a9a");
        line.setAttribute("stroke-width", (1 + 4 * strength).toFixed(2));
        line.setAttribute("data-value", String(value));
        line.replaceChildren(); // its title, if it had one, was of the value before
      }
    }
  }
}

/** Titles the edge `line` of a diagram in `mode` with its entry: "W₂[3,1] = 0.52". */
function titleEdge(line, mode) {
  if (line.firstChild) return;
  const name = mode === "gradient" ? "∇W" : "W";
  const { row, col } = line.dataset;
  const layer = subscript(line.parentElement.dataset.layer);
  const text = `${name}${layer}[${row},${col}] = ${formatValue(Number(line.dataset.value))}`;
  line.append(node("title", {}, text));
}

/**
 * Draws the network of `session` into `container`.
 * `matrices`: W_1 … W_k as lists of rows (weights, or gradients); `dead`: per layer the 1-based
 * rows of dead units, or null; `step`: the step shown, or null; `scale`: the colour scale's name. When only the step changed
 * since the last drawing, the step's layer is marked on the picture already there.
 */
export function renderDiagram(container, { session, step, matrices, mode, dead, scale }) {
  const layers = session.spec.layers;
  const depth = layers.length - 1;
  const picture = { key: JSON.stringify([layers, mode, dead, scale]), matrices };
  if (samePicture(pictures.get(container), picture)) {
    markActive(container, activeLayers(step, depth));
    return;
  }
  const was = pictures.get(container);
  pictures.set(container, picture);
  if (was?.key === picture.key && container.querySelector(".edges")) {
    // The same network drawn the same way: only the edges' values changed (a new iteration).
    recolourEdges(container, { layers, matrices, scale });
    markActive(container, activeLayers(step, depth));
    return;
  }
  const width = 520;
  const rowGap = 32;
  const tallest = Math.max(...layers.map((n) => Math.min(n, MAX_SHOWN)));
  const height = Math.max(180, tallest * rowGap + 80);
  const x = (i) => 60 + (i * (width - 120)) / Math.max(1, depth);
  const shown = layers.map(shownNeurons);
  const y = (i, r) => {
    const count = shown[i].rows.length + (shown[i].more ? 1 : 0);
    return 48 + (height - 48) / 2 + (r - (count - 1) / 2) * rowGap;
  };
  const active = activeLayers(step, depth);
  const svg = node("svg", {
    viewBox: `0 0 ${width} ${height}`,
    class: "diagram-svg",
    role: "img",
    "aria-label": `The network ${layers.join("–")}, edges coloured by ${mode === "gradient" ? "∇W" : "W"}`,
  });

  // Edges first, so that the neurons sit on top of them.
  const edges = node("g", { class: "edges" });
  for (let i = 1; i <= depth; i += 1) {
    const group = node("g", { class: `edge-layer${active.has(i) ? " is-active" : ""}`, "data-layer": i });
    for (const r of shown[i].rows) {
      for (const c of shown[i - 1].rows) {
        const line = node("line", {
          x1: x(i - 1) + 13,
          y1: y(i - 1, c),
          x2: x(i) - 13,
          y2: y(i, r),
          "data-row": r + 1,
          "data-col": c + 1,
        });
        group.append(line);
      }
    }
    edges.append(group);
  }
  svg.append(edges);
  edges.addEventListener("pointerover", (event) => {
    if (event.target instanceof SVGLineElement) titleEdge(event.target, container.dataset.mode);
  });

  for (let i = 0; i <= depth; i += 1) {
    const layer = node("g", { class: `neuron-layer${active.has(i) ? " is-active" : ""}`, "data-layer": i });
    const label = node("text", { x: x(i), y: 16, class: "layer-label", "text-anchor": "middle" });
    label.append(
      node("tspan", { x: x(i), dy: 0 }, i === 0 ? "inputs" : `layer ${i}`),
      node("tspan", { x: x(i), dy: 16 }, `n${subscript(i)} = ${layers[i]}`),
    );
    layer.append(label);
    for (const r of shown[i].rows) {
      const isDead = i > 0 && (dead?.[i - 1] ?? []).includes(r + 1);
      const circle = node("circle", {
        cx: x(i),
        cy: y(i, r),
        r: 12,
        class: `neuron${isDead ? " is-dead" : ""}`,
        "data-row": r + 1,
      });
      circle.append(node("title", {}, `${i === 0 ? "input" : `layer ${i}, neuron`} ${r + 1}${isDead ? ": dead (Σ′ = 0 for every sample)" : ""}`));
      layer.append(circle);
      if (isDead) layer.append(node("text", { x: x(i), y: y(i, r) + 5, class: "dead-mark", "text-anchor": "middle" }, "✕"));
    }
    if (shown[i].more) {
      const marker = node("text", { x: x(i), y: y(i, shown[i].rows.length) + 5, class: "more-marker", "text-anchor": "middle" }, `+${shown[i].more} more`);
      layer.append(marker);
    }
    svg.append(layer);
  }
  container.replaceChildren(svg);
  recolourEdges(container, { layers, matrices, scale });
  container.dataset.mode = mode;
  container.dataset.active = [...active].join(" ");
}
