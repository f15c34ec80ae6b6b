// Every matrix of a step as a Plotly heatmap drawn as on paper: row 1 at the top, column 1 at
// the left, indices from 1, a diverging colour scale centred on zero with its colour bar.

import { titleTex, renderTex } from "./formulas.js";
import { colourStops } from "./scales.js";
import { colourRange, displayName, entryValue, nonFiniteCount, plainTitle } from "./state.js";

/** Numbers are written in the cells up to this many rows and columns. */
const MAX_LABELLED = 12;
/**
 * Up to this many cells a heatmap keeps its 1 px gaps between cells and a hover label
 * formatted per cell (formatLong). Above it the cells are a few pixels wide, where gaps cost
 * Plotly seconds to draw and barely show, and the hover label is formatted by Plotly from z.
 */
const MAX_DETAILED_CELLS = 64 * 64;
/** Plotly events the page listens to on a heatmap; dropped when a plot is reused. */
const PLOT_EVENTS = ["plotly_click", "plotly_hover", "plotly_unhover"];
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const MINUS = "\u2212";

const clamp = (value, low, high) => Math.min(high, Math.max(low, value));

function plotly() {
  return globalThis.Plotly ?? null;
}

/** A cell's number, short: at most six characters, a real minus sign. */
export function formatShort(value) {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : `${MINUS}∞`;
  if (value === 0) return "0";
  const size = Math.abs(value);
  const candidates =
    size >= 1e4 || size < 1e-3
      ? [1, 0].map((digits) => value.toExponential(digits).replace("e+", "e").replace(".0e", "e"))
      : size >= 100
        ? [String(Math.round(value))]
        : [3, 2, 1].map((digits) => String(Number(value.toPrecision(digits))));
  const text = candidates.find((candidate) => candidate.length <= 6) ?? candidates.at(-1);
  return text.replaceAll("-", MINUS);
}

/** A number for the hover label, with six significant digits. */
export function formatLong(value) {
  if (!Number.isFinite(value)) return formatShort(value);
  return String(Number(value.toPrecision(6))).replaceAll("-", MINUS);
}

function indices(count) {
  return Array.from({ length: count }, (_, i) => i + 1);
}

function axis(count, extra, fontSize) {
  const ticks = count <= 16 ? { tickmode: "array", tickvals: indices(count) } : { tickmode: "auto" };
  return {
    ...ticks,
    ...extra,
    fixedrange: true,
    showgrid: false,
    zeroline: false,
    ticks: "",
    tickfont: { size: fontSize, color: "#333" },
  };
}

/** How much larger than at an 18 px root font the plots are drawn (bigger screens, bigger type). */
function pageScale() {
  const rootPixels = parseFloat(getComputedStyle(document.documentElement).fontSize) || 18;
  return clamp(rootPixels / 18, 0.9, 1.35);
}

/** The figure (data, layout, config) of one tensor, coloured in [-range, range]. */
export function heatmapFigure(tensor, range, scale = pageScale()) {
  const [rows, cols] = tensor.shape;
  const labelled = rows <= MAX_LABELLED && cols <= MAX_LABELLED;
  const s = (pixels) => Math.round(pixels * scale);
  const cellWidth = s(labelled ? clamp(Math.floor(320 / cols), 44, 60) : clamp(320 / cols, 3, 24));
  const cellHeight = s(labelled ? clamp(Math.floor(220 / rows), 26, 40) : clamp(220 / rows, 3, 24));
  const margin = { l: s(28), r: 4, t: s(26), b: 4 };
  const colourBarWidth = s(76);
  const width = Math.round(Math.max(cols * cellWidth, s(44)) + margin.l + margin.r + colourBarWidth);
  const height = Math.round(Math.max(rows * cellHeight, s(80)) + margin.t + margin.b);
  const name = displayName(tensor.name);
  const detailed = rows * cols <= MAX_DETAILED_CELLS;
  // Per-cell values are only needed for the labels and hover strings of the smaller heatmaps.
  const values = detailed ? tensor.data.map((row) => row.map(entryValue)) : null;
  const finite = (v) => (Number.isFinite(v) ? v : null);
  const trace = {
    type: "heatmap",
    x: indices(cols),
    y: indices(rows),
    z: values
      ? values.map((row) => row.map(finite))
      : tensor.data.map((row) => row.map((entry) => finite(entryValue(entry)))),
    zmin: -range,
    zmax: range,
    zmid: 0,
    colorscale: colourStops(),
    hoverongaps: true,
    colorbar: {
      thickness: s(12),
      xpad: s(6),
      len: 1,
      lenmode: "fraction",
      outlinewidth: 0,
      tickvals: [-range, 0, range],
      ticktext: [formatShort(-range), "0", formatShort(range)],
      tickfont: { size: s(13), color: "#333" },
    },
  };
  if (detailed) {
    trace.customdata = values.map((row) => row.map(formatLong));
    trace.xgap = 1;
    trace.ygap = 1;
    trace.hovertemplate = `${name}[%{y}, %{x}] = %{customdata}<extra></extra>`;
  } else {
    // Six significant digits, trailing zeros dropped, as formatLong writes them.
    trace.hovertemplate = `${name}[%{y}, %{x}] = %{z:.6~g}<extra></extra>`;
  }
  if (labelled) {
    const fontSize = clamp(Math.floor(cellWidth / 3.9), 12, s(16));
    trace.text = values.map((row) => row.map(formatShort));
    trace.texttemplate = "%{text}";
    trace.textfont = { size: fontSize, family: FONT };
  }
  const layout = {
    width,
    height,
    margin,
    font: { family: FONT, size: s(15), color: "#111" },
    paper_bgcolor: "rgba(0,0,0,0)",
    // Non-finite entries are gaps; the hatched-grey background shows through them.
    plot_bgcolor: "#9a9a9a",
    xaxis: axis(cols, { side: "top" }, s(15)),
    yaxis: axis(rows, { autorange: "reversed" }, s(15)),
    hoverlabel: { font: { size: s(18), family: FONT } },
  };
  const config = { displayModeBar: false, responsive: false, scrollZoom: false, displaylogo: false };
  return { data: [trace], layout, config };
}

function figureElement(tensor, role) {
  const figure = document.createElement("figure");
  figure.className = `matrix matrix-${role}`;
  figure.dataset.tensor = tensor.name;
  figure.dataset.rows = String(tensor.shape[0]);
  figure.dataset.cols = String(tensor.shape[1]);
  const title = plainTitle(tensor.name, tensor.shape);
  figure.dataset.title = title;
  const caption = document.createElement("figcaption");
  caption.className = "matrix-title";
  caption.title = title;
  renderTex(caption, titleTex(tensor));
  const plot = document.createElement("div");
  plot.className = "matrix-plot";
  figure.append(caption, plot);
  const bad = nonFiniteCount(tensor);
  if (bad > 0) {
    const notice = document.createElement("p");
    notice.className = "matrix-notice";
    notice.setAttribute("role", "note");
    notice.textContent = `${bad} of ${tensor.shape[0] * tensor.shape[1]} entries are not finite (∞ or NaN): drawn as grey gaps.`;
    figure.append(notice);
  }
  return { figure, plot };
}

/** Frees the Plotly plots inside `root`, but those in `keep`. */
export function clearMatrices(root, keep = new Set()) {
  const lib = plotly();
  if (lib) {
    for (const plot of root.querySelectorAll(".js-plotly-plot")) {
      if (!keep.has(plot)) lib.purge(plot);
    }
  }
}

/** The key of a heatmap slot: a plot is reused for a tensor of the same name and shape. */
function slotKey(name, shape) {
  return `${name}:${shape[0]}x${shape[1]}`;
}

/** The Plotly plots now in `list`, by slot, to be reused by the next step. */
function reusablePlots(list) {
  const plots = new Map();
  for (const figure of list.querySelectorAll(":scope > .matrix")) {
    const plot = figure.querySelector(".matrix-plot.js-plotly-plot");
    if (!plot) continue;
    const key = slotKey(figure.dataset.tensor, [figure.dataset.rows, figure.dataset.cols]);
    if (!plots.has(key)) plots.set(key, plot);
  }
  return plots;
}

/**
 * Draws the tensors of `step` into the groups {operands, intermediates, results}, each an
 * element holding a `.matrix-list`; a group without tensors is hidden. Returns the number of
 * tensors that hold entries that are not finite, and a promise of every plot drawn.
 *
 * Each figure (caption, notice) is new, but the Plotly plot of a tensor of the same name and
 * shape shown in the same group before is moved into it and redrawn with `Plotly.react`
 * (which keeps its SVG and canvas) instead of being purged and re-created. The listeners put
 * on a reused plot (plotly_click, plotly_hover, plotly_unhover) are removed: attach them
 * again after each draw, as to a new plot. All figures are put in place before any plot is
 * drawn, so that Plotly's measurements do not force a layout per figure.
 */
export function drawStep(groups, step, state) {
  const lib = plotly();
  const scale = pageScale();
  let diverged = 0;
  const draws = [];
  for (const [role, names] of [
    ["operands", step.operands],
    ["intermediates", step.intermediates],
    ["results", step.results],
  ]) {
    const group = groups[role];
    const list = group.querySelector(".matrix-list");
    const previous = lib ? reusablePlots(list) : new Map();
    const figures = [];
    for (const name of names) {
      const tensor = step.tensors[name];
      if (!tensor) continue;
      const { figure, plot: fresh } = figureElement(tensor, role);
      if (figure.querySelector(".matrix-notice")) diverged += 1;
      const key = slotKey(tensor.name, tensor.shape);
      let plot = fresh;
      const reused = previous.get(key);
      if (reused) {
        previous.delete(key);
        for (const event of PLOT_EVENTS) reused.removeAllListeners?.(event);
        fresh.replaceWith(reused);
        plot = reused;
      }
      figures.push(figure);
      const drawing = heatmapFigure(tensor, colourRange(state, tensor), scale);
      // The plot's box gets its figure's size and `contain: strict` (Plotly's SVG clips at
      // that size anyway), so the layouts Plotly forces while drawing stay inside the box.
      plot.style.width = `${drawing.layout.width}px`;
      plot.style.height = `${drawing.layout.height}px`;
      plot.style.contain = "strict";
      draws.push({ plot, drawing });
    }
    clearMatrices(list, new Set(draws.map((draw) => draw.plot)));
    list.replaceChildren(...figures);
    group.hidden = names.length === 0;
  }
  const pending = [];
  if (lib) {
    for (const { plot, drawing } of draws) {
      const { data, layout, config } = drawing;
      pending.push(lib.react(plot, data, layout, config));
    }
  }
  return { diverged, drawn: Promise.all(pending) };
}

/** Marks the heatmaps of `names` (a space-separated list) as the ones a formula line uses. */
export function highlightMatrices(root, names) {
  const wanted = new Set((names ?? "").split(" ").filter(Boolean));
  for (const figure of root.querySelectorAll(".matrix")) {
    figure.classList.toggle("is-highlighted", wanted.has(figure.dataset.tensor));
  }
}
