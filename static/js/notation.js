// The notations a step is shown in: column ↔ row convention, affine ↔ homogeneous network, and
// in the row convention the paper's names or the Q&A's (H, W, B, Y, Y*). The server writes the
// step in the notation asked (transposed matrices, formulas written anew, Ŵ_i with the bias
// folded in, the Q&A's symbols); this module keeps the choice, puts it in the address and says
// which one is on.

import { displayName } from "./state.js";

const DEFAULT = { convention: "column", view: "affine", names: "paper" };

/** The choice now made: {convention: "column"|"row", view: "affine"|"homogeneous",
 * names: "paper"|"qa"}. */
export const notation = { ...DEFAULT };

/** Reads the choice from the address (`?convention=row&view=homogeneous&names=qa`). */
export function readNotation(url) {
  const params = new URL(url).searchParams;
  notation.convention = params.get("convention") === "row" ? "row" : "column";
  notation.view = params.get("view") === "homogeneous" ? "homogeneous" : "affine";
  notation.names = params.get("names") === "qa" && notation.convention === "row" ? "qa" : "paper";
}

/** Writes the choice into the address, leaving the defaults out. */
export function writeNotation() {
  const url = new URL(window.location.href);
  for (const key of ["convention", "view", "names"]) {
    if (notation[key] === DEFAULT[key]) url.searchParams.delete(key);
    else url.searchParams.set(key, notation[key]);
  }
  window.history.replaceState(null, "", url);
}

/** Takes a pick of the select `key` ("convention" or "view"): the convention select's "qa"
 * is the row convention in the Q&A's names, which name the affine network. */
export function chooseNotation(key, value) {
  if (key === "convention") {
    notation.convention = value === "column" ? "column" : "row";
    notation.names = value === "qa" ? "qa" : "paper";
    if (notation.names === "qa") notation.view = "affine";
  } else {
    notation.view = value;
  }
}

/** Whether the Q&A's names fit a session's network: one hidden layer, biases, squared error. */
export function canUseQa(session) {
  const spec = session?.spec;
  return Boolean(spec && spec.layers?.length === 3 && spec.bias && spec.loss === "squared_error");
}

function qaOn(session) {
  return notation.names === "qa" && notation.convention === "row" && canUseQa(session);
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

/** A tensor's name for people in the notation now shown for `session`: "Δ₂"; "Δ₂ᵀ" in the
 * row convention; "Ŵ₁" in the homogeneous view of a network that has one; "H" in the Q&A's. */
export function shownName(name, session) {
  if (qaOn(session) && name in QA_NAMES) return QA_NAMES[name];
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
  if (qaOn(session)) params.set("names", "qa");
  else if (notation.view !== DEFAULT.view && canEmbed(session)) params.set("view", notation.view);
  return params.toString();
}

/** The short badge after the step's title, e.g. "row convention · homogeneous". */
export function notationBadge(session) {
  if (qaOn(session)) return "row convention · the Q&A's names";
  const parts = [notation.convention === "row" ? "row convention" : "column convention"];
  if (notation.view === "homogeneous" && canEmbed(session)) parts.push("homogeneous Ŵ");
  return parts.join(" · ");
}

/** The sentence under the title that says how the matrices are written. */
export function notationNote(session) {
  if (qaOn(session)) {
    return (
      "The Q&A's names (row convention, one sample a row): H = Σ₁ᵀ is the hidden layer's " +
      "output, W = W₂ᵀ and B = b₂ᵀ the output layer's weights and bias, Y = f(HW + B) = Σ₂ᵀ the " +
      "output, Y* the targets; f is the output layer's activation. The Q&A writes ∘ as *."
    );
  }
  const convention =
    notation.convention === "row"
      ? "Row convention (NumPy, and the Q&A's layout): one sample a row; every matrix is the " +
        "transpose of the paper's, Nᵢᵀ = Σᵢ₋₁ᵀ Wᵢᵀ + 1 bᵢᵀ, and the targets are Yᵀ."
      : "Column convention (the paper): one sample a column, N = W·Σ + b·1ᵀ.";
  if (notation.view !== "homogeneous" || !canEmbed(session)) return convention;
  return (
    `${convention} Homogeneous embedding (paper §3): Ŵᵢ = [Wᵢ bᵢ; 0…0 1] has the bias as its ` +
    "last column and the formal row [0…0 1]; X̂ = [X; 1ᵀ]; no biases."
  );
}

/** Sets the two selects to the choice; the homogeneous view is offered only with biases, the
 * Q&A's names only where they fit. */
export function renderNotationControls(conventionSelect, viewSelect, session) {
  const qa = conventionSelect.querySelector('option[value="qa"]');
  const fits = canUseQa(session);
  qa.disabled = !fits;
  qa.textContent = fits ? "row, the Q&A's names (H, W, B, Y*)" : "the Q&A's names (one hidden layer)";
  conventionSelect.value = qaOn(session) ? "qa" : notation.convention;
  const embeddable = canEmbed(session) && !qaOn(session);
  const option = viewSelect.querySelector('option[value="homogeneous"]');
  option.disabled = !embeddable;
  option.textContent = canEmbed(session) ? "homogeneous: Ŵᵢ" : "homogeneous (needs biases)";
  viewSelect.value = embeddable ? notation.view : "affine";
}
