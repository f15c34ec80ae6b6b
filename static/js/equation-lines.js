// The lines of the equation view as the page draws them: each formula line's parts (equation-
// layout.js) made into elements, its factors into figures of the matrix renderer (matrix.js),
// and the sizes of their text measured, for the layout to fit the lines to the room.

import { formulaParts, partNames } from "./equation-layout.js";
import { renderTex } from "./formulas.js";
import { formatRange, shapeText } from "./numbers.js";

const clamp = (value, low, high) => Math.min(high, Math.max(low, value));

/** Cells at least this big show their row and column indices. */
const INDEXED_CELL = 22;
/** Ones (1, 1ᵀ) are drawn pale, their entries written "1": they are not a tensor of the step. */
const ONES_STOPS = [
  [0, "#eef0f3"],
  [1, "#eef0f3"],
];

export function make(tag, className, text = null) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== null) node.textContent = text;
  return node;
}

/** The index font of a factor drawn with cells of `cell` px, and the room its indices take. */
export function indexRoom(cell, part) {
  if (cell < INDEXED_CELL) return { width: 0, height: 0, font: 0 };
  const font = clamp(Math.round(cell * 0.4), 11, 18);
  const digits = String(part.rows).length;
  // An axis of one has no index written (a column's lone "1" above it says nothing).
  const width = part.rows === 1 ? 0 : Math.ceil((digits * 0.62 + 0.45) * font);
  return { width, height: part.cols === 1 ? 0 : Math.ceil(font * 1.35), font };
}

/** A formula line's caption: its number and what it does ("1. Multiply entry by entry…"). */
function captionOf(step, formula, index) {
  const sub = step.substeps?.find((s) => s.latex === formula.latex);
  return sub ? `${index + 1}. ${sub.description}` : "";
}

/**
 * Writes the lines of a step: `figure(name)` gives the MatrixFigure tensor `name` is drawn in
 * (one kept from the step before when there is one).
 */
export class LineWriter {
  constructor(figure) {
    this.figure = figure;
  }

  /** One formula line: its element, its model for the layout and how to draw it at a cell size. */
  line(step, formula, index, options) {
    let parts = [];
    try {
      const has = (name) => Boolean(step.tensors[name]);
      parts = formula.expression ? formulaParts(formula, has) : [];
    } catch {
      parts = [];
    }
    const element = make("div", "equation-line");
    element.dataset.tensors = partNames(parts).join(" ");
    element.tabIndex = -1;
    const caption = options.captions ? captionOf(step, formula, index) : "";
    let captionElement = null;
    if (caption) {
      captionElement = make("p", "equation-caption", caption);
      element.append(captionElement);
    }
    const row = make("div", "equation-row");
    const draws = [];
    let models;
    try {
      if (parts.length === 0) throw new Error("no expression");
      models = parts.map((part) => this.part(step, part, options, draws));
    } catch (error) {
      // A line the view cannot draw as matrices is written as its formula, with its sizes.
      const formulaElement = make("span", "equation-text equation-formula");
      renderTex(formulaElement, formula.latex_shapes ?? formula.latex);
      element.dataset.drawn = `formula: ${error.message}`;
      models = [{ kind: "text", element: formulaElement }];
      draws.length = 0;
    }
    row.append(...models.map((model) => model.element));
    element.append(row);
    return { element, captionElement, draws, model: { parts: models, caption: null } };
  }

  /** One part of a line: its element and its model (sizes filled in by `measure`). */
  part(step, part, options, draws) {
    if (part.kind === "symbol") {
      const small = part.text === "·" || part.text === "∘";
      const element = make("span", `equation-symbol${small ? " is-small-glyph" : ""}`, part.text);
      element.setAttribute("aria-hidden", "true");
      return { ...part, element };
    }
    if (part.kind === "text") {
      const element = make("span", "equation-text");
      renderTex(element, part.latex);
      return { ...part, element };
    }
    if (part.kind === "group") {
      const element = make("span", "equation-group");
      const bracketed = make("span", "equation-bracketed");
      // A sub-result written without brackets (the tree says so) has none drawn either.
      const [open, close] = part.brackets
        ? [make("span", "equation-paren is-open"), make("span", "equation-paren is-close")]
        : [null, null];
      const inner = make("span", "equation-row");
      const parts = part.parts.map((child) => this.part(step, child, options, draws));
      inner.append(...parts.map((child) => child.element));
      bracketed.append(...[open, inner, close].filter(Boolean));
      element.append(bracketed);
      let sub = null;
      if (part.name && step.tensors[part.name]) {
        const link = make("span", "equation-link");
        link.append(make("span", "equation-arrow", "→"), make("span", "equation-brace"));
        link.setAttribute("aria-hidden", "true");
        sub = this.matrix(
          step,
          { kind: "matrix", name: part.name, transposed: false },
          options,
          draws,
        );
        sub.element.classList.add("matrix-sub-result");
        element.classList.add("has-sub");
        element.append(link, sub.element);
        return { ...part, parts, sub, element, pieces: { open, close, link } };
      }
      return { ...part, parts, sub, element, pieces: { open, close, link: null } };
    }
    return this.matrix(step, part, options, draws);
  }

  /** A factor (or ones): a MatrixFigure labelled with its name, its size under it. */
  matrix(step, part, { range, label, stops }, draws) {
    const ones = part.kind === "ones";
    const tensor = ones
      ? {
          name: "ones",
          latex: "\\mathbf{1}",
          shape: [part.rows, part.cols],
          data: Array.from({ length: part.rows }, () => Array(part.cols).fill(1)),
        }
      : step.tensors[part.name];
    if (!tensor) throw new Error(`the step has no tensor "${part.name}" for its equation`);
    const figure = this.figure(tensor.name);
    const [rows, cols] = part.transposed ? [tensor.shape[1], tensor.shape[0]] : tensor.shape;
    const name = ones ? (cols > 1 ? "1ᵀ" : "1") : label(tensor.name) + (part.transposed ? "ᵀ" : "");
    const caption =
      part.latex ??
      (ones
        ? cols > 1
          ? "\\mathbf{1}^{T}"
          : "\\mathbf{1}"
        : transposedTex(tensor.latex, part.transposed));
    const colourRange = ones ? 1 : range(tensor);
    const under = [[shapeText([rows, cols]), "matrix-size"]];
    if (!ones) under.push([`  ±${formatRange(colourRange)}`, "matrix-range"]);
    figure.label({ caption, under, label: name, rows, cols });
    const model = {
      kind: ones ? "ones" : "matrix",
      name: tensor.name,
      rows,
      cols,
      element: figure.element,
      figure,
    };
    draws.push((cell, maxFont) => {
      const index = indexRoom(cell, model);
      return figure.show({
        tensor,
        label: name,
        caption,
        transposed: part.transposed,
        range: colourRange,
        stops: ones ? ONES_STOPS : stops,
        cellWidth: cell,
        cellHeight: cell,
        indices: index.font > 0 ? "long" : false,
        indexFont: index.font,
        colourBar: false,
        maxFont,
        under,
        interactive: !ones,
        held: heldAsDrawn(step.held_fixed?.[tensor.name], part.transposed),
      });
    });
    if (ones) figure.element.dataset.ones = "true";
    return model;
  }
}

/**
 * Fills in the sizes of the text of every part of `lines` (drawn in `container`), measured in
 * the page at once (one layout), and returns the gaps between parts and between lines.
 */
export function measureLines(lines, container) {
  const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 18;
  /** A box with its margins above and below (those beside it are auto, or none). */
  const boxOf = (node) => {
    const box = node.getBoundingClientRect();
    const style = getComputedStyle(node);
    const margin = (side) => parseFloat(style[`margin${side}`]) || 0;
    return { width: box.width, height: box.height + margin("Top") + margin("Bottom") };
  };
  /** The room inside a group's box on one side: its border, padding, and the gap to the
   * parenthesis' contents. */
  const inset = (node) => {
    const style = getComputedStyle(node);
    const inner = getComputedStyle(node.firstChild).columnGap;
    return (
      parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft) + (parseFloat(inner) || 0)
    );
  };
  const dress = (part) => {
    if (part.kind === "matrix" || part.kind === "ones") {
      part.label = boxOf(part.figure.caption);
      part.under = boxOf(part.figure.under);
    } else if (part.kind === "group") {
      part.parts.forEach(dress);
      // A parenthesis and the room between it and what it holds.
      const paren = (piece) => (piece ? boxOf(piece).width : 0) + inset(part.element);
      part.open = paren(part.pieces.open);
      part.close = paren(part.pieces.close);
      if (part.sub) {
        dress(part.sub);
        part.arrow = boxOf(part.pieces.link.firstChild).width;
        part.brace = 0.9 * rem;
      }
    } else {
      part.box = boxOf(part.element);
    }
  };
  for (const line of lines) {
    line.model.parts.forEach(dress);
    if (line.captionElement) line.model.caption = boxOf(line.captionElement);
  }
  const row = container.querySelector(".equation-row");
  const gap = row ? parseFloat(getComputedStyle(row).columnGap) || 0 : 0.5 * rem;
  const lineGap = parseFloat(getComputedStyle(container).rowGap) || 1.2 * rem;
  return { gap, lineGap, index: indexRoom };
}

/** Entries held fixed ({rows, cols} as the step shows the tensor) as a factor draws it. */
function heldAsDrawn(held, transposed) {
  if (!held) return null;
  return transposed ? { rows: held.cols, cols: held.rows } : held;
}

/** The LaTeX of a factor's name, transposed when drawn transposed: W_{2} → W_{2}^{T}. */
function transposedTex(latex, transposed) {
  return transposed ? `{${latex}}^{T}` : latex;
}
