// The two notations a step is shown in: column ↔ row convention, affine ↔ homogeneous network.
// The server rewrites the step (transposed matrices, rewritten formulas, Ŵ_i with the bias
// folded in); the store keeps the choice (`convention`, `view`) and the address that carries
// it; this module says, from the store's state, which one is on.

import { displayName } from "./state.js";

/** Whether a session's network can be shown embedded: only an affine one (with biases). */
export function canEmbed(session) {
  return Boolean(session?.spec?.bias);
}

/** Whether the homogeneous view is shown: chosen, and the network has biases. */
const embedded = (state) => state.view === "homogeneous" && canEmbed(state.session);

/** A tensor's name for people in the notation of `state`: "Δ₂"; "Δ₂ᵀ" in the row
 * convention; "Ŵ₁" in the homogeneous view of a network that has one. */
export function shownName(name, state) {
  return displayName(name, { transposed: state.convention === "row", hatted: embedded(state) });
}

/** The query the session reads and moves take, e.g. "convention=row"; "" for the defaults. */
export function notationQuery(state) {
  const params = new URLSearchParams();
  if (state.convention === "row") params.set("convention", "row");
  if (embedded(state)) params.set("view", "homogeneous");
  return params.toString();
}

/** The short badge after the step's title, e.g. "row convention · homogeneous Ŵ". */
export function notationBadge(state) {
  const parts = [state.convention === "row" ? "row convention" : "column convention"];
  if (embedded(state)) parts.push("homogeneous Ŵ");
  return parts.join(" · ");
}

/** The sentence under the title that says how the matrices are written. */
export function notationNote(state) {
  const convention =
    state.convention === "row"
      ? "Row convention (the Q&A, NumPy): one sample a row, Y = f(HW + B); every matrix is " +
        "the transpose of the paper's."
      : "Column convention (the paper): one sample a column, N = W·Σ + b·1ᵀ.";
  if (!embedded(state)) return convention;
  return (
    `${convention} Homogeneous embedding (paper §3): Ŵᵢ = [Wᵢ bᵢ; 0…0 1] has the bias as its ` +
    "last column and the formal row [0…0 1]; X̂ = [X; 1ᵀ]; no biases."
  );
}

/** Sets the two selects to the choice; the homogeneous one is offered only with biases. */
export function renderNotationControls(conventionSelect, viewSelect, state) {
  conventionSelect.value = state.convention;
  const embeddable = canEmbed(state.session);
  const option = viewSelect.querySelector('option[value="homogeneous"]');
  option.disabled = !embeddable;
  option.textContent = embeddable ? "homogeneous: Ŵᵢ" : "homogeneous (needs biases)";
  viewSelect.value = embeddable ? state.view : "affine";
}
