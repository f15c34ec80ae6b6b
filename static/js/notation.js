// The two notations a step is shown in: column ↔ row convention, affine ↔ homogeneous network.
// The server rewrites the step (transposed matrices, rewritten formulas, Ŵ_i with the bias
// folded in); this module keeps the choice, puts it in the address and says which one is on.

import { displayName } from "./state.js";

const DEFAULT = { convention: "column", view: "affine" };

/** The choice now made: {convention: "column"|"row", view: "affine"|"homogeneous"}. */
export const notation = { ...DEFAULT };

/** Reads the choice from the address (`?convention=row&view=homogeneous`). */
export function readNotation(url) {
  const params = new URL(url).searchParams;
  notation.convention = params.get("convention") === "row" ? "row" : "column";
  notation.view = params.get("view") === "homogeneous" ? "homogeneous" : "affine";
}

/** Writes the choice into the address, leaving the defaults out. */
export function writeNotation() {
  const url = new URL(window.location.href);
  for (const key of ["convention", "view"]) {
    if (notation[key] === DEFAULT[key]) url.searchParams.delete(key);
    else url.searchParams.set(key, notation[key]);
  }
  window.history.replaceState(null, "", url);
}

/** A tensor's name for people in the notation now shown for `session`: "Δ₂"; "Δ₂ᵀ" in the
 * row convention; "Ŵ₁" in the homogeneous view of a network that has one. */
export function shownName(name, session) {
  return displayName(name, {
    transposed: notation.convention === "row",
    hatted: notation.view === "homogeneous" && canEmbed(session),
  });
}

/** Whether a session's network can be shown embedded: only an affine one (with biases). */
export function canEmbed(session) {
  return Boolean(session?.spec?.bias);
}

/** The query the session reads and moves take, e.g. "convention=row"; "" for the defaults. */
export function notationQuery(session) {
  const params = new URLSearchParams();
  if (notation.convention !== DEFAULT.convention) params.set("convention", notation.convention);
  if (notation.view !== DEFAULT.view && canEmbed(session)) params.set("view", notation.view);
  return params.toString();
}

/** The short badge after the step's title, e.g. "row convention · homogeneous". */
export function notationBadge(session) {
  const parts = [notation.convention === "row" ? "row convention" : "column convention"];
  if (notation.view === "homogeneous" && canEmbed(session)) parts.push("homogeneous Ŵ");
  return parts.join(" · ");
}

/** The sentence under the title that says how the matrices are written. */
export function notationNote(session) {
  const convention =
    notation.convention === "row"
      ? "Row convention (the Q&A, NumPy): one sample a row, Y = f(HW + B); every matrix is " +
        "the transpose of the paper's."
      : "Column convention (the paper): one sample a column, N = W·Σ + b·1ᵀ.";
  if (notation.view !== "homogeneous" || !canEmbed(session)) return convention;
  return (
    `${convention} Homogeneous embedding (paper §3): Ŵᵢ = [Wᵢ bᵢ; 0…0 1] has the bias as its ` +
    "last column and the formal row [0…0 1]; X̂ = [X; 1ᵀ]; no biases."
  );
}

/** Sets the two selects to the choice; the homogeneous one is offered only with biases. */
export function renderNotationControls(conventionSelect, viewSelect, session) {
  conventionSelect.value = notation.convention;
  const embeddable = canEmbed(session);
  const option = viewSelect.querySelector('option[value="homogeneous"]');
  option.disabled = !embeddable;
  option.textContent = embeddable ? "homogeneous: Ŵᵢ" : "homogeneous (needs biases)";
  viewSelect.value = embeddable ? notation.view : "affine";
}
