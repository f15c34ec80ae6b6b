// Predict mode in the equation view: what the step computes stays in its place in the formula,
// its cells hidden; where the cells are big enough the student types each entry in its cell.
// One bar under the lines checks them all (graded by the server, which never sends the values)
// or reveals them. The grading itself is the Predictor's (predict.js).

/** Most entries typed in place, and the smallest cell (CSS px) an entry is typed in. */
const MAX_TYPED = 144;
const MIN_TYPED_CELL = 26;

function make(tag, className, text = null) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== null) node.textContent = text;
  return node;
}

/** "Δ₁", "Δ₁ and ∇W₁", "Δ₁, ∇W₁ and ∇b₁". */
export function listed(names) {
  if (names.length < 2) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

/** Inputs over the cells of `figure` (rows × cols, cells of `cell` px), in a form to grade. */
function grid(predictor, figure, name, rows, cols, cell) {
  const form = make("form", "predict is-in-place");
  form.noValidate = true;
  const frame = figure.querySelector(".matrix-cells").getBoundingClientRect();
  const box = figure.getBoundingClientRect();
  Object.assign(form.style, {
    left: `${frame.left - box.left}px`,
    top: `${frame.top - box.top}px`,
  });
  form.style.setProperty("--cell", `${cell}px`);
  const table = make("table", "predict-grid");
  const previous = predictor.entered.get(name);
  for (let r = 0; r < rows; r += 1) {
    const tr = make("tr");
    for (let c = 0; c < cols; c += 1) {
      const input = make("input", "predict-cell");
      input.type = "text";
      input.inputMode = "decimal";
      input.dataset.row = String(r + 1);
      input.dataset.col = String(c + 1);
      input.setAttribute("aria-label", `${predictor.nameOf(name)}[${r + 1}, ${c + 1}]`);
      if (previous) input.value = previous.values[r][c];
      const td = make("td");
      td.append(input);
      tr.append(td);
    }
    table.append(tr);
  }
  const verdict = make("p", "predict-verdict visually-hidden");
  form.append(table, verdict);
  if (previous?.answer) predictor.paint(form, previous.answer);
  return form;
}

/** One matrix's grade in a few words: "Δ₁ 12/16 right", or why it was not graded. */
function said(predictor, name, form) {
  const answer = predictor.entered.get(name)?.answer;
  const verdict = form.querySelector(".predict-verdict");
  if (!answer || verdict.dataset.kind === "error")
    return `${predictor.nameOf(name)}: ${verdict.textContent}`;
  return `${predictor.nameOf(name)} ${answer.correct_count}/${answer.total} right`;
}

/**
 * Hides, in the equation view `root`, the matrices of `names` the student has not revealed
 * yet, and fills `bar` with the step's Check and Reveal. Returns the names hidden.
 */
export function maskInPlace(predictor, root, names, bar) {
  const hidden = names.filter(
    (name) => !predictor.revealed.has(name) && root.querySelector(`.matrix[data-tensor="${name}"]`),
  );
  bar.replaceChildren();
  bar.hidden = hidden.length === 0;
  if (hidden.length === 0) return hidden;
  const typed = [];
  for (const name of hidden) {
    const figures = [...root.querySelectorAll(`.matrix[data-tensor="${name}"]`)];
    for (const figure of figures) figure.classList.add("is-masked");
    const [figure] = figures;
    const rows = Number(figure.dataset.rows);
    const cols = Number(figure.dataset.cols);
    const cell = parseFloat(figure.dataset.cell);
    if (rows * cols <= MAX_TYPED && cell >= MIN_TYPED_CELL) {
      const form = grid(predictor, figure, name, rows, cols, cell);
      figure.append(form);
      typed.push({ name, rows, cols, form });
    }
  }
  const shown = hidden.map((name) => predictor.nameOf(name));
  const hint = make("p", "predict-hint");
  hint.textContent = typed.length
    ? `Predict ${listed(shown)}: type each entry in its cell, then Check.`
    : `${listed(shown)} ${shown.length > 1 ? "are" : "is"} hidden: work out what the step computes, then Reveal.`;
  const verdict = make("p", "predict-verdict");
  verdict.setAttribute("role", "status");
  const buttons = make("div", "predict-buttons");
  if (typed.length) {
    const check = make("button", "button button-small button-primary predict-check", "Check");
    check.type = "button";
    check.addEventListener("click", async () => {
      await Promise.all(
        typed.map(({ name, rows, cols, form }) => predictor.grade(form, name, rows, cols)),
      );
      verdict.textContent = typed.map(({ name, form }) => said(predictor, name, form)).join(" · ");
      const kinds = typed.map(({ form }) => form.querySelector(".predict-verdict").dataset.kind);
      verdict.dataset.kind = kinds.every((kind) => kind === "right")
        ? "right"
        : kinds.includes("error")
          ? "error"
          : "wrong";
    });
    buttons.append(check);
  }
  const reveal = make("button", "button button-small predict-reveal", "Reveal");
  reveal.type = "button";
  reveal.addEventListener("click", () => {
    for (const name of hidden) predictor.revealed.add(name);
    for (const figure of root.querySelectorAll(".matrix.is-masked"))
      figure.classList.remove("is-masked");
    for (const form of root.querySelectorAll(".predict.is-in-place")) form.remove();
    buttons.remove();
    hint.textContent = `${listed(shown)} revealed.`;
  });
  buttons.append(reveal);
  bar.append(hint, buttons, verdict);
  return hidden;
}
