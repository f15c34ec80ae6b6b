// A modal <dialog> opened by a button: showModal() makes everything else inert (nothing it
// covers can be clicked or tabbed to), Escape closes it, and focus goes back to the button.
// Tab goes round its fields (from the last to the first, and back with Shift+Tab) instead of
// leaving for the browser's own bar.

import { canFocus, focusFirst } from "./focus.js";

const TABBABLE = "button, [href], input, select, textarea, [tabindex]:not([tabindex='-1'])";

/** Keeps Tab in modal `dialog`: on its last field Tab goes to the first, Shift+Tab on the
 * first to the last (the browser would leave for its own bar). Its keydown listener. */
export function wrapTab(dialog, event) {
  if (event.key !== "Tab" || event.altKey || event.ctrlKey || event.metaKey) return;
  const fields = [...dialog.querySelectorAll(TABBABLE)].filter(
    (field) => field.tabIndex >= 0 && canFocus(field),
  );
  if (fields.length === 0) return;
  const [first, last] = [fields[0], fields.at(-1)];
  const wrapTo = event.shiftKey
    ? document.activeElement === first
      ? last
      : null
    : document.activeElement === last
      ? first
      : null;
  if (wrapTo === null) return;
  event.preventDefault();
  wrapTo.focus();
}

export class ModalDialog {
  /**
   * `dialog` is the <dialog>, `opener` the button that opens it (aria-expanded follows);
   * `fallbacks` are selectors of where focus goes on closing when the opener cannot take it
   * (hidden, as in presenter mode).
   */
  constructor(dialog, opener, fallbacks = []) {
    this.dialog = dialog;
    this.opener = opener;
    this.fallbacks = fallbacks;
    dialog.addEventListener("close", () => {
      opener.setAttribute("aria-expanded", "false");
      focusFirst([opener, ...fallbacks]);
    });
    dialog.addEventListener("keydown", (event) => wrapTab(dialog, event));
  }

  get isOpen() {
    return this.dialog.open;
  }

  /** Opens the dialog (if closed) with focus on `field`, else on its first field. */
  open(field = null) {
    if (!this.dialog.open) {
      this.dialog.showModal();
      this.opener.setAttribute("aria-expanded", "true");
    }
    const first =
      field ?? this.dialog.querySelector("input, select, textarea, button:not(.dialog-close)");
    first?.focus();
  }

  close() {
    if (this.dialog.open) this.dialog.close();
  }

  /** Opens or closes it. */
  show(open) {
    if (open) this.open();
    else this.close();
  }
}
