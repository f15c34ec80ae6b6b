// Share and export: a link to the network (#spec=), download links for the trace and any
// matrix. The store writes the address; this module only builds links from it. (The room that
// students follow is room-panel.js's.)

import * as api from "./api.js";
import { copyField } from "./copy.js";
import { notationQuery, shownName } from "./notation.js";
import { countText } from "./numbers.js";
import { shownIteration } from "./state.js";

// --- the Share and export panel ------------------------------------------------------------

/** What the network's link starts: the seeded weights, the explicit ones, or (`leftOut` > 0,
 * too many for a link) new ones drawn from the seed. */
export function linkNote(spec, leftOut) {
  const drawn = `its seed (${spec.seed}) and initialisation (${spec.init})`;
  if (leftOut > 0) {
    return (
      `This network's starting weights were given explicitly: ${countText(leftOut)} ` +
      `numbers, too many for a link. The link draws new ones from ${drawn}; to share these ` +
      "exact weights, download the session (Session JSON below), which the API takes back."
    );
  }
  if (spec.weights) return "The link holds the network's starting weights as they were given.";
  return `The link holds the network's spec: ${drawn} draw the same starting weights anywhere.`;
}

function link(href, text, filename) {
  const a = document.createElement("a");
  a.className = "button button-small";
  a.href = href;
  a.textContent = text;
  if (filename) a.download = filename;
  return a;
}

export class SharePanel {
  /** `root` holds the panel's elements (found by id); `store` makes the links; `onError`
   * shows a refusal. */
  constructor(root, { store, onError }) {
    this.root = root;
    this.store = store;
    this.onError = onError;
    this.el = (id) => root.querySelector(`#${id}`);
    this.session = null;
    this.step = null;
    this.linkedSpec = null;
    for (const button of root.querySelectorAll("[data-copy]")) {
      button.addEventListener("click", () => this.copy(button.dataset.copy, button));
    }
    this.el("latex-tensor").addEventListener("change", () => this.renderLatexLink());
    this.el("latex-digits").addEventListener("input", () => this.renderLatexLink());
  }

  /** Follows the session and step shown. */
  update(session, step) {
    this.session = session;
    this.step = step;
    if (session.spec !== this.linkedSpec) {
      // The same spec object stays with the session while it steps: encode it once.
      this.linkedSpec = session.spec;
      const { href, leftOut } = this.store.networkLink(session.spec);
      this.el("share-network-url").value = href;
      this.el("share-network-note").textContent = linkNote(session.spec, leftOut);
    }
    const base = api.readBase(session);
    const iteration = shownIteration({ session, step }); // from 1, as the API numbers them
    // The downloads are in the notation on screen (transposed in the row convention, Ŵ …).
    const query = notationQuery(this.store.state);
    const shown = query ? `?${query}` : "";
    this.el("export-links").replaceChildren(
      link(`${base}/export/trace.json${shown}`, "Trace JSON", `trace-iteration-${iteration}.json`),
      link(`${base}/export/trace.csv${shown}`, "CSV", null),
      link(`${base}/export/trace.npz${shown}`, "NumPy .npz", null),
      ...(session.read_only ? [] : [link(`${base}/export`, "Session JSON", "session.json")]),
    );
    const select = this.el("latex-tensor");
    const names = step ? [...step.results, ...step.intermediates, ...step.operands] : ["X", "W1"];
    const wanted = names.includes(select.value) ? select.value : names[0];
    select.replaceChildren(
      ...names.map((name) => {
        const option = document.createElement("option");
        option.value = name;
        option.textContent = shownName(name, this.store.state);
        return option;
      }),
    );
    select.value = wanted;
    this.renderLatexLink();
  }

  renderLatexLink() {
    if (!this.session) return;
    const name = this.el("latex-tensor").value;
    const digits = Math.min(17, Math.max(1, Number(this.el("latex-digits").value) || 3));
    const query = notationQuery(this.store.state);
    const href = `${api.readBase(this.session)}/tensors/${encodeURIComponent(name)}/latex?digits=${digits}${query ? `&${query}` : ""}`;
    const label = `LaTeX of ${shownName(name, this.store.state)}`;
    this.el("latex-slot").replaceChildren(link(href, label, `${name}.tex`));
  }

  copy(id, button) {
    return copyField(this.el(id), button, "Copy");
  }
}
