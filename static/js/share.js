// Share and export: a link to the network (#spec=), a read-only view link others follow live,
// download links for the trace and any matrix. The store writes the address; this module
// only builds links from it.

import * as api from "./api.js";
import { notationQuery, shownName } from "./notation.js";
import { shownIteration } from "./state.js";

// --- the follower page -------------------------------------------------------------------------

/**
 * Follows view `viewId` live: `onAnswer({session, step})` now and after each move of the
 * lecturer (server-sent events); `onGone(text)` when the session is gone.
 */
export function follow(viewId, { onAnswer, onGone }) {
  const source = new EventSource(api.viewEvents(viewId));
  source.addEventListener("step", (event) => onAnswer(JSON.parse(event.data)));
  source.addEventListener("gone", () => {
    source.close();
    onGone("The lecturer's session has ended (deleted or expired).");
  });
  source.addEventListener("error", () => {
    if (source.readyState === EventSource.CLOSED) onGone("The live view cannot be reached.");
  });
  return source;
}

// --- the Share and export panel ------------------------------------------------------------

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
    this.el("share-view").addEventListener("click", () => this.makeViewLink());
    for (const button of root.querySelectorAll("[data-copy]")) {
      button.addEventListener("click", () => this.copy(button.dataset.copy, button));
    }
    this.el("latex-tensor").addEventListener("change", () => this.renderLatexLink());
    this.el("latex-digits").addEventListener("input", () => this.renderLatexLink());
  }

  /** Follows the session and step shown. */
  update(session, step) {
    const changed = session.id !== this.session?.id;
    this.session = session;
    this.step = step;
    if (changed) {
      this.el("share-view-url").value = "";
      this.el("share-view-row").hidden = true;
    }
    if (session.spec !== this.linkedSpec) {
      // The same spec object stays with the session while it steps: encode it once.
      this.linkedSpec = session.spec;
      this.el("share-network-url").value = this.store.networkLink(session.spec);
    }
    this.el("share-view").hidden = session.read_only;
    const base = api.readBase(session);
    const iteration = shownIteration({ session, step }); // from 1, as the API numbers them
    // The downloads are in the notation on screen (transposed in the row convention, Ŵ …).
    const query = notationQuery(this.store.state);
    const shown = query ? `?${query}` : "";
    this.el("export-links").replaceChildren(
      link(`${base}/export/trace.json${shown}`, "Trace JSON", `trace-iteration-${iteration}.json`),
      link(`${base}/export/trace.csv${shown}`, "CSV", null),
      link(`${base}/export/trace.npz${shown}`, "NumPy .npz", null),
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

  async makeViewLink() {
    try {
      const answer = await api.createView(this.session.id);
      this.el("share-view-url").value = this.store.link(answer.page);
      this.el("share-view-row").hidden = false;
      this.el("share-view-url").select();
    } catch (error) {
      this.onError(error);
    }
  }

  async copy(id, button) {
    const input = this.el(id);
    input.select();
    try {
      await navigator.clipboard.writeText(input.value);
      button.textContent = "Copied";
    } catch {
      button.textContent = "Select and copy";
    }
    setTimeout(() => {
      button.textContent = "Copy";
    }, 1500);
  }
}
