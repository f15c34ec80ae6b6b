// Renders the LaTeX of step records with KaTeX (HTML for the eye, MathML for the DOM and
// screen readers). The size labels under the braces get a class so the CSS can make them
// readable from the back of a room.

const SIZE_LABEL = /\}_\{(\d+\\times ?\d+)\}/g;

function katex() {
  return globalThis.katex ?? null;
}

/**
 * Resolves once KaTeX is there, or will not be (not installed, or its script failed): the
 * stepping page loads it without waiting for it (`async`, index.html), since nothing is
 * typeset before its first step, which waits for this. Other pages load it before their
 * modules run.
 */
export function texLoaded() {
  const script = document.getElementById("katex-script");
  // Once the document is complete, every script it loads has run or failed.
  if (katex() || !script || document.readyState === "complete") return Promise.resolve();
  return new Promise((resolve) => {
    for (const [target, type] of [
      [script, "load"],
      [script, "error"],
      [window, "load"],
    ]) {
      target.addEventListener(type, () => resolve(), { once: true });
    }
  });
}

/**
 * The faces every step's formulas are written in, as CSS font shorthands of katex.min.css's
 * @font-face rules: roman, math italic, the AMS symbols (ℝ) and bold (the ones vector 𝟏).
 */
const FORMULA_FACES = ["1em KaTeX_Main", "italic 1em KaTeX_Math", "1em KaTeX_AMS", "bold 1em KaTeX_Main"];

/**
 * Fetches the fonts of the formulas while the page waits for its first step, so that typesetting
 * it does not wait for them. Asked for once the page is ready, not with it: four fonts asked for
 * beside its scripts made the first load slower. A `#spec=` link asks for them earlier, while
 * its network is created (main.js). A face asked for again is not fetched again. Resolves when
 * they are there or have failed.
 */
export function loadFormulaFonts() {
  if (!document.fonts) return Promise.resolve();
  return Promise.allSettled(FORMULA_FACES.map((face) => document.fonts.load(face)));
}

/** LaTeX with each under-brace size label `_{4\times 1}` wrapped to be styled as `.bv-size`. */
export function markSizeLabels(latex) {
  return latex.replace(SIZE_LABEL, (_, size) => `}_{\\htmlClass{bv-size}{${size}}}`);
}

/**
 * KaTeX's output by LaTeX and mode, at most MAX_TYPESET of them: the same titles and formulas
 * come back at every iteration, and a copy of the nodes is much cheaper than typesetting again.
 */
const typeset = new Map();
const MAX_TYPESET = 400;

/** Renders `latex` into `element`; without KaTeX the source is shown as code. */
export function renderTex(element, latex, { display = false } = {}) {
  const tex = katex();
  if (!tex) {
    const code = document.createElement("code");
    code.textContent = latex;
    element.replaceChildren(code);
    return;
  }
  const key = `${display ? "D" : "T"}${latex}`;
  let done = typeset.get(key);
  if (!done) {
    done = document.createElement("div");
    tex.render(latex, done, {
      displayMode: display,
      fleqn: display,
      output: "htmlAndMathml",
      throwOnError: false,
      trust: (context) => context.command === "\\htmlClass",
      strict: "ignore",
    });
    if (typeset.size >= MAX_TYPESET) typeset.delete(typeset.keys().next().value);
  } else {
    typeset.delete(key); // the most recently used last
  }
  typeset.set(key, done);
  element.replaceChildren(...[...done.childNodes].map((child) => child.cloneNode(true)));
}

function substepFor(step, formula) {
  // The tree's LaTeX is the line without the numbers the 1-D chain's product adds.
  const latex = formula.expression?.latex ?? formula.latex;
  return step.substeps.find((sub) => sub.latex === latex) ?? null;
}

function constantsLine(step) {
  const parts = [];
  if ("eta" in step.constants) parts.push(`η = ${step.constants.eta}`);
  if ("m" in step.constants) {
    const { m } = step.constants;
    parts.push(`m = ${m} ${m === 1 ? "sample" : "samples"} in the batch`);
  }
  return parts.join(", ");
}

/** The lines written for the formulas of a step, by their record: every iteration has the same. */
const written = new Map();
const MAX_WRITTEN = 64;

/**
 * Writes the formulas of `step` into `container`: per line the description, the formula with
 * sizes under each factor, and the shape algebra. Each line names its tensors in
 * `data-tensors` so the page can highlight their heatmaps. The lines of the same formulas
 * shown before are put back as they are.
 */
export function renderStepFormulas(container, step) {
  const key = JSON.stringify([step.formulas, step.substeps, step.constants, step.held_fixed_reason]);
  let lines = written.get(key);
  if (!lines) {
    lines = formulaLines(step);
    if (written.size >= MAX_WRITTEN) written.delete(written.keys().next().value);
    written.set(key, lines);
  }
  container.replaceChildren(...lines);
}

function formulaLines(step) {
  const container = document.createDocumentFragment();
  step.formulas.forEach((formula, index) => {
    const line = document.createElement("div");
    line.className = "formula-line";
    line.tabIndex = 0;
    const substep = substepFor(step, formula);
    if (substep) {
      line.dataset.tensors = [...substep.operands, substep.result].join(" ");
      const caption = document.createElement("p");
      caption.className = "formula-caption";
      caption.textContent = `${index + 1}. ${substep.description}`;
      line.append(caption);
    }
    const maths = document.createElement("div");
    maths.className = "formula-maths";
    renderTex(maths, markSizeLabels(formula.latex_shapes), { display: true });
    const algebra = document.createElement("p");
    algebra.className = "shape-algebra";
    algebra.textContent = formula.shape_algebra;
    line.append(maths, algebra);
    if (formula.note) line.append(formulaNote(formula.note));
    container.append(line);
  });
  if (step.held_fixed_reason) {
    const held = document.createElement("p");
    held.className = "formula-held";
    held.setAttribute("role", "note");
    held.textContent = step.held_fixed_reason;
    container.append(held);
  }
  const constants = constantsLine(step);
  if (constants) {
    const note = document.createElement("p");
    note.className = "formula-constants";
    note.textContent = constants;
    container.append(note);
  }
  return [...container.childNodes];
}

/** What a formula's line says beside it (J's 1/m against the Q&A's, the paper's hat Σ̂′). */
export function formulaNote(text) {
  const note = document.createElement("p");
  note.className = "formula-note";
  note.setAttribute("role", "note");
  note.textContent = text;
  return note;
}

/** The smallest a formula is made to fit its line; a longer one scrolls sideways below that. */
const MIN_FIT = 0.55;

/**
 * Makes each formula of `container` that is wider than its line (the objective in presenter
 * type, or any formula in a narrow window) smaller until it fits, down to MIN_FIT of its
 * size; the others keep theirs. To be called once the formulas are in the page, and again
 * when its width changes.
 */
export function fitFormulas(container) {
  const all = [...container.querySelectorAll(".formula-maths")];
  for (const maths of all) maths.style.fontSize = "";
  // One layout: every width, and the size each is written in (its own, which may not be its
  // parent's: the scale is of that, in pixels, not in em of the parent).
  const widths = all.map((maths) => [
    maths.clientWidth,
    maths.scrollWidth,
    Number.parseFloat(getComputedStyle(maths).fontSize),
  ]);
  all.forEach((maths, index) => {
    const [room, needed, size] = widths[index];
    if (room <= 0 || needed <= room || !(size > 0)) return;
    const scale = Math.max(MIN_FIT, Math.floor((room / needed) * 98) / 100);
    maths.style.fontSize = `${(scale * size).toFixed(2)}px`;
  });
}

/** The LaTeX title of a matrix panel: `\Delta_{2} \in \mathbb{R}^{4\times 1}`. */
export function titleTex(tensor) {
  const [rows, cols] = tensor.shape;
  return `${tensor.latex} \\in \\mathbb{R}^{${rows}\\times ${cols}}`;
}
