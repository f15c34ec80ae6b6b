// Every matrix of a step as a Plotly heatmap drawn as on paper: row 1 at the top, column 1 at
// the left, indices from 1, a diverging colour scale centred on zero with its colour bar.
// Plotly draws the cells, the numbers in them and the hover; the row and column indices and
// the colour bar are HTML laid over the plot's margins (Plotly's own would cost about half of
// each redraw: axes and colour bar are rebuilt and measured on every Plotly.react).

import { titleTex, renderTex } from "./formulas.js";
import { shownName } from "./notation.js";
import { formatLong, formatShort } from "./numbers.js";
import { colourStops } from "./scales.js";
import { colourRange, displayName, entryValue, nonFiniteCount, plainTitle } from "./state.js";
import { drawHeldFixed, heldFixedText } from "./held.js";

/** Numbers are written in the cells up to this many rows and columns. */
const MAX_LABELLED = 12;
/** The narrowest cell a number is written in: six characters at the smallest font, 12 px. */
const LABELLED_CELL = 44;
/**
 * Up to this many cells a heatmap keeps its 1 px gaps between cells and a hover label
 * formatted per cell (formatLong). Above it the cells are a few pixels wide, where gaps would
 * barely show, and the hover label is formatted by Plotly from z.
 */
const MAX_DETAILED_CELLS = 64 * 64;
/** The colour behind the cells: of the gaps between them and of entries that are not finite. */
const GAP = "#9a9a9a";
const SVG = "http://www.w3.org/2000/svg";
/** Plotly events the page listens to on a heatmap; dropped when a plot is reused. */
const PLOT_EVENTS = ["plotly_click", "plotly_hover", "plotly_unhover"];
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

const clamp = (value, low, high) => Math.min(high, Math.max(low, value));

function plotly() {
  return globalThis.Plotly ?? null;
}

function indices(count) {
  return Array.from({ length: count }, (_, i) => i + 1);
}

/** An axis Plotly does not draw (the page writes the indices): it only places the cells. */
function axis(extra) {
  return { ...extra, visible: false, fixedrange: true };
}

let rootPixels = 0;

/**
 * How much larger than at an 18 px root font the plots are drawn (bigger screens, bigger type).
 * The root font is read once and again after a resize or a change of the root's classes
 * (presenter mode): reading it forces a style recalculation of the page.
 */
function pageScale() {
  if (rootPixels === 0) {
    rootPixels = parseFloat(getComputedStyle(document.documentElement).fontSize) || 18;
    const forget = () => {
      rootPixels = 0;
      window.removeEventListener("resize", forget);
      watcher.disconnect();
    };
    const watcher = new MutationObserver(forget);
    watcher.observe(document.documentElement, { attributes: true, attributeFilter: ["class", "style"] });
    window.addEventListener("resize", forget);
  }
  return clamp(rootPixels / 18, 0.9, 1.35);
}

/**
 * The indices labelled along an axis of `count` cells drawn over `pixels`: every one up to 16,
 * else multiples of a step of 2, 5 or 10 × 10ⁿ, chosen as Plotly chooses its automatic ticks
 * (about one per 80 px across, one per 40 px down).
 */
export function tickIndices(count, pixels, across) {
  if (count <= 16) return indices(count);
  const ticks = clamp(pixels / (across ? 80 : 40), 4, 9) + 1;
  const rough = count / ticks;
  const base = 10 ** Math.floor(Math.log10(rough));
  const step = base * [2, 5, 10].find((m) => m >= rough / base - 1e-9);
  return indices(Math.floor(count / step)).map((i) => i * step);
}

/**
 * The figure of one tensor, coloured in [-range, range] on the colour `stops`: Plotly's `data`, `layout` and
 * `config`, and the `frame` around the plot (indices and colour bar, see `drawFrame`).
 * A matrix wider than `room` pixels is narrowed to fit it: of more than 16 columns, down to
 * half a pixel a column (784 columns of W₁ for MNIST would otherwise take 2,352 pixels); of
 * fewer, down to the narrowest cell that still has its index written across, or its number
 * written in it (in presenter type a matrix of 9 columns is otherwise wider than its panel).
 */
export function heatmapFigure(
  tensor,
  range,
  scale = pageScale(),
  label = displayName(tensor.name),
  room = Infinity,
  stops = colourStops(),
) {
  const [rows, cols] = tensor.shape;
  const labelled = rows <= MAX_LABELLED && cols <= MAX_LABELLED;
  const s = (pixels) => Math.round(pixels * scale);
  const cellHeight = s(labelled ? clamp(Math.floor(220 / rows), 26, 40) : clamp(220 / rows, 3, 24));
  const plotHeight = Math.max(rows * cellHeight, s(80));
  const rowTicks = tickIndices(rows, plotHeight, false);
  // The colour bar sits in the right margin, the column indices in the top one, the row
  // indices in the left one, as wide as the longest of them (a digit is ~0.6 of the font
  // size, 15 px, and 0.3 of it is the gap to the plot).
  const digits = String(rowTicks[rowTicks.length - 1]).length;
  const left = s(Math.max(28, Math.ceil((digits * 0.6 + 0.3) * 15) + 4));
  const colourBarWidth = s(76);
  const margin = { l: left, r: 4 + colourBarWidth, t: s(26), b: 4 };
  // Up to 16 columns a cell is wide enough for its two-digit index written across (22 px at
  // the index font of 15 px), so that it reads from the back of a room.
  const narrowest = cols <= 16 ? 22 : 3;
  let cellWidth = s(
    labelled
      ? clamp(Math.floor(320 / cols), LABELLED_CELL, 60)
      : clamp(320 / cols, narrowest, 24),
  );
  const fits = (room - margin.l - margin.r) / cols;
  const least = labelled ? LABELLED_CELL : cols <= 16 ? narrowest : 0.5;
  if (cellWidth > fits) cellWidth = Math.max(fits, Math.min(least, cellWidth));
  const plotWidth = Math.max(cols * cellWidth, s(44));
  const width = Math.round(plotWidth + margin.l + margin.r);
  const height = Math.round(plotHeight + margin.t + margin.b);
  const name = label;
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
    colorscale: stops,
    showscale: false,
    hoverongaps: true,
  };
  if (detailed) {
    trace.customdata = values.map((row) => row.map(formatLong));
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
    plot_bgcolor: GAP,
    xaxis: axis({ side: "top" }),
    yaxis: axis({ autorange: "reversed" }),
    hoverlabel: { font: { size: s(18), family: FONT } },
  };
  const config = { displayModeBar: false, responsive: false, scrollZoom: false, displaylogo: false };
  const frame = {
    width,
    height,
    plot: { left: margin.l, top: margin.t, width: plotWidth, height: plotHeight },
    cols: tickIndices(cols, plotWidth, true).map((c) => [c, ((c - 0.5) * plotWidth) / cols]),
    rows: rowTicks.map((r) => [r, ((r - 0.5) * plotHeight) / rows]),
    indexFont: s(15),
    // Up to 16 columns every index is written; upright when they do not fit across a cell.
    upright: cols <= 16 && String(cols).length * 0.6 * s(15) + 3 > plotWidth / cols,
    bar: {
      gap: Math.min(Math.round(plotWidth * 0.02), s(10)) + s(6),
      thickness: s(12),
      pad: 10,
      font: s(13),
    },
    stops,
    labels: [formatShort(range), "0", formatShort(-range)],
    // The 1 px gaps between the cells, drawn over the plot by `drawGaps`: Plotly's own
    // (xgap, ygap) make it paint every cell of a canvas the plot's size and encode it as a
    // PNG at each draw, where without them it paints one pixel per cell.
    // Cells narrower than 4 px would be mostly gap.
    gaps: detailed && Math.min(cellWidth, cellHeight) >= s(4) ? { rows, cols } : null,
  };
  return { data: [trace], layout, config, frame };
}

/**
 * Draws the gaps of `frame` (from heatmapFigure) between the cells of the Plotly `plot` just
 * drawn: a line of the background's colour along the right and bottom edge of each cell, as
 * Plotly's xgap and ygap of 1 leave them, in an SVG laid over the plot's image and under its
 * hover label (between Plotly's first and later `.main-svg`).
 */
function drawGaps(plot, frame) {
  const container = plot.querySelector(":scope .svg-container");
  const paper = container?.querySelector(":scope > .main-svg");
  if (!paper) return;
  const old = container.querySelector(":scope > .matrix-gaps");
  const key = JSON.stringify([frame.plot, frame.gaps]);
  if (old?.dataset.key === key) return;
  old?.remove();
  if (!frame.gaps) return;
  const { left, top, width, height } = frame.plot;
  const { rows, cols } = frame.gaps;
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("class", "matrix-gaps");
  svg.dataset.key = key;
  svg.setAttribute("width", String(width));
  svg.setAttribute("height", String(height));
  svg.setAttribute("aria-hidden", "true");
  Object.assign(svg.style, { position: "absolute", left: `${left}px`, top: `${top}px`, pointerEvents: "none" });
  const lines = [];
  for (let c = 1; c <= cols; c += 1) lines.push(`M${Math.round((c * width) / cols) - 0.5} 0V${height}`);
  for (let r = 1; r <= rows; r += 1) lines.push(`M0 ${Math.round((r * height) / rows) - 0.5}H${width}`);
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", lines.join(""));
  path.setAttribute("stroke", GAP);
  path.setAttribute("stroke-width", "1");
  path.setAttribute("shape-rendering", "crispEdges");
  svg.append(path);
  paper.after(svg);
}

function element(tag, className, text = null) {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== null) node.textContent = text;
  return node;
}

const px = (value) => `${Math.round(value * 10) / 10}px`;

/**
 * Lays the indices and the colour bar of `frame` (from heatmapFigure) around the plot in the
 * `.matrix-frame` element `box`; what is already there for the same frame is kept.
 */
function drawFrame(box, frame) {
  box.style.width = `${frame.width}px`;
  box.style.height = `${frame.height}px`;
  const { labels, ...layout } = frame;
  const key = JSON.stringify(layout);
  let axes = box.querySelector(":scope > .matrix-axes");
  if (!axes || axes.dataset.key !== key) {
    const { plot, bar } = frame;
    const next = element("div", "matrix-axes");
    next.dataset.key = key;
    next.setAttribute("aria-hidden", "true");
    next.style.fontSize = `${frame.indexFont}px`;
    const top = element("div", frame.upright ? "matrix-cols is-upright" : "matrix-cols");
    Object.assign(top.style, { left: px(plot.left), top: "0", width: px(plot.width), height: px(plot.top) });
    for (const [index, at] of frame.cols) {
      const label = element("span", "matrix-index", String(index));
      label.style.left = px(at);
      top.append(label);
    }
    const side = element("div", "matrix-rows");
    Object.assign(side.style, { left: "0", top: px(plot.top), width: px(plot.left), height: px(plot.height) });
    for (const [index, at] of frame.rows) {
      const label = element("span", "matrix-index", String(index));
      label.style.top = px(at);
      side.append(label);
    }
    const scale = element("div", "matrix-scale");
    Object.assign(scale.style, {
      left: px(plot.left + plot.width + bar.gap),
      top: px(plot.top + bar.pad),
      height: px(plot.height - 2 * bar.pad),
      fontSize: `${bar.font}px`,
    });
    const gradient = element("div", "matrix-scale-bar");
    gradient.style.width = px(bar.thickness);
    const stops = frame.stops.map(([at, colour]) => `${colour} ${Math.round(at * 1000) / 10}%`);
    gradient.style.background = `linear-gradient(to top, ${stops.join(", ")})`;
    scale.append(gradient, ...["top", "middle", "bottom"].map((at) => element("span", `matrix-scale-label is-${at}`, "")));
    next.append(top, side, scale);
    if (axes) axes.replaceWith(next);
    else box.append(next);
    axes = next;
  }
  const texts = axes.querySelectorAll(".matrix-scale-label");
  labels.forEach((text, i) => {
    if (texts[i].textContent !== text) texts[i].textContent = text;
  });
}

/** A new figure of `tensor`: caption, a frame holding a new plot `plot`, the notice. */
function figureElement(tensor, role, label) {
  const figure = document.createElement("figure");
  figure.className = `matrix matrix-${role}`;
  figure.dataset.tensor = tensor.name;
  figure.dataset.rows = String(tensor.shape[0]);
  figure.dataset.cols = String(tensor.shape[1]);
  const title = plainTitle(label, tensor.shape);
  figure.dataset.title = title;
  const caption = element("figcaption", "matrix-title");
  caption.title = title;
  renderTex(caption, titleTex(tensor));
  const box = element("div", "matrix-frame");
  const plot = element("div", "matrix-plot");
  box.append(plot);
  figure.append(caption, box);
  const bad = nonFiniteCount(tensor);
  if (bad > 0) {
    const notice = element(
      "p",
      "matrix-notice",
      `${bad} of ${tensor.shape[0] * tensor.shape[1]} entries are not finite (∞ or NaN): drawn as grey gaps.`,
    );
    notice.setAttribute("role", "note");
    figure.append(notice);
  }
  return { figure, box, plot };
}

/** The largest share of the stage the formulas' column takes beside the matrices (site.css). */
const FORMULAS_SHARE = 0.46;

/**
 * The width a figure may take in a group of matrices like `group` (shown or hidden), the same
 * whatever the formulas beside it: the matrices' column at its narrowest (the formulas' at
 * its widest) less the group's borders and padding and the figure's own padding.
 */
function matrixRoom(group) {
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
 * Draws `tensor` as one heatmap, coloured in [-range, range], into the empty element `box`:
 * a new Plotly plot with its indices, colour bar and gaps, as a step draws it. Resolves when
 * the plot is drawn.
 */
export function drawHeatmap(box, tensor, range, scale = pageScale()) {
  const drawing = heatmapFigure(tensor, range, scale);
  box.classList.add("matrix-frame");
  const plot = element("div", "matrix-plot");
  Object.assign(plot.style, {
    width: `${drawing.layout.width}px`,
    height: `${drawing.layout.height}px`,
    contain: "strict",
  });
  box.replaceChildren(plot);
  drawFrame(box, drawing.frame);
  const lib = plotly();
  if (!lib) return Promise.resolve();
  const done = lib.newPlot(plot, drawing.data, drawing.layout, drawing.config);
  drawGaps(plot, drawing.frame);
  return done;
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

/**
 * Plots of earlier steps that are off the page, kept because a tensor comes back: Σ₁ is a
 * result of step 1 and an operand of steps 2 and 6, W₁ (new) of the update is W₁ of the next
 * forward step, X and Y are the same at every iteration. At most MAX_PARKED of them, of
 * MAX_PARKED_CELLS cells; those of no use any more go first, then the least recently shown.
 */
const parked = [];
const MAX_PARKED = 64;
const MAX_PARKED_CELLS = 1_000_000;
/** What each plot shows: {look, data (the entries), hover, shape, name, shown (a count)}. */
const drawn = new WeakMap();
/** When each tensor name was last shown: a plot that shows it as it was before is of no use. */
const latest = new Map();
let drawCount = 0;

/** Whether a newer picture of the tensor a plot shows was shown since. */
const outdated = (was) => latest.get(was.name) > was.shown;

/** A plot's rank as one to keep: outdated ones first, then by when they were shown. */
function keepRank(plot) {
  const was = drawn.get(plot);
  return was ? [outdated(was) ? 0 : 1, was.shown] : [0, 0];
}

const byKeepRank = (a, b) => {
  const [left, right] = [keepRank(a), keepRank(b)];
  return left[0] - right[0] || left[1] - right[1];
};

/**
 * What a drawing looks like but for its entries and hover text: two drawings of the same look
 * and the same entries are the same picture (the hover names the tensor).
 */
function lookOf(drawing) {
  const [{ x, y, z, customdata, text, hovertemplate, ...rest }] = drawing.data;
  return JSON.stringify([x.length, y.length, rest, drawing.layout, drawing.config]);
}

function sameEntries(a, b) {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let r = 0; r < a.length; r += 1) {
    const [left, right] = [a[r], b[r]];
    if (left.length !== right.length) return false;
    for (let c = 0; c < left.length; c += 1) if (left[c] !== right[c]) return false;
  }
  return true;
}

function cellsOf(plot) {
  const [rows, cols] = drawn.get(plot)?.shape ?? [0, 0];
  return rows * cols;
}

/** Keeps `plots` off the page for later steps; frees the least useful beyond the limits. */
function park(plots, lib) {
  parked.push(...plots);
  parked.sort(byKeepRank);
  let cells = parked.reduce((sum, plot) => sum + cellsOf(plot), 0);
  while (parked.length > MAX_PARKED || (cells > MAX_PARKED_CELLS && parked.length > 0)) {
    const plot = parked.shift();
    cells -= cellsOf(plot);
    lib.purge(plot);
  }
}

/** Takes out of `free` the least useful plot that `fits` accepts, or null. */
function takeLeastUseful(free, fits) {
  let best = -1;
  free.forEach((plot, i) => {
    if (fits(drawn.get(plot)) && (best < 0 || byKeepRank(plot, free[best]) < 0)) best = i;
  });
  return best < 0 ? null : free.splice(best, 1)[0];
}

/**
 * Draws the tensors of `step` into the groups {operands, intermediates, results}, each an
 * element holding a `.matrix-list`; a group without tensors is hidden. Returns the number of
 * tensors that hold entries that are not finite, and a promise of every plot drawn.
 *
 * Each figure (caption, notice) is new; its Plotly plot is, by preference:
 * 1. a plot on the page or parked that already shows the same picture (same entries, colour
 *    range and size; Σ₁ moving from the results to the operands, W₁ (new) becoming W₁): taken
 *    as it is, only its hover text renamed when the tensor's name differs;
 * 2. a plot of the same tensor name and shape, or else one that shows an outdated picture
 *    (a newer one of its tensor was shown since), of the same shape first: redrawn with
 *    `Plotly.react`, which keeps its SVG and canvas;
 * 3. a new plot (`Plotly.newPlot`).
 * Plots no longer on the page are parked for later steps. The listeners put on a reused plot
 * (plotly_click, plotly_hover, plotly_unhover) are removed: attach them again after each
 * draw, as to a new plot. All figures are put in place before any plot is drawn, so that
 * Plotly's measurements do not force a layout per figure.
 */
export function drawStep(groups, step, state) {
  const lib = plotly();
  const scale = pageScale();
  const room = matrixRoom(groups.results);
  let diverged = 0;
  const wanted = [];
  const lists = [];
  for (const [role, names] of [
    ["operands", step.operands],
    ["intermediates", step.intermediates],
    ["results", step.results],
  ]) {
    const group = groups[role];
    const list = group.querySelector(".matrix-list");
    const figures = [];
    for (const name of names) {
      const tensor = step.tensors[name];
      if (!tensor) continue;
      const label = shownName(name, state);
      const { figure, box } = figureElement(tensor, role, label);
      if (figure.querySelector(".matrix-notice")) diverged += 1;
      const held = step.held_fixed?.[name] ?? null;
      if (held) {
        const notice = element("p", "matrix-notice is-held", heldFixedText(held));
        notice.setAttribute("role", "note");
        figure.append(notice);
      }
      const range = colourRange(state, tensor);
      const drawing = heatmapFigure(tensor, range, scale, label, room, colourStops(state.scale));
      figures.push(figure);
      wanted.push({ tensor, fresh: box, plot: null, drawing, look: lookOf(drawing), same: false, held });
    }
    lists.push({ group, list, figures, hidden: names.length === 0 });
  }

  // The plots on the page now and the parked ones: any of them may serve this step.
  const free = [];
  if (lib) {
    const onPage = lists.flatMap(({ list }) => [...list.querySelectorAll(".matrix-plot")]);
    for (const plot of [...onPage, ...parked.splice(0)]) {
      if (drawn.has(plot)) free.push(plot);
      else lib.purge(plot);
    }
  }
  for (const item of wanted) {
    const { look, tensor } = item;
    item.plot = takeLeastUseful(free, (was) => was.look === look && sameEntries(was.data, tensor.data));
    item.same = item.plot !== null;
  }
  // A plot that may still show its picture again is not redrawn for another one.
  for (const item of wanted.filter((it) => it.plot === null)) {
    const { name, shape } = item.tensor;
    const sameShape = (was) => was.shape[0] === shape[0] && was.shape[1] === shape[1];
    item.plot =
      takeLeastUseful(free, (was) => sameShape(was) && (was.name === name || outdated(was))) ??
      takeLeastUseful(free, outdated);
  }

  for (const item of wanted) {
    const { drawing, fresh } = item;
    if (item.plot) {
      // The plot moves with its frame (indices and colour bar).
      for (const event of PLOT_EVENTS) item.plot.removeAllListeners?.(event);
      fresh.replaceWith(item.plot.parentElement);
    } else {
      item.plot = fresh.querySelector(".matrix-plot");
    }
    drawFrame(item.plot.parentElement, drawing.frame);
    drawHeldFixed(item.plot.parentElement, drawing.frame.plot, item.tensor.shape, item.held);
    // The plot's box gets its figure's size and `contain: strict` (Plotly's SVG clips at that
    // size anyway), so the layouts Plotly forces while drawing stay inside the box.
    item.plot.style.width = `${drawing.layout.width}px`;
    item.plot.style.height = `${drawing.layout.height}px`;
    item.plot.style.contain = "strict";
  }
  for (const { group, list, figures, hidden } of lists) {
    list.replaceChildren(...figures);
    group.hidden = hidden;
  }
  if (lib) park(free, lib);

  const pending = [];
  if (lib) {
    for (const { plot, drawing, look, tensor, same } of wanted) {
      const [{ hovertemplate: hover }] = drawing.data;
      const was = drawn.get(plot);
      drawCount += 1;
      latest.set(tensor.name, drawCount);
      drawn.set(plot, {
        look,
        data: tensor.data,
        hover,
        shape: tensor.shape,
        name: tensor.name,
        shown: drawCount,
      });
      if (same) {
        // A hover label or the outlines of a linked hover left on it from before are taken off.
        if (plot.querySelector(".hoverlayer > *")) lib.Fx?.unhover(plot);
        if (plot.layout?.shapes?.length) pending.push(lib.relayout(plot, { shapes: [] }));
        if (was.hover !== hover) pending.push(lib.restyle(plot, { hovertemplate: [hover] }, [0]));
      } else {
        const { data, layout, config } = drawing;
        pending.push(lib.react(plot, data, layout, config));
      }
      drawGaps(plot, drawing.frame);
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
