// The page's keys: → one step, ← one step back, space plays or pauses, Escape closes the
// editor. A key the focused control uses itself (typing, a slider's arrows) is left to it.

/** Whether the focused element uses `key` itself (typing, a slider's arrows, a checkbox's space). */
export function ownsKey(target, key) {
  if (!(target instanceof Element)) return false;
  if (target.closest(".editor, textarea, select, [contenteditable]")) return true;
  if (target instanceof HTMLInputElement) {
    if (target.type === "range") return key !== " ";
    if (target.type === "checkbox" || target.type === "radio") return key === " ";
    return true;
  }
  return false;
}

/**
 * Listens to the page's keys: `step`, `back` and `togglePlay` move the session when
 * `canMove()` (a session is shown); Escape calls `closeEditor()` when `editorOpen()`.
 */
export function wireKeyboard({ step, back, togglePlay, canMove, editorOpen, closeEditor }) {
  let spaceHandled = false;
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "Escape" && editorOpen()) {
      closeEditor();
      return;
    }
    if (ownsKey(event.target, event.key) || !canMove()) return;
    if (event.key === "ArrowRight") step();
    else if (event.key === "ArrowLeft") back();
    else if (event.key === " ") {
      spaceHandled = true;
      if (!event.repeat) togglePlay();
    } else return;
    event.preventDefault();
  });
  // A focused button would also take the space as a click when the key goes up.
  document.addEventListener("keyup", (event) => {
    if (event.key === " " && spaceHandled) {
      spaceHandled = false;
      event.preventDefault();
    }
  });
}
