// The keyboard's focus never drops to the page's body. When the page itself takes the focused
// element away (redrawn, removed, disabled or hidden: a step redraws the predict grid being
// typed in, Train is disabled while training runs, a panel is closed), focus moves on to the
// element that takes its place, or to the one it names as its successor, or to a fallback.

/** Whether `element` can hold the focus now: in the page, enabled, shown and not inert. */
export function canFocus(element) {
  return (
    element instanceof HTMLElement &&
    element.isConnected &&
    !element.disabled &&
    !element.closest("[inert]") &&
    element.checkVisibility({ visibilityProperty: true })
  );
}

/** Focuses the first of `candidates` (elements or selectors) that can take it; returns it. */
export function focusFirst(candidates) {
  for (const candidate of candidates) {
    const element = typeof candidate === "string" ? document.querySelector(candidate) : candidate;
    if (canFocus(element)) {
      element.focus();
      if (document.activeElement === element) return element;
    }
  }
  return null;
}

/**
 * Where focus goes when `lost` is taken away: the element drawn in its place (the same id),
 * the successors it names (`data-focus-next`: selectors, comma-separated, tried in order),
 * the first cell of a predict grid for a predict cell, then `fallbacks`.
 */
export function successors(lost, fallbacks) {
  const candidates = [];
  if (lost.id) candidates.push(`#${CSS.escape(lost.id)}`);
  for (const selector of (lost.dataset?.focusNext ?? "").split(",")) {
    if (selector.trim()) candidates.push(selector.trim());
  }
  if (lost.classList?.contains("predict-cell")) candidates.push(".predict-cell");
  return [...candidates, ...fallbacks];
}

/**
 * Watches the page's focus. `settled()` resolves once the page has drawn what is queued (the
 * store's `idle`): a redraw puts the new elements in before focus is moved on to them.
 */
export function keepFocus({ settled, fallbacks }) {
  document.addEventListener("focusout", (event) => {
    const lost = event.target;
    // Focus moving to another element, or the user clicking the page's background (the
    // element still there and usable), is the user's move.
    if (event.relatedTarget !== null || !(lost instanceof HTMLElement)) return;
    requestAnimationFrame(async () => {
      if (canFocus(lost)) return;
      await settled();
      const now = document.activeElement;
      if (now !== null && now !== document.body) return;
      if (canFocus(lost)) return;
      focusFirst(successors(lost, fallbacks));
    });
  });
}
