// The equation view's layout, pure: a formula line's expression tree as the row of things drawn
// (factors at their true shape, operators, scalars, bracketed sub-results), their sizes for a
// cell size, and the cell size of each line that fits every line of a step in a box. No DOM:
// the sizes of text are measured by the caller and passed in; tested with `node --test`.

/** What each operator of an expression is written as between its operands. */
export const OPERATORS = {
  matmul: "·",
  hadamard: "∘",
  add: "+",
  subtract: "−",
  bullet: "•",
  kronecker: "⊗",
  scale: "",
  times: "", // numbers, side by side: the 1-D chain's Δ₃ w₃ σ′₂
};

/**
 * How tightly an operator binds, as the server writes formulas: a looser one inside a tighter
 * one is bracketed (Hᵀ((Y − Y*) ∘ f′(HW + B))), and so is the right side of a minus or a
 * bullet of the same binding.
 */
const PRECEDENCE = {
  add: 1,
  subtract: 1,
  hadamard: 2,
  bullet: 2,
  kronecker: 2,
  matmul: 3,
  scale: 3,
  times: 3,
};

/** How tightly a node binds: a sub-result written without brackets binds as what it holds. */
function precedence(node) {
  if (node.kind === "operation") return PRECEDENCE[node.op];
  if (node.kind === "group" && node.brackets === false) return precedence(node.body);
  return 4;
}

/**
 * The parts of a formula line drawn in a row, from its expression tree (a step answer's
 * `formulas[i].expression`, written by the server in the notation asked): the result, "=",
 * then the right-hand side in the order the formula reads. Each part is one of
 *   {kind: "matrix", name, transposed, latex}      a factor: tensor `name` of the step, drawn
 *                                                   transposed when `transposed`
 *   {kind: "ones", rows, cols, latex}               1 (m × 1) or 1ᵀ (1 × m)
 *   {kind: "symbol", text}                          an operator, "=", or ‖ of a norm
 *   {kind: "text", latex}                           a scalar (η, 1/m), a function's name, a sum
 *                                                   sign, or what has no matrix in it (J's
 *                                                   entries Σ₂[:,j])
 *   {kind: "group", parts, name, brackets}          a bracketed part; a sub-result when `name`
 *                                                   names the tensor it equals (W₂ᵀΔ₂)
 * Consecutive texts are one. `has(name)` says whether the step sends tensor `name`: a sub-result
 * whose factors are not all sent (the Q&A's names write Δ₂ out as (Y − Y*) ∘ f′(HW + B)) is
 * drawn as the one matrix it equals, under its formula.
 */
export function lineParts(expression, has = () => true) {
  const parts = [];
  write(expression, parts, has);
  return joinTexts(parts);
}

/**
 * The parts of a step's formula line ({expression, result}): `lineParts` of its tree; a line
 * written without a name for its result (the Q&A's (Y − Y*) ∘ f′(HW + B), which it does not
 * name) shows its result after it, as a sub-result.
 */
export function formulaParts(formula, has = () => true) {
  const parts = lineParts(formula.expression, has);
  if (formula.expression.kind === "equation" || !formula.result || !has(formula.result)) {
    return parts;
  }
  return [{ kind: "group", parts, name: formula.result, brackets: false }];
}

/** Whether every matrix of `parts` is sent (a sub-result stands for what it holds). */
function complete(parts, has) {
  return parts.every((part) => {
    if (part.kind === "matrix") return has(part.name);
    if (part.kind === "group") return complete(part.parts, has);
    return true;
  });
}

/** Whether a node holds a matrix to draw (a tensor or ones, not inside an entry). */
function drawable(node) {
  switch (node.kind) {
    case "tensor":
    case "ones":
      return true;
    case "entry":
    case "scalar":
      return false;
    case "equation":
      return drawable(node.lhs) || drawable(node.rhs);
    case "operation":
    case "apply":
      return node.args.some(drawable);
    default:
      return node.body ? drawable(node.body) : false;
  }
}

function bracketed(parts) {
  return { kind: "group", parts: joinTexts(parts), name: null, brackets: true };
}

function write(node, parts, has, wrap = false) {
  if (node.kind !== "equation" && !drawable(node)) {
    parts.push({ kind: "text", latex: node.latex });
    return;
  }
  switch (node.kind) {
    case "equation":
      write(node.lhs, parts, has);
      parts.push({ kind: "symbol", text: "=" });
      write(node.rhs, parts, has);
      return;
    case "tensor":
      parts.push({
        kind: "matrix",
        name: node.name,
        transposed: Boolean(node.transpose),
        latex: node.latex ?? null,
      });
      return;
    case "ones":
      parts.push({
        kind: "ones",
        rows: node.shape[0],
        cols: node.shape[1],
        latex: node.latex ?? null,
      });
      return;
    case "apply": {
      const inner = [];
      write(node.args[0], inner, has);
      parts.push({ kind: "text", latex: node.function }, bracketed(inner));
      return;
    }
    case "group": {
      const inner = [];
      write(node.body, inner, has);
      if (node.name && has(node.name) && !complete(inner, has)) {
        parts.push({ kind: "matrix", name: node.name, transposed: false, latex: node.latex });
        return;
      }
      parts.push({
        kind: "group",
        parts: joinTexts(inner),
        name: node.name ?? null,
        brackets: node.brackets !== false || Boolean(wrap),
      });
      return;
    }
    case "sum": {
      const range = node.lower === null ? `${node.index}` : `${node.index}=${node.lower}`;
      const upper = node.upper === null ? "" : `^{${node.upper}}`;
      parts.push({ kind: "text", latex: `\\textstyle\\sum_{${range}}${upper}` });
      write(node.body, parts, has);
      return;
    }
    case "norm":
      parts.push({ kind: "symbol", text: "‖" });
      write(node.body, parts, has);
      parts.push({ kind: "symbol", text: "‖²" });
      return;
    case "operation": {
      const text = OPERATORS[node.op];
      if (text === undefined) throw new Error(`no operator "${node.op}"`);
      const mine = PRECEDENCE[node.op];
      node.args.forEach((arg, i) => {
        if (i > 0 && text) parts.push({ kind: "symbol", text });
        const binds = precedence(arg);
        // a − (b − c): the same binding on the right of a minus (or a bullet) is bracketed too.
        const same = i > 0 && binds === mine && (node.op === "subtract" || node.op === "bullet");
        const wrapped = (binds < mine || same) && drawable(arg);
        if (wrapped && arg.kind === "operation") {
          const inner = [];
          write(arg, inner, has);
          parts.push(bracketed(inner));
        } else write(arg, parts, has, wrapped);
      });
      return;
    }
    default:
      throw new Error(`no expression node of kind "${node.kind}"`);
  }
}

/** Consecutive text parts as one (one piece of LaTeX). */
function joinTexts(parts) {
  const joined = [];
  for (const part of parts) {
    const last = joined.at(-1);
    if (part.kind === "text" && last?.kind === "text") last.latex = `${last.latex}\\,${part.latex}`;
    else joined.push(part.kind === "text" ? { ...part } : part);
  }
  return joined;
}

/** The tensor names a line's parts draw (its result and factors, sub-results included). */
export function partNames(parts) {
  return parts.flatMap((part) => {
    if (part.kind === "matrix") return [part.name];
    if (part.kind === "group") return [...(part.name ? [part.name] : []), ...partNames(part.parts)];
    return [];
  });
}

// --- sizes ---------------------------------------------------------------------------------

/**
 * Sizes, in CSS pixels, of what a line holds besides cells, measured by the caller:
 *   gap            between the parts of a row
 *   index(cell)    {width, height} of a factor's row and column indices at that cell size
 *                  ({0, 0} when none are written)
 * and, on each part, `label` ({width, height}, the name above a factor), `under` (the size
 * below it), `box` (a symbol's or text's own {width, height}), and on a group `open`/`close`
 * (a parenthesis' width), `brace` (the height of the brace under it) and `sub` (the sub-result's
 * matrix part, or null).
 */
export function partSize(part, cell, metrics) {
  switch (part.kind) {
    case "matrix":
    case "ones": {
      const index = metrics.index(cell, part);
      const cells = {
        width: part.cols * cell + index.width,
        height: part.rows * cell + index.height,
      };
      return {
        width: Math.max(cells.width, part.label.width, part.under.width),
        height: part.label.height + cells.height + part.under.height,
        cells: part.rows * cell,
      };
    }
    case "group": {
      const inner = rowSize(part.parts, cell, metrics);
      const width = part.open + inner.width + part.close;
      if (!part.sub) return { width, height: inner.height, cells: inner.cells };
      const sub = partSize(part.sub, cell, metrics);
      if (metrics.stacked) {
        // The sub-result under a brace beneath the bracket, as an underbrace is written.
        return {
          width: Math.max(width, sub.width),
          height: inner.height + part.brace + sub.height,
          cells: inner.cells,
        };
      }
      // The sub-result after the bracket, an arrow between: (W₂ᵀ · Δ₂) → W₂ᵀΔ₂.
      return {
        width: width + 2 * metrics.gap + part.arrow + sub.width,
        height: Math.max(inner.height, sub.height),
        cells: Math.max(inner.cells, sub.cells),
      };
    }
    default:
      return { ...part.box, cells: 0 };
  }
}

/** The size of a row of parts centred on one line: widths and gaps add, the tallest counts. */
export function rowSize(parts, cell, metrics) {
  let width = 0;
  let height = 0;
  let cells = 0;
  for (const part of parts) {
    const size = partSize(part, cell, metrics);
    width += size.width;
    height = Math.max(height, size.height);
    cells = Math.max(cells, size.cells);
  }
  return { width: width + metrics.gap * Math.max(0, parts.length - 1), height, cells };
}

/** A line's size: its row of parts under its caption (a {width, height}, or null). */
export function lineSize(line, cell, metrics) {
  const row = rowSize(line.parts, cell, metrics);
  const caption = line.caption ?? { width: 0, height: 0 };
  return { width: Math.max(row.width, caption.width), height: row.height + caption.height };
}

// --- fitting ---------------------------------------------------------------------------------

/** The largest cell, down to `least`, at which `line` is at most `width` wide (or `least`). */
export function widestCell(line, width, metrics, least, most) {
  if (lineSize(line, most, metrics).width <= width) return most;
  let [low, high] = [least, most];
  for (let i = 0; i < 24 && high - low > 0.05; i += 1) {
    const middle = (low + high) / 2;
    if (lineSize(line, middle, metrics).width <= width) low = middle;
    else high = middle;
  }
  return low;
}

/**
 * Puts `lines` into rows of the box, in order, as many side by side as fit its width, each at
 * its cell size `cells[i]`: [{lines: [indices], width, height}], and the total height.
 */
export function packLines(lines, cells, box, metrics) {
  const rows = [];
  lines.forEach((line, i) => {
    const size = lineSize(line, cells[i], metrics);
    const last = rows.at(-1);
    if (last && last.width + metrics.lineGap + size.width <= box.width) {
      last.lines.push(i);
      last.width += metrics.lineGap + size.width;
      last.height = Math.max(last.height, size.height);
    } else {
      rows.push({ lines: [i], width: size.width, height: size.height });
    }
  });
  const height =
    rows.reduce((sum, row) => sum + row.height, 0) + metrics.lineGap * Math.max(0, rows.length - 1);
  return { rows, height };
}

/**
 * The cell size of each line (square cells, the same within a line) at which every line of a
 * step fits the `box` ({width, height}, CSS pixels): the largest common size up to `most`, each
 * line narrowed further only where it alone is wider than the box, down to `least`. Returns
 * {cells, rows, height, fits}; `fits` is false when even `least` overflows (the caller scrolls).
 * Sub-results are drawn as `metrics.stacked` says.
 */
export function fitCells(lines, box, metrics, { least = 2, most = 96 } = {}) {
  const caps = lines.map((line) => widestCell(line, box.width, metrics, least, most));
  let target = most;
  let best = null;
  while (true) {
    const cells = caps.map((cap) => Math.min(cap, target));
    const packed = packLines(lines, cells, box, metrics);
    best = { cells, ...packed, fits: packed.height <= box.height };
    if (best.fits || target <= least) break;
    target = Math.max(least, target * 0.96 - 0.01);
  }
  const widthFits = lines.every(
    (line, i) => lineSize(line, best.cells[i], metrics).width <= box.width,
  );
  return { ...best, fits: best.fits && widthFits };
}

/** How much bigger the cells must be with sub-results under their brackets to put them there. */
export const STACKED_GAIN = 1.15;

/**
 * `fitCells` with each sub-result beside its bracket, after an arrow, in the line's row; or
 * under its bracket, beneath a brace, where that makes the cells at least STACKED_GAIN bigger
 * (a narrow screen, or a line much wider than tall). Returns the fit and `stacked`.
 */
export function fitLines(lines, box, metrics, limits = {}) {
  const beside = fitCells(lines, box, { ...metrics, stacked: false }, limits);
  const hasSub = lines.some((line) => line.parts.some((part) => part.kind === "group" && part.sub));
  if (!hasSub) return { ...beside, stacked: false };
  const stacked = fitCells(lines, box, { ...metrics, stacked: true }, limits);
  const least = (fit) => Math.min(...fit.cells);
  const stack = stacked.fits && (!beside.fits || least(stacked) >= STACKED_GAIN * least(beside));
  return stack ? { ...stacked, stacked: true } : { ...beside, stacked: false };
}

/** How many densities the equation view tries: captions, none, then smaller text twice. */
export const DENSITIES = 4;
/** Cells at least this big (CSS px) show a matrix well enough to stop making text smaller. */
export const GOOD_CELL = 10;

/**
 * Of the fits tried at each density (from the roomiest), the one to draw: the first that fits
 * with cells of GOOD_CELL or more; else, of those that fit, the one with the biggest cells
 * (their geometric mean: a line kept small by its own width counts as much at every density);
 * else the last (the densest).
 */
export function chooseDensity(fits) {
  const least = (fit) => Math.min(...fit.cells);
  const typical = (fit) =>
    Math.exp(fit.cells.reduce((sum, cell) => sum + Math.log(cell), 0) / fit.cells.length);
  const good = fits.findIndex((fit) => fit.fits && least(fit) >= GOOD_CELL);
  if (good >= 0) return good;
  let best = -1;
  fits.forEach((fit, i) => {
    if (fit.fits && (best < 0 || typical(fit) > typical(fits[best]))) best = i;
  });
  return best >= 0 ? best : fits.length - 1;
}
