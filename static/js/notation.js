// The notations a step is shown in: column ↔ row convention, affine ↔ homogeneous network, and
// in the row convention the paper's names or the Q&A's (H, W, B, Y, Y*). The server writes the
// step in the notation asked (transposed matrices, formulas written anew, Ŵ_i with the bias
// folded in, the Q&A's symbols); the store keeps the choice (`convention`, `view`, `names`) and
// the address that carries it; this module says, from the store's state, which one is on.

import { displayName } from "./state.js";

/** Whether a session's network can be shown embedded: only an affine one (with biases). */
export function canEmbed(session) {
  return Boolean(session?.spec?.bias);
}

/** Whether the Q&A's names fit a session's network: one hidden layer, biases, squared error. */
export function canUseQa(session) {
  const spec = session?.spec;
  return Boolean(spec && spec.layers?.length === 3 && spec.bias && spec.loss === "squared_error");
}

/** Whether the Q&A's names are shown: chosen, in the row convention, and they fit. */
const qaOn = (state) => state.names === "qa" && state.convention === "row" && canUseQa(state.session);

/** Whether the homogeneous view is shown: chosen, the network has biases, not the Q&A's names. */
const embedded = (state) => state.view === "homogeneous" && canEmbed(state.session) && !qaOn(state);

/** The store's notation for a pick of the select `key` ("convention" or "view"): the
 * convention select's "qa" is the row convention in the Q&A's names, of the affine network. */
export function notationChoice(key, value) {
  if (key !== "convention") return { [key]: value };
  if (value === "qa") return { convention: "row", names: "qa", view: "affine" };
  return { convention: value === "row" ? "row" : "column", names: "paper" };
}

/** The Q&A's plain names of the tensors it names (row convention, one hidden layer). */
const QA_NAMES = {
  Sigma1: "H",
  W2: "W",
  b2: "B",
  Sigma2: "Y",
  Y: "Y*",
  N2: "HW + B",
  SigmaPrime2: "f′(HW + B)",
  G: "Y − Y*",
  Delta2: "(Y − Y*) ∘ f′(HW + B)",
  gradW2: "∂J/∂W",
  gradb2: "∂J/∂B",
  W2_new: "W (new)",
  b2_new: "B (new)",
};

/** A tensor's name for people in the notation of `state`: "Δ₂"; "Δ₂ᵀ" in the row
 * convention; "Ŵ₁" in the homogeneous view of a network that has one; "H" in the Q&A's. */
export function shownName(name, state) {
  if (qaOn(state) && name in QA_NAMES) return QA_NAMES[name];
  return displayName(name, { transposed: state.convention === "row", hatted: embedded(state) });
}

/** The query the session reads and moves take, e.g. "convention=row"; "" for the defaults. */
export function notationQuery(state) {
  const params = new URLSearchParams();
  if (state.convention === "row") params.set("convention", "row");
  if (qaOn(state)) params.set("names", "qa");
  if (embedded(state)) params.set("view", "homogeneous");
  return params.toString();
}

/** The short badge after the step's title, e.g. "row convention · homogeneous Ŵ". */
export function notationBadge(state) {
  if (qaOn(state)) return "row convention · the Q&A's names";
  const parts = [state.convention === "row" ? "row convention" : "column convention"];
  if (embedded(state)) parts.push("homogeneous Ŵ");
  return parts.join(" · ");
}

/** The sentence under the title that says how the matrices are written. */
export function notationNote(state) {
  if (qaOn(state)) {
    return (
      "The Q&A's names (row convention, one sample a row): H = Σ₁ᵀ is the hidden layer's " +
      "output, W = W₂ᵀ and B = b₂ᵀ the output layer's weights and bias, Y = f(HW + B) = Σ₂ᵀ the " +
      "output, Y* the targets; f is the output layer's activation. The Q&A writes ∘ as *."
    );
  }
  const convention =
    state.convention === "row"
      ? "Row convention (NumPy, and the Q&A's layout): one sample a row; every matrix is the " +
        "transpose of the paper's, Nᵢᵀ = Σᵢ₋₁ᵀ Wᵢᵀ + 1 bᵢᵀ, and the targets are Yᵀ."
      : "Column convention (the paper): one sample a column, N = W·Σ + b·1ᵀ.";
  if (!embedded(state)) return convention;
  return (
    `${convention} Homogeneous embedding (paper §3): Ŵᵢ = [Wᵢ bᵢ; 0…0 1] has the bias as its ` +
    "last column and the formal row [0…0 1]; X̂ = [X; 1ᵀ]; no biases."
  );
}

/** Sets the two selects to the choice; the homogeneous view is offered only with biases, the
 * Q&A's names only where they fit. */
export function renderNotationControls(conventionSelect, viewSelect, state) {
  const qa = conventionSelect.querySelector('option[value="qa"]');
  const fits = canUseQa(state.session);
  qa.disabled = !fits;
  qa.textContent = fits ? "row, the Q&A's names (H, W, B, Y*)" : "the Q&A's names (one hidden layer)";
  conventionSelect.value = qaOn(state) ? "qa" : state.convention;
  const embeddable = canEmbed(state.session) && !qaOn(state);
  const option = viewSelect.querySelector('option[value="homogeneous"]');
  option.disabled = !embeddable;
  option.textContent = canEmbed(state.session) ? "homogeneous: Ŵᵢ" : "homogeneous (needs biases)";
  viewSelect.value = embeddable ? state.view : "affine";
}
