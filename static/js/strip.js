// The strip of the 2k + 2 steps of an iteration: the current one marked, each one a button.

import { shortLabel } from "./state.js";

function stepButton(item, current) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = `strip-step phase-${item.phase}`;
  button.dataset.number = String(item.number);
  button.title = `Step ${item.number}: ${item.title}`;
  if (item.number === current) button.setAttribute("aria-current", "step");
  if (item.number < current) button.classList.add("is-done");
  const long = document.createElement("span");
  long.className = "strip-long";
  long.textContent = item.layer === null ? item.phase : `${item.phase} ${item.layer}`;
  const short = document.createElement("span");
  short.className = "strip-short";
  short.textContent = shortLabel(item);
  short.setAttribute("aria-hidden", "true");
  button.append(long, short);
  return button;
}

/** Short labels ("F1", "B2") when the long ones do not fit the strip's width. */
export function fitStrip(list) {
  list.classList.remove("is-compact");
  const tooNarrow = [...list.querySelectorAll(".strip-step")].some(
    (button) => button.scrollWidth > button.clientWidth + 1,
  );
  list.classList.toggle("is-compact", tooNarrow);
}

/** The outline each strip shows now. */
const outlines = new WeakMap();

/** Marks step `current` on a strip that shows the outline already. */
function markCurrent(list, current) {
  for (const button of list.querySelectorAll(".strip-step")) {
    const number = Number(button.dataset.number);
    if (number === current) button.setAttribute("aria-current", "step");
    else button.removeAttribute("aria-current");
    button.classList.toggle("is-done", number < current);
  }
}

/**
 * Draws the outline of `session` into the list `list`; step `current` (0 for none) is marked.
 * The same outline again only moves the mark: the labels, and so whether they fit, are the
 * same (a change of the strip's width refits it, see `watchWidth`).
 */
export function renderStrip(list, outline, current) {
  const key = JSON.stringify(outline);
  if (outlines.get(list) === key) {
    markCurrent(list, current);
    return;
  }
  outlines.set(list, key);
  const items = outline.map((item) => {
    const li = document.createElement("li");
    li.append(stepButton(item, current));
    return li;
  });
  list.replaceChildren(...items);
  fitStrip(list);
  watchWidth(list);
}

const watched = new WeakSet();

/** Refits `list` whenever its width changes (a resize, or the strip shown again). */
function watchWidth(list) {
  if (watched.has(list) || typeof ResizeObserver === "undefined") return;
  watched.add(list);
  let width = -1;
  new ResizeObserver(([entry]) => {
    const now = Math.round(entry.contentRect.width);
    if (now === width) return;
    width = now;
    fitStrip(list);
  }).observe(list);
}
