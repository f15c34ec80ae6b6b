// The page's keys: → one step, ← one step back, space plays or pauses. They act wherever no
// text field has focus; a key the focused control uses itself is left to it: space presses a
// focused button (or ticks a box, opens a menu), a slider keeps its arrows. On a menu ← and →
// step (↑ and ↓ still choose), so that once a choice is made the arrows step again. A widget
// that takes a key itself (preventDefault) keeps it. The editor is a modal dialog: the page's
// keys do nothing while it is open, and its Escape closes it.

/** The page's action for each key: "step", "back" or "play". */
const ACTIONS = { ArrowRight: "step", ArrowLeft: "back", " ": "play" };

/**
 * Which keys a focused element of `kind` keeps for itself: "text" (a field one types in, or
 * anything in a dialog), "slider" and "radio" (their arrows), "menu" (its space opens it),
 * "control" (a button, a link or a box: space presses or ticks it), "none" (nothing that uses
 * keys: the page's body, a heading, a panel).
 */
const KEPT = {
  text: new Set(["ArrowRight", "ArrowLeft", " "]),
  slider: new Set(["ArrowRight", "ArrowLeft"]),
  radio: new Set(["ArrowRight", "ArrowLeft", " "]),
  menu: new Set([" "]),
  control: new Set([" "]),
  none: new Set(),
};

/** The page's action for `key` pressed with focus on an element of `kind`, or null. */
export function keyAction(key, kind) {
  const action = ACTIONS[key] ?? null;
  if (action === null || (KEPT[kind] ?? KEPT.text).has(key)) return null;
  return action;
}

const TEXT_INPUTS = new Set([
  "text",
  "number",
  "search",
  "email",
  "url",
  "tel",
  "password",
  "date",
  "time",
]);

/** The kind of the focused element `target`, as `keyAction` takes it. */
export function focusKind(target) {
  if (!(target instanceof Element) || target === document.body) return "none";
  if (target.closest("dialog, textarea, [contenteditable]:not([contenteditable='false'])"))
    return "text";
  if (target instanceof HTMLInputElement) {
    if (target.type === "range") return "slider";
    if (target.type === "radio") return "radio";
    if (target.type === "checkbox" || target.type === "button" || target.type === "submit")
      return "control";
    return TEXT_INPUTS.has(target.type) || target.type === "" ? "text" : "control";
  }
  if (target instanceof HTMLSelectElement) return "menu";
  if (
    target.matches("button, a[href], summary, [role='button'], [role='link'], [role='checkbox']")
  ) {
    return "control";
  }
  return "none";
}

/**
 * Listens to the page's keys. `actions`: {step, back, togglePlay} (moves) and `canMove()` (a
 * session is shown that the page may move now).
 */
export function wireKeyboard({ step, back, togglePlay, canMove }) {
  const run = { step, back, play: togglePlay };
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey)
      return;
    const action = keyAction(event.key, focusKind(event.target));
    if (action === null) return;
    event.preventDefault(); // no scrolling, and a menu's ← and → choose nothing
    if (!canMove() || (action === "play" && event.repeat)) return;
    run[action]();
  });
}
