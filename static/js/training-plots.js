// The Train panel's plots as Plotly.js figures: the loss curve, the per-layer norms and the
// decision boundary, made from the numbers the API sent (training.js draws them).

import { finiteOrGap, notFinite, positiveOrGap, valueAxis } from "./axes.js";
import { entryValue, subscript } from "./state.js";

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
/** Okabe–Ito: one colour per layer, told apart with every common colour-vision deficit. */
const LAYER_COLOURS = [
  "#0072b2",
  "#e69f00",
  "#009e73",
  "#cc79a7",
  "#56b4e9",
  "#d55e00",
  "#000000",
  "#f0e442",
];
export const CONFIG = { displayModeBar: false, responsive: true, displaylogo: false };

function baseLayout(title, height) {
  return {
    height,
    margin: { l: 70, r: 12, t: 34, b: 40 },
    title: { text: title, font: { size: 16 }, x: 0.02 },
    font: { family: FONT, size: 14, color: "#111" },
    paper_bgcolor: "rgba(0,0,0,0)",
    plot_bgcolor: "#ffffff",
    legend: { x: 1, xanchor: "right", y: 1, bgcolor: "rgba(255,255,255,0.85)", font: { size: 13 } },
  };
}

/** The loss curve of `losses` (J per iteration; not finite ones left out, `diverged` counts
 * them). */
export function lossFigure(losses) {
  const x = losses.map((_, i) => i + 1);
  // A diverged run's J (Infinity, NaN) is left out, and said so; its axis keeps few ticks.
  const yaxis = valueAxis(losses, "J");
  const y = yaxis.type === "log" ? positiveOrGap(losses) : finiteOrGap(losses);
  const layout = {
    ...baseLayout("Objective J per iteration", 230),
    xaxis: { title: { text: "iteration" }, gridcolor: "#ddd" },
    yaxis,
    showlegend: false,
  };
  const data = [
    {
      type: "scatter",
      mode: x.length > 1 ? "lines" : "markers",
      x,
      y,
      line: { width: 3, color: "#111" },
    },
  ];
  return { data, layout, diverged: notFinite(losses) };
}

/** ‖∇W_i‖ and ‖Δ_i‖ per iteration of `norms` ({x, delta, gradient}) for `layers` layers. */
export function normsFigure(norms, layers) {
  const data = [];
  const all = [];
  for (let i = 0; i < (layers ?? 0); i += 1) {
    const colour = LAYER_COLOURS[i % LAYER_COLOURS.length];
    const grad = positiveOrGap(norms.gradient.map((row) => row[i]));
    const delta = positiveOrGap(norms.delta.map((row) => row[i]));
    all.push(...grad, ...delta);
    data.push(
      {
        type: "scatter",
        mode: "lines",
        name: `‖∇W${subscript(i + 1)}‖`,
        x: norms.x,
        y: grad,
        line: { color: colour, width: 3 },
      },
      {
        type: "scatter",
        mode: "lines",
        name: `‖Δ${subscript(i + 1)}‖`,
        x: norms.x,
        y: delta,
        line: { color: colour, width: 2, dash: "dot" },
      },
    );
  }
  const layout = {
    ...baseLayout("Per-layer norms (vanishing / exploding gradients)", 270),
    xaxis: { title: { text: "iteration" }, gridcolor: "#ddd" },
    yaxis: valueAxis(all, "Frobenius norm", { log: true }),
  };
  return { data, layout };
}

/** The decision boundary `grid` (GET …/boundary) after `iteration` iterations, coloured with
 * `stops` (the colour scale's). */
export function boundaryFigure(grid, iteration, stops) {
  const labels = grid.samples.label;
  const data = [];
  const layout = {
    ...baseLayout(
      `Decision boundary after ${iteration} iteration${iteration === 1 ? "" : "s"}`,
      330,
    ),
    xaxis: { title: { text: "x₁" }, constrain: "domain" },
    yaxis: { title: { text: "x₂" }, scaleanchor: "x" },
    showlegend: false,
  };
  const markers = { size: 13, line: { color: "#000", width: 2.5 }, symbol: "circle" };
  if (grid.winner) {
    const n = grid.outputs;
    const colours = Array.from({ length: n }, (_, c) => [
      c / Math.max(1, n - 1),
      LAYER_COLOURS[c % LAYER_COLOURS.length],
    ]);
    const scale =
      n > 1
        ? colours
        : [
            [0, LAYER_COLOURS[0]],
            [1, LAYER_COLOURS[0]],
          ];
    data.push({
      type: "heatmap",
      x: grid.x1,
      y: grid.x2,
      z: grid.winner,
      zmin: 0,
      zmax: n - 1,
      colorscale: scale,
      opacity: 0.45,
      showscale: false,
      hoverinfo: "skip",
    });
    data.push({
      type: "scatter",
      mode: "markers",
      x: grid.samples.x1,
      y: grid.samples.x2,
      marker: { ...markers, color: labels ?? "#fff", cmin: 0, cmax: n - 1, colorscale: scale },
    });
  } else {
    const values = labels ?? [0, 1];
    const lo = Math.min(...values);
    const hi = Math.max(...values) > lo ? Math.max(...values) : lo + 1;
    const mid = (lo + hi) / 2;
    const z = grid.value.map((row) =>
      row.map((v) => (Number.isFinite(entryValue(v)) ? entryValue(v) : null)),
    );
    data.push({
      type: "heatmap",
      x: grid.x1,
      y: grid.x2,
      z,
      zmin: lo,
      zmax: hi,
      zmid: mid,
      colorscale: stops,
      colorbar: { thickness: 12, len: 0.8 },
      hovertemplate: "x₁ %{x:.2f}, x₂ %{y:.2f}: %{z:.3f}<extra></extra>",
    });
    data.push({
      type: "contour",
      x: grid.x1,
      y: grid.x2,
      z,
      showscale: false,
      hoverinfo: "skip",
      contours: { coloring: "none", start: mid, end: mid, size: 1 },
      line: { color: "#000", width: 3 },
    });
    data.push({
      type: "scatter",
      mode: "markers",
      x: grid.samples.x1,
      y: grid.samples.x2,
      marker: { ...markers, color: labels ?? "#fff", cmin: lo, cmax: hi, colorscale: stops },
      hovertemplate: "sample (%{x}, %{y})<extra></extra>",
    });
  }
  return { data, layout };
}
