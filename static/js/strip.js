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

/** Draws the outline of `session` into the list `list`; step `current` (0 for none) is marked. */
export function renderStrip(list, outline, current) {
  const items = outline.map((item) => {
    const li = document.createElement("li");
    li.append(stepButton(item, current));
    return li;
  });
  list.replaceChildren(...items);
  fitStrip(list);
}
