// Share and present: the network in the address (#spec=), a read-only view link others follow
// live, download links for the trace and any matrix, presenter mode and the colour scale.

import * as api from "./api.js";
import { SCALES, scaleName, useScale } from "./scales.js";
import { notationQuery, shownName } from "./notation.js";

// --- the network in the address ----------------------------------------------------------------

/** A spec as base64url of its JSON (UTF-8), for `#spec=`. */
export function encodeSpec(spec) {
  const bytes = new TextEncoder().encode(JSON.stringify(spec));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** The spec `encodeSpec` wrote, or null when `text` is not one. */
export function decodeSpec(text) {
  try {
    const base64 = text.replaceAll("-", "+").replaceAll("_", "/");
    const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
    const bytes = Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
    const spec = JSON.parse(new TextDecoder().decode(bytes));
    return spec && typeof spec === "object" && !Array.isArray(spec) ? spec : null;
  } catch {
    return null;
  }
}

/** The spec in the address's `#spec=`, or null. */
export function specFromAddress(href) {
  const hash = new URL(href).hash.replace(/^#/, "");
  const value = new URLSearchParams(hash).get("spec");
  return value ? decodeSpec(value) : null;
}

/** Writes `spec` into the address (`#spec=`), so that the link reproduces the network. */
export function writeSpec(spec) {
  const url = new URL(window.location.href);
  url.hash = `spec=${encodeSpec(spec)}`;
  window.history.replaceState(null, "", url);
}

/** A link that builds the same network in a new session: the page with `#spec=` only. */
export function networkLink(spec) {
  return `${window.location.origin}/#spec=${encodeSpec(spec)}`;
}

// --- the follower page -------------------------------------------------------------------------

/** The view id of `?follow=<id>`, or null. */
export function followedView(href) {
  return new URL(href).searchParams.get("follow");
}

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
  /** `root` holds the panel's elements (found by id); `onError` shows a refusal. */
  constructor(root, { onError }) {
    this.root = root;
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
      this.el("share-network-url").value = networkLink(session.spec);
    }
    this.el("share-view").hidden = session.read_only;
    const base = api.readBase(session);
    // Numbered from 1; right after an update the iteration shown is the one it finished.
    const iteration = step && session.cursor === 0 && session.iteration > 1 ? session.iteration - 1 : session.iteration;
    // The downloads are in the notation on screen (transposed in the row convention, Ŵ …).
    const query = notationQuery(session);
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
        option.textContent = shownName(name, session);
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
    const query = notationQuery(this.session);
    const href = `${api.readBase(this.session)}/tensors/${encodeURIComponent(name)}/latex?digits=${digits}${query ? `&${query}` : ""}`;
    const label = `LaTeX of ${shownName(name, this.session)}`;
    this.el("latex-slot").replaceChildren(link(href, label, `${name}.tex`));
  }

  async makeViewLink() {
    try {
      const answer = await api.createView(this.session.id);
      this.el("share-view-url").value = `${window.location.origin}${answer.page}`;
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

// --- presenter mode and the colour scale -------------------------------------------------------

const SCALE_KEY = "bpv-colour-scale";

/** Turns presenter mode on or off: large type, high contrast, formulas and matrices only. */
export function setPresenter(on, button) {
  document.documentElement.classList.toggle("presenter", on);
  button.setAttribute("aria-pressed", String(on));
  const url = new URL(window.location.href);
  if (on) url.searchParams.set("presenter", "1");
  else url.searchParams.delete("presenter");
  window.history.replaceState(null, "", url);
}

/** Whether the address asks for presenter mode (`?presenter=1`). */
export function presenterRequested(href) {
  return new URL(href).searchParams.get("presenter") === "1";
}

/** Fills the colour-scale menu and applies the remembered (or `?scale=`) choice. */
export function setUpScales(select, href) {
  for (const [name, scale] of Object.entries(SCALES)) {
    const option = document.createElement("option");
    option.value = name;
    option.textContent = scale.label;
    select.append(option);
  }
  let remembered = null;
  try {
    remembered = window.localStorage.getItem(SCALE_KEY);
  } catch {
    remembered = null;
  }
  select.value = useScale(new URL(href).searchParams.get("scale") ?? remembered ?? "");
}

/** Uses the scale chosen in `select` from now on, and remembers it. */
export function chooseScale(select) {
  const name = useScale(select.value);
  try {
    window.localStorage.setItem(SCALE_KEY, name);
  } catch {
    // Storage may be off; the choice then lasts for this page.
  }
  return scaleName();
}
