// Every matrix of a step as a Plotly heatmap drawn as on paper: row 1 at the top, column 1 at
// the left, indices from 1, a diverging colour scale centred on zero with its colour bar.

import { titleTex, renderTex } from "./formulas.js";
import { colourRange, displayName, entryValue, nonFiniteCount, plainTitle } from "./state.js";

/** ColorBrewer RdBu, blue for negative, near-white for zero, red for positive. */
const COLOUR_SCALE = [
  [0.0, "#053061"],
  [0.1, "#2166ac"],
  [0.2, "#4393c3"],
  [0.3, "#92c5de"],
  [0.4, "#d1e5f0"],
  [0.5, "#f7f7f7"],
  [0.6, "#fddbc7"],
  [0.7, "#f4a582"],
  [0.8, "#d6604d"],
  [0.9, "#b2182b"],
  [1.0, "#67001f"],
];

/** Numbers are written in the cells up to this many rows and columns. */
const MAX_LABELLED = 12;
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
  const values = tensor.data.map((row) => row.map(entryValue));
  const labelled = rows <= MAX_LABELLED && cols <= MAX_LABELLED;
  const s = (pixels) => Math.round(pixels * scale);
  const cellWidth = s(labelled ? clamp(Math.floor(320 / cols), 44, 60) : clamp(320 / cols, 3, 24));
  const cellHeight = s(labelled ? clamp(Math.floor(220 / rows), 26, 40) : clamp(220 / rows, 3, 24));
  const margin = { l: s(28), r: 4, t: s(26), b: 4 };
  const colourBarWidth = s(76);
  const width = Math.round(Math.max(cols * cellWidth, s(44)) + margin.l + margin.r + colourBarWidth);
  const height = Math.round(Math.max(rows * cellHeight, s(80)) + margin.t + margin.b);
  const name = displayName(tensor.name);
  const trace = {
    type: "heatmap",
    x: indices(cols),
    y: indices(rows),
    z: values.map((row) => row.map((v) => (Number.isFinite(v) ? v : null))),
    customdata: values.map((row) => row.map(formatLong)),
    zmin: -range,
    zmax: range,
    zmid: 0,
    colorscale: COLOUR_SCALE,
    xgap: 1,
    ygap: 1,
    hoverongaps: true,
    hovertemplate: `${name}[%{y}, %{x}] = %{customdata}<extra></extra>`,
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

/** Frees the Plotly plots inside `root`. */
export function clearMatrices(root) {
  const lib = plotly();
  if (lib) {
    for (const plot of root.querySelectorAll(".js-plotly-plot")) lib.purge(plot);
  }
}

/**
 * Draws the tensors of `step` into the groups {operands, intermediates, results}, each an
 * element holding a `.matrix-list`; a group without tensors is hidden. Returns the number of
 * tensors that hold entries that are not finite.
 */
export function drawStep(groups, step, state) {
  const lib = plotly();
  let diverged = 0;
  const pending = [];
  for (const [role, names] of [
    ["operands", step.operands],
    ["intermediates", step.intermediates],
    ["results", step.results],
  ]) {
    const group = groups[role];
    const list = group.querySelector(".matrix-list");
    clearMatrices(list);
    list.replaceChildren();
    group.hidden = names.length === 0;
    for (const name of names) {
      const tensor = step.tensors[name];
      if (!tensor) continue;
      const { figure, plot } = figureElement(tensor, role);
      if (figure.querySelector(".matrix-notice")) diverged += 1;
      list.append(figure);
      const { data, layout, config } = heatmapFigure(tensor, colourRange(state, tensor));
      if (lib) pending.push(lib.newPlot(plot, data, layout, config));
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
